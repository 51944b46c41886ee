// The Why? disclosure under a traced bot turn: asked of the host on first open, and each event of
// the sandbox trace said in plain words, whatever the trigger; events and fields the page does not
// know still show, as key/value lines; on Sarufi there is no trace, and the page says why.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TraceEvent } from '../../src/flow/engine.js';
import { openChat, posted, session, text, trace, tracedTurn, turn, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness, type WebviewPage } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

/** Events as the sandbox may send them: the engine's kinds, with the details helper A adds (pattern, score, mocked). */
type SentEvent = TraceEvent | Record<string, unknown>;

const TRIGGERS: [string, SentEvent, string][] = [
  ['a button', { type: 'transition', from: 'menu', to: 'size', trigger: 'button', key: 'yes' }, 'Matched button yes → size'],
  ['a keyword', { type: 'transition', from: 'menu', to: 'size', trigger: 'keyword', key: 'pizza|piza' }, 'Matched keyword pizza|piza → size'],
  ['a regex, with its pattern', { type: 'transition', from: 'menu', to: 'size', trigger: 'regex', key: 'number', pattern: '^\\d+$' }, 'Matched regex /^\\d+$/ → size'],
  ['an intent, with its score', { type: 'transition', from: 'menu', to: 'greeting', trigger: 'intent', key: 'greet', score: 0.8234 }, 'Intent greet (score 0.82) → greeting'],
  ['the default', { type: 'transition', from: 'menu', to: 'help', trigger: 'default' }, 'No trigger matched: default → help'],
  ['always', { type: 'transition', from: 'help', to: 'menu', trigger: 'always' }, 'Moved on automatically (always) → menu'],
  ['a CONDITION', { type: 'condition', state: 'check', expression: 'x > 3', result: true }, 'CONDITION x > 3 was true'],
  ['a CONDITION\'s move, by the branch it took (the CONDITION line above says the expression once)', { type: 'transition', from: 'check', to: 'big', trigger: 'condition', key: 'x > 3', value: true }, 'Took its then branch → big'],
  ['a CONDITION\'s else move', { type: 'transition', from: 'check', to: 'small', trigger: 'condition', key: 'x > 3', value: false }, 'Took its else branch → small'],
  [
    'a mocked API_CALL',
    { type: 'api_call', state: 'order', method: 'POST', url: 'https://api.example.test/orders', status: 200, ok: true, error: null, durationMs: 12, fireAndForget: false, mocked: true },
    'API_CALL POST https://api.example.test/orders → 200 in 12 ms (mocked)',
  ],
  [
    'a live API_CALL that failed',
    { type: 'api_call', state: 'order', method: 'GET', url: 'https://api.example.test/menu', status: null, ok: false, error: 'connection refused', durationMs: 30, fireAndForget: false, request: { headers: {}, body: null }, response: null, mocked: false },
    'API_CALL GET https://api.example.test/menu → no response: connection refused in 30 ms',
  ],
  ['an API_CALL\'s success transition', { type: 'transition', from: 'order', to: 'thanks', trigger: 'api_success', status: 200 }, 'API_CALL succeeded (200): its success transition → thanks'],
  ['an API_CALL\'s failure transition', { type: 'transition', from: 'order', to: 'sorry', trigger: 'api_failure', status: null }, 'API_CALL failed (no answer): its failure transition → sorry'],
  ['a keyword, its pattern kept out of the words', { type: 'transition', from: 'menu', to: 'size', trigger: 'keyword', key: 'yes|ndiyo', pattern: '\\b(yes|ndiyo)\\b' }, 'Matched keyword yes|ndiyo → size'],
  ['a cancel intent', { type: 'transition', from: 'size', to: 'cancel', trigger: 'cancel_intent', key: 'cancel', score: 0.9 }, 'Intent cancel (score 0.90) cancels the flow → cancel'],
  ['an input nothing matched', { type: 'no_match', state: 'menu', input: 'banana' }, 'Nothing matched “banana” in menu: the state asks again'],
  ['a saved answer', { type: 'variable', name: 'menu', value: 'pizza' }, 'Saved menu = "pizza"'],
  ['an entered state', { type: 'enter', state: 'size' }, 'Entered state size'],
];

let view: WebviewPage;

/** One page for the trigger tests: a traced turn whose trace holds one event of each kind. */
async function whyPage(): Promise<WebviewPage> {
  if (!view) {
    const events = TRIGGERS.map(([, event]) => event) as TraceEvent[];
    view = await openChat(harness, { session: session({ environmentId: 'sandbox', environment: 'sandbox' }), entries: [tracedTurn('t1', [text('Which size?')], trace({ events }), { user: { text: 'yes' } })] });
    await view.page.getByRole('button', { name: 'Why?' }).click();
    await view.page.getByRole('region', { name: 'Why' }).waitFor();
  }
  return view;
}

for (const [index, [kind, , words]] of TRIGGERS.entries()) {
  test(`Why? says ${kind} in plain words: "${words}"`, async () => {
    const page = (await whyPage()).page;
    const line = page.getByRole('region', { name: 'Why' }).locator('.why-event').nth(index).locator('.why-text');
    assert.equal(await line.innerText(), words);
  });
}

test('the trigger page asked for the trace once, by the turn\'s entry id, and stayed healthy', async () => {
  const page = await whyPage();
  assert.deepEqual(
    posted(page, 'trace').map(({ entryId }) => entryId),
    ['t1'],
  );
  assert.ok((await page.page.getByRole('region', { name: 'Why' }).innerText()).startsWith('Turn 1: from menu to size'));
  assert.deepEqual(page.problems(), []);
  await page.close();
});

test('an event kind the page does not know, and fields it does not name, show as key/value lines', async () => {
  const events = [
    { type: 'teleport', where: 'mars' },
    { type: 'transition', from: 'menu', to: 'size', trigger: 'button', key: 'yes', matchedText: 'YES' },
  ] as unknown as TraceEvent[];
  await withChat(harness, { entries: [tracedTurn('t1', [text('Hi')], trace({ events }))] }, async (chat) => {
    await chat.page.getByRole('button', { name: 'Why?' }).click();
    const items = chat.page.getByRole('region', { name: 'Why' }).locator('.why-event');
    assert.equal(await items.nth(0).locator('.why-text').innerText(), 'Event teleport');
    assert.equal(await items.nth(0).locator('.why-extra dt').innerText(), 'where');
    assert.equal(await items.nth(0).locator('.why-extra dd').innerText(), '"mars"');
    assert.equal(await items.nth(1).locator('.why-text').innerText(), 'Matched button yes → size');
    assert.equal(await items.nth(1).locator('.why-extra dt').innerText(), 'matchedText');
  });
});

test('an API_CALL\'s request and response open behind a disclosure, its masked header named', async () => {
  const events = [
    {
      type: 'api_call', state: 'order', method: 'POST', url: 'https://api.example.test/orders', status: 201, ok: true, error: null, durationMs: 40, fireAndForget: false, mocked: false,
      request: { headers: { authorization: '••••••', 'content-type': 'application/json' }, body: { size: 'large' } },
      response: { status: 201, body: '{"id":7}', truncated: false },
    },
  ] as unknown as TraceEvent[];
  await withChat(harness, { entries: [tracedTurn('t1', [text('Ordered')], trace({ events, masked: ['events[0].request.headers.authorization'] }))] }, async (chat) => {
    await chat.page.getByRole('button', { name: 'Why?' }).click();
    const event = chat.page.locator('.why-event').first();
    assert.equal(await event.locator('.why-text').innerText(), 'API_CALL POST https://api.example.test/orders → 201 in 40 ms');
    const details = event.locator('details.why-exchange');
    assert.equal(await details.locator('.json-tree').first().isVisible(), false, 'closed until asked');
    await details.locator('> summary').click();
    assert.ok(await details.getByText('"large"').isVisible());
    assert.ok(await details.getByText('"{\\"id\\":7}"').isVisible());
    assert.ok(await details.getByText('masked: request.headers.authorization (names that look like a secret)').isVisible());
  });
});

test('a trace the server did not send reads as a sandbox feature, and the toggle hides the view again', async () => {
  await withChat(harness, { entries: [tracedTurn('t1', [text('Hi')], null)] }, async (chat) => {
    const why = chat.page.getByRole('button', { name: 'Why?' });
    await why.click();
    const region = chat.page.getByRole('region', { name: 'Why' });
    assert.equal(await region.innerText(), "The trace is a sandbox feature: Sarufi doesn't say why.");
    assert.equal(await why.getAttribute('aria-expanded'), 'true');
    assert.equal(await why.getAttribute('aria-controls'), await region.getAttribute('id'));
    await why.click();
    assert.equal(await region.isVisible(), false);
    assert.equal(await why.getAttribute('aria-expanded'), 'false');
    assert.equal(posted(chat, 'trace').length, 1, 'asked once');
  });
});

test('an untraced turn (Sarufi) has no Why?, and the debug bar says once that it is a sandbox feature', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')]), turn('t2', [text('Again')])] }, async (chat) => {
    assert.ok(await chat.page.getByText('Again').isVisible());
    assert.equal(await chat.page.getByRole('button', { name: 'Why?' }).count(), 0);
    const note = chat.page.getByRole('group', { name: 'Flow debugger' }).getByText(/sandbox feature/);
    assert.equal(await note.innerText(), "Personas are a sandbox feature, and so are Why? and Variables: Sarufi doesn't say why a bot answered.");
    assert.deepEqual(posted(chat, 'trace'), []);
  });
});
