// The flow graph's page in Chromium, fed the host's messages: nodes and labels for every kind of
// edge, keyboard navigation with accessible names, the last good graph under a banner, the live
// path, coverage and a failing test's path, the search box, and a picture that stays put when one
// state is added. The layout runs in the page's worker, as in VS Code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from '../../scripts/lib/paths.mjs';
import { readFlowGraph } from '../../src/flows/flowGraph.js';
import type { FlowGraph, GraphHostToWebview, GraphWebviewToHost } from '../../src/protocol.js';
import { startWebviewHarness, type WebviewHarness, type WebviewPage } from './harness.js';

const FLOW_TEXT = readFileSync(join(ROOT, 'test/fixtures/graph/every-edge.flow.json'), 'utf8');
const URI = 'file:///work/every-edge.flow.json';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

function graphOf(text: string): FlowGraph {
  const reading = readFlowGraph(text, 'every-edge.flow.json');
  assert.ok(reading.ok, 'the fixture parses');
  return reading.graph;
}

function init(graph: FlowGraph | null, extra: Partial<Extract<GraphHostToWebview, { type: 'init' }>> = {}): GraphHostToWebview {
  return { type: 'init', uri: URI, fileName: 'every-edge.flow.json', locked: false, graph, problem: null, selected: null, live: [], coverage: null, failing: [], ...extra };
}

async function send(view: WebviewPage, message: GraphHostToWebview): Promise<void> {
  await view.page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), message);
}

/** Waits until the page has drawn `times` more times than `since`. */
async function drawn(view: WebviewPage, since = 0): Promise<number> {
  const handle = await view.page.waitForFunction((before) => {
    const rendered = Number(document.querySelector('svg.canvas')?.getAttribute('data-rendered') ?? '0');
    return rendered > before ? rendered : false;
  }, since);
  return Number(await handle.jsonValue());
}

function sent(view: WebviewPage): GraphWebviewToHost[] {
  return view.messages as unknown as GraphWebviewToHost[];
}

async function withGraph(run: (view: WebviewPage) => Promise<void>, message: GraphHostToWebview = init(graphOf(FLOW_TEXT))): Promise<void> {
  const view = await harness.open({ bundle: 'graph', title: 'Flow Graph', workers: true });
  try {
    await view.waitForMessage('ready');
    await send(view, message);
    await drawn(view);
    await run(view);
    assert.deepEqual(view.problems(), [], 'no console errors, uncaught exceptions or CSP violations');
    assert.deepEqual(view.blockedRequests, [], 'nothing is fetched from the network');
  } finally {
    await view.close();
  }
}

test('every state is a node named in text, and every way out is an edge labelled with its trigger', async () => {
  await withGraph(async (view) => {
    const names = await view.page.locator('.node .name').allTextContents();
    assert.deepEqual(names.sort(), ['ask_id', 'cancel', 'decide', 'help', 'lookup', 'orphan', 'shipped', 'sorry', '▶ start'].sort());
    const labels = await view.page.locator('.edge-label text').allTextContents();
    for (const label of ['Track an order', 'Get help', 'yes | ndiyo', '/^\\d{4}$/', 'intent greet', 'default', 'always', '✓ success', '✗ failure', 'then', 'else', 'cancel intent']) {
      assert.ok(labels.includes(label), `an edge labelled '${label}' in ${JSON.stringify(labels)}`);
    }
    assert.equal(labels.length, 15, 'one edge per way out');
    const marks = async (state: string): Promise<string> => (await view.page.locator(`.node[data-state="${state}"] .marks`).textContent()) ?? '';
    assert.match(await marks('start'), /buttons/);
    assert.match(await marks('lookup'), /API_CALL/);
    assert.match(await marks('decide'), /CONDITION/);
    assert.match(await marks('help'), /LLM_AGENT/);
    assert.match(await marks('sorry'), /SEND_MESSAGE/);
    assert.match(await marks('shipped'), /media/);
    assert.match(await marks('cancel'), /cancel intent/);
    assert.match(await marks('orphan'), /nothing leads here/);
    assert.equal(await view.page.locator('.node[data-state="start"] .first-line').textContent(), 'Karibu! What would you like?');
    assert.ok(await view.page.locator('.node.initial[data-state="start"]').count());
  });
});

test('a node is reached by keyboard with an accessible name; Enter reveals it; arrows move along the edges', async () => {
  await withGraph(async (view) => {
    const start = view.page.getByRole('button', { name: /^State start, initial state/ });
    assert.equal(await start.getAttribute('aria-label'), 'State start, initial state, buttons, 6 ways out');
    await start.focus();
    await view.page.keyboard.press('Enter');
    await view.waitFor(() => sent(view).some((message) => message.type === 'reveal'), 'a reveal');
    assert.deepEqual(sent(view).find((message) => message.type === 'reveal'), { type: 'reveal', state: 'start' });
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await view.page.evaluate(() => document.activeElement?.getAttribute('data-state')), 'ask_id', 'down goes to the first state it leads to');
    await view.page.keyboard.press('ArrowUp');
    assert.equal(await view.page.evaluate(() => document.activeElement?.getAttribute('data-state')), 'start', 'up goes back to a state that leads here');
    const orphan = view.page.getByRole('button', { name: 'State orphan, nothing leads here, 0 ways out' });
    assert.equal(await orphan.count(), 1);
  });
});

test('the node menu draws a transition: the author picks the target, and the host is asked to add it', async () => {
  await withGraph(async (view) => {
    await view.page.locator('.node[data-state="orphan"]').click({ button: 'right' });
    await view.page.getByRole('menuitem', { name: 'Draw Transition from Here…' }).click();
    assert.match((await view.page.getByRole('status').textContent()) ?? '', /Draw transition from 'orphan'/);
    await view.page.locator('.node[data-state="help"]').click();
    await view.waitFor(() => sent(view).some((message) => message.type === 'addTransition'), 'addTransition');
    assert.deepEqual(sent(view).find((message) => message.type === 'addTransition'), { type: 'addTransition', from: 'orphan', to: 'help' });
  });
});

test('while the text does not parse the last good graph stays, under a banner that names the line', async () => {
  await withGraph(async (view) => {
    await send(view, { type: 'problem', problem: { line: 12, message: 'Not valid JSON: comma expected.' } });
    const banner = view.page.getByRole('alert');
    await banner.waitFor();
    assert.equal(await banner.textContent(), 'The flow does not parse (line 12): Not valid JSON: comma expected. The graph shows the last version that did.');
    assert.equal(await view.page.locator('.node').count(), 9, 'the last good graph is still drawn');
    await send(view, { type: 'problem', problem: null });
    await banner.waitFor({ state: 'hidden' });
  });
});

test("a chat's path is drawn on the edges, numbered in order, with its current state marked", async () => {
  await withGraph(async (view) => {
    const before = await drawn(view);
    await send(view, {
      type: 'live',
      chats: [
        {
          panelId: 'p1',
          title: 'Every edge kind',
          current: 'lookup',
          steps: [
            { from: 'start', to: 'ask_id', edge: 'states.start.transitions.buttons.track' },
            { from: 'ask_id', to: 'lookup', edge: 'states.ask_id.transitions.regex["^\\\\d{4}$"]' },
          ],
        },
      ],
    });
    await drawn(view, before);
    const live = view.page.locator('.edge.live .edge-label text');
    assert.deepEqual(await live.allTextContents(), ['Track an order  #1', '/^\\d{4}$/  #2']);
    assert.equal(await view.page.locator('.node.current').getAttribute('data-state'), 'lookup');
    assert.match((await view.page.locator('.node.current').getAttribute('aria-label')) ?? '', /current state of a chat/);
    assert.equal(await view.page.getByRole('combobox', { name: 'Chat whose path is drawn' }).inputValue(), 'p1');
  });
});

test('coverage marks what no test reached and shows the totals in the header', async () => {
  await withGraph(async (view) => {
    const before = await drawn(view);
    await send(view, { type: 'coverage', coverage: { statesReached: 7, statesTotal: 9, transitionsReached: 13, transitionsTotal: 15, unreachedStates: ['orphan', 'shipped'], unreachedEdges: ['states.decide.actions[0].then', 'states.shipped.transitions.always'] } });
    await drawn(view, before);
    assert.equal(await view.page.locator('.coverage').textContent(), 'Coverage: 7/9 states, 13/15 transitions');
    assert.deepEqual((await view.page.locator('.node.uncovered').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-state')))).sort(), ['orphan', 'shipped']);
    assert.deepEqual((await view.page.locator('.edge.uncovered').evaluateAll((edges) => edges.map((edge) => edge.getAttribute('data-edge')))).sort(), ['states.decide.actions[0].then', 'states.shipped.transitions.always']);
    assert.match((await view.page.locator('.node[data-state="shipped"] .marks').textContent()) ?? '', /not covered/);
  });
});

test("a failing test's path is drawn up to the state where its step failed", async () => {
  await withGraph(async (view) => {
    await send(view, { type: 'failing', tests: [{ name: 'tracks an order', message: 'step 2: expected state decide', steps: [{ from: 'start', to: 'ask_id', edge: 'states.start.transitions.buttons.track' }], failedAt: 'ask_id' }] });
    const picker = view.page.getByRole('combobox', { name: 'Failing test whose path is drawn' });
    await picker.waitFor();
    const before = await drawn(view);
    await picker.selectOption({ label: '✗ tracks an order' });
    await drawn(view, before);
    assert.deepEqual(await view.page.locator('.edge.failing .edge-label text').allTextContents(), ['Track an order  #1']);
    assert.equal(await view.page.locator('.node.failed-here').getAttribute('data-state'), 'ask_id');
  });
});

test('the search box finds a state and selects it', async () => {
  await withGraph(async (view) => {
    await view.page.getByRole('searchbox', { name: 'Find a state' }).fill('shipp');
    await view.page.locator('.node.selected[data-state="shipped"]').waitFor();
    assert.equal(await view.page.locator('.search-status').textContent(), 'shipped: 1 of 1');
  });
});

test('adding one state keeps every other state where it was', async () => {
  await withGraph(async (view) => {
    const positions = () => view.page.locator('.node').evaluateAll((nodes) => Object.fromEntries(nodes.map((node) => [node.getAttribute('data-state'), node.getAttribute('transform')])));
    const before = await positions();
    const flow = JSON.parse(FLOW_TEXT) as Record<string, unknown>;
    flow['new_state'] = { message: 'TODO', transitions: { default: 'start' } };
    (flow['help'] as Record<string, unknown>)['transitions'] = { default: 'new_state' };
    const version = await drawn(view);
    await send(view, { type: 'graph', uri: URI, fileName: 'every-edge.flow.json', graph: graphOf(JSON.stringify(flow, null, 2)) });
    await drawn(view, version);
    const afterEdit = await positions();
    assert.ok(afterEdit['new_state'], 'the new state is drawn');
    for (const [state, transform] of Object.entries(before)) {
      assert.equal(afterEdit[state], transform, `'${state}' did not move`);
    }
  });
});

test('Save as SVG posts the whole drawing as a standalone SVG; Copy as Mermaid asks the host', async () => {
  await withGraph(async (view) => {
    await view.page.getByRole('button', { name: 'Save as SVG' }).click();
    await view.waitFor(() => sent(view).some((message) => message.type === 'saveSvg'), 'saveSvg');
    const saved = sent(view).find((message): message is Extract<GraphWebviewToHost, { type: 'saveSvg' }> => message.type === 'saveSvg');
    assert.ok(saved);
    assert.match(saved.svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(saved.svg, /viewBox="0 0 \d+ \d+"/);
    assert.ok(saved.svg.includes('<style>'), 'the theme colours are written in');
    assert.equal((saved.svg.match(/class="node[ "]/g) ?? []).length, 9);
    assert.ok(!saved.svg.includes('tabindex'), 'no keyboard stops in a file');
    await view.page.getByRole('button', { name: 'Copy as Mermaid' }).click();
    await view.waitFor(() => sent(view).some((message) => message.type === 'copyMermaid'), 'copyMermaid');
  });
});
