// The flow graph's pure side in plain Node: the graph read from a flow (edges from the symbol
// index, named by the model's paths), diagnostics counted per state, the Mermaid export, the
// paths drawn over it (a chat, a failing test, coverage) and the canvas's text edits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits as applyJsonEdits } from 'jsonc-parser';
import { ROOT } from '../../scripts/lib/paths.mjs';
import type { Transcript, TurnEntry } from '../../src/chat/transcript.js';
import type { TestResult } from '../../src/conversationTests/runner.js';
import { analyzeFlow } from '../../src/flow/validator.js';
import type { FlowModel } from '../../src/flow/flowTypes.js';
import { FlowDocument } from '../../src/flows/flowDocument.js';
import { readFlowGraph, stateAtLine, toMermaid, withProblems } from '../../src/flows/flowGraph.js';
import { addStateEdit, addTransitionEdit, deleteStateEdit, deleteTransitionEdit, GraphEditError, incomingTransitions } from '../../src/flows/graphEdits.js';
import { failingTests, graphCoverage, liveChat } from '../../src/flows/graphPaths.js';
import type { Range } from '../../src/flows/positions.js';

const FIXTURE = readFileSync(join(ROOT, 'test/fixtures/graph/every-edge.flow.json'), 'utf8');
const EXAMPLES = ['pizza-order.flow.json', 'support-bot.flow.json'].map((name) => readFileSync(join(ROOT, 'examples', name), 'utf8'));
const FORMAT = { tabSize: 2, insertSpaces: true, eol: '\n' };

function read(text: string) {
  const reading = readFlowGraph(text, 'x.flow.json');
  assert.ok(reading.ok, 'the flow parses');
  return reading;
}

function modelOf(text: string): FlowModel {
  const model = analyzeFlow(JSON.parse(text) as unknown).model;
  assert.ok(model);
  return model;
}

/** Applies pure text edits (ranges) to a text. */
function apply(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = new FlowDocument(text).lines;
  const offsetOf = (position: Range['start']): number => {
    for (let offset = 0; offset <= text.length; offset += 1) {
      const at = lines.position(offset);
      if (at.line === position.line && at.character === position.character) {
        return offset;
      }
    }
    throw new Error('position outside the text');
  };
  return applyJsonEdits(text, edits.map((edit) => ({ offset: offsetOf(edit.range.start), length: offsetOf(edit.range.end) - offsetOf(edit.range.start), content: edit.newText })));
}

describe('reading the graph', () => {
  it("names each edge by the flow model's path of its field, for every edge of the fixture and the examples", () => {
    for (const text of [FIXTURE, ...EXAMPLES]) {
      const { graph } = read(text);
      assert.deepEqual(graph.edges.map((edge) => edge.id).sort(), modelOf(text).edges.map((edge) => edge.path).sort());
    }
  });

  it('gives the line of the first syntax error when the text does not parse', () => {
    const reading = readFlowGraph('{\n  "start": {\n    "message": "hi",,\n  }\n}', 'x.flow.json');
    assert.ok(!reading.ok);
    assert.equal(reading.problem.line, 3);
    assert.match(reading.problem.message, /Not valid JSON/);
  });

  it('marks an edge to a state the flow lacks as dangling', () => {
    const { graph } = read('{"start": {"message": "hi", "transitions": {"default": "nowhere"}}}');
    assert.deepEqual(graph.edges.map((edge) => [edge.to, edge.dangling]), [['nowhere', true]]);
  });

  it("counts the editor's diagnostics on each state's range, and finds the state under the cursor", () => {
    const reading = read(FIXTURE);
    const lookup = reading.states.find((state) => state.name === 'lookup');
    assert.ok(lookup);
    const graph = withProblems(reading.graph, reading.states, [
      { line: lookup.range.start.line + 1, severity: 'warning', message: 'slow API' },
      { line: lookup.range.start.line + 2, severity: 'error', message: 'bad path' },
    ]);
    const node = graph.nodes.find((candidate) => candidate.id === 'lookup');
    assert.deepEqual([node?.errors, node?.warnings, node?.problem], [1, 1, 'bad path']);
    assert.equal(graph.nodes.filter((candidate) => candidate.errors + candidate.warnings > 0).length, 1);
    assert.equal(stateAtLine(reading.states, lookup.range.start.line + 2), 'lookup');
  });

  it('exports a stateDiagram-v2 with the initial state, every state by name and every edge labelled', () => {
    const mermaid = toMermaid(read(FIXTURE).graph);
    const lines = mermaid.trimEnd().split('\n');
    assert.equal(lines[0], 'stateDiagram-v2');
    assert.ok(lines.includes('  state "start" as s0'));
    assert.ok(lines.includes('  [*] --> s0'));
    assert.ok(lines.includes('  s0 --> s1: Track an order'));
    assert.ok(lines.includes('  s2 --> s3: ✓ success'));
    assert.equal(lines.filter((line) => line.includes(' --> s') && !line.includes('[*]')).length, 15);
    assert.ok(!/[;#]/.test(mermaid.replace('stateDiagram-v2', '')), 'no statement breaks inside labels');
  });
});

describe('paths drawn over the graph', () => {
  const model = modelOf(FIXTURE);
  const turn = (currentState: string, user?: { text: string; buttonId?: string }, messages: TurnEntry['messages'] = []): TurnEntry =>
    ({ kind: 'turn', id: `t-${currentState}`, sessionId: 's', ...(user ? { user } : {}), messages, currentState, messagesCount: null, at: '', durationMs: 1, status: 200, exchange: {} as TurnEntry['exchange'] }) as TurnEntry;

  it("draws a chat's path in order from its transcript: the clicked button, then the regex", async () => {
    const transcript = {
      version: 1,
      session: { trail: ['ask_id', 'lookup'] },
      entries: [turn('start', undefined, [{ type: 'buttons', text: 'hi', buttons: [{ id: 'track', title: 'Track an order' }] }]), turn('ask_id', { text: 'Track an order', buttonId: 'track' }), turn('lookup', { text: '1042' })],
    } as unknown as Transcript;
    const chat = await liveChat(model, 'p1', 'Chat', transcript);
    assert.equal(chat.current, 'lookup');
    assert.deepEqual(chat.steps, [
      { from: 'start', to: 'ask_id', edge: 'states.start.transitions.buttons.track' },
      { from: 'ask_id', to: 'lookup', edge: 'states.ask_id.transitions.regex["^\\\\d{4}$"]' },
    ]);
  });

  it("draws a failing test's path up to the state it stood in when its step failed", async () => {
    const result = {
      test: { name: 'tracks' },
      status: 'failed',
      flowPath: '/f.flow.json',
      steps: [{ status: 'failed', step: { label: 'step 2' }, failures: ['expected decide'] }],
      observed: [
        { sent: null, offered: [], currentState: null, replyCount: 1 },
        { sent: { message: 'Track an order', buttonId: 'track' }, offered: [], currentState: 'ask_id', replyCount: 1 },
      ],
    } as unknown as TestResult;
    const [failing] = await failingTests(model, '/f.flow.json', [result, { ...result, flowPath: '/other.flow.json' } as TestResult]);
    assert.deepEqual(failing, { name: 'tracks', message: 'step 2: expected decide', steps: [{ from: 'start', to: 'ask_id', edge: 'states.start.transitions.buttons.track' }], failedAt: 'ask_id' });
  });

  it('sums coverage and lists what no test reached by state name and edge path', () => {
    const coverage = graphCoverage({
      flowPath: '/f',
      states: [{ name: 'a', reached: true, line: 1 }, { name: 'b', reached: false, line: 2 }],
      transitions: [{ from: 'a', to: 'b', kind: 'default', path: 'states.a.transitions.default', reached: false, line: 3 }],
      stoppedRegexes: [],
    });
    assert.deepEqual(coverage, { statesReached: 1, statesTotal: 2, transitionsReached: 0, transitionsTotal: 1, unreachedStates: ['b'], unreachedEdges: ['states.a.transitions.default'] });
  });
});

describe("the canvas's edits", () => {
  const text = '{\n  "start": {\n    "message": "Hi",\n    "transitions": {\n      "buttons": {\n        "go": "next"\n      }\n    }\n  },\n  "next": {\n    "message": "There"\n  }\n}\n';

  it('Add State adds new_state with a TODO message at the end of the states, keeping the indentation, and new_state_2 next', () => {
    const { name, edits } = addStateEdit(text, FORMAT);
    assert.equal(name, 'new_state');
    const after = apply(text, edits);
    assert.ok(after.endsWith(`  "next": {\n    "message": "There"\n  },\n  "new_state": {\n    "message": "TODO: what the bot says in 'new_state'."\n  }\n}\n`), after);
    assert.equal(addStateEdit(after, FORMAT).name, 'new_state_2');
  });

  it('draws a transition as one field under transitions, and refuses to replace one that exists', () => {
    const after = apply(text, addTransitionEdit(text, 'next', 'start', { kind: 'keyword', key: 'menu|back' }, FORMAT));
    assert.deepEqual(JSON.parse(after).next.transitions, { keywords: { 'menu|back': 'start' } });
    assert.equal(after.slice(0, text.indexOf('"next"')), text.slice(0, text.indexOf('"next"')), 'the text before the state is untouched');
    assert.throws(() => addTransitionEdit(text, 'start', 'start', { kind: 'button', id: 'go' }, FORMAT), GraphEditError);
  });

  it('deletes a transition by its path, and the emptied buttons section with it', () => {
    const after = apply(text, deleteTransitionEdit(text, 'states.start.transitions.buttons.go', FORMAT));
    assert.deepEqual(JSON.parse(after).start, { message: 'Hi', transitions: {} });
  });

  it('lists the transitions that still lead to a state, and deletes the state with them (one edit) or alone', () => {
    assert.deepEqual(incomingTransitions(text, 'next'), [{ from: 'start', path: 'states.start.transitions.buttons.go' }]);
    const edits = deleteStateEdit(text, 'next', true, FORMAT);
    assert.equal(edits.length, 1, 'one replacement: one undo step');
    assert.deepEqual(JSON.parse(apply(text, edits)), { start: { message: 'Hi', transitions: {} } });
    assert.deepEqual(JSON.parse(apply(text, deleteStateEdit(text, 'next', false, FORMAT))), { start: { message: 'Hi', transitions: { buttons: { go: 'next' } } } });
  });

  it('works on the wrapped shape too, and refuses a text that does not parse', () => {
    const wrapped = JSON.stringify({ name: 'W', states: { start: { message: 'Hi' } } }, null, 2);
    const after = apply(wrapped, addTransitionEdit(wrapped, 'start', 'start', { kind: 'default' }, FORMAT));
    assert.deepEqual(JSON.parse(after).states.start.transitions, { default: 'start' });
    assert.throws(() => addStateEdit('{"start": ', FORMAT), /does not parse/);
  });
});
