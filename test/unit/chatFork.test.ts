import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatSession } from '../../src/chat/chatSession.js';
import type { ChatApi } from '../../src/chat/chatSession.js';
import { forkDivider, planFork, replayInputs } from '../../src/chat/fork.js';
import type { Transcript, TranscriptEntry, TurnEntry, UserInput } from '../../src/chat/transcript.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import type { SandboxSessionRequest } from '../../src/sarufi/sandboxExtensions.js';
import { TRACE_FIELD } from '../../src/flow/turnTrace.js';

function exchange(responseJson: unknown = undefined): Exchange {
  return { method: 'POST', url: 'http://127.0.0.1/x', requestHeaders: {}, requestBody: undefined, status: 200, responseHeaders: {}, responseText: '', responseJson, startedAt: new Date(0).toISOString(), durationMs: 1, attempt: 1 };
}

function turn(id: string, sessionId: string, user: UserInput | undefined, state: string | null, extra: Partial<TurnEntry> = {}): TurnEntry {
  return { kind: 'turn', id, sessionId, ...(user ? { user } : {}), messages: [{ type: 'text', text: id }], currentState: state, messagesCount: null, at: 'T', durationMs: 1, status: 200, exchange: exchange(), ...extra };
}

function transcriptOf(entries: TranscriptEntry[]): Transcript {
  return { version: 1, session: { chatbotId: 'B', chatbotName: 'Pizza', environmentId: 'custom', environment: 'Custom server', baseUrl: 'http://127.0.0.1:1', sessionId: 'S2', createdAt: null, messagesCount: null, expiresAt: null, trail: [], status: 'open' }, entries };
}

const chat = transcriptOf([
  turn('old-greeting', 'S1', undefined, null),
  turn('old-1', 'S1', { text: 'Hi' }, 'menu'),
  { kind: 'divider', id: 'd', text: 'New session started', at: 'T' },
  turn('g', 'S2', undefined, null),
  turn('t1', 'S2', { text: 'Order', buttonId: 'order' }, 'size'),
  { kind: 'error', id: 'x', sessionId: 'S2', message: 'Server error', errorKind: 'server', status: 500, remedy: 'retry', input: { text: 'Large' }, at: 'T' },
  turn('t2', 'S2', { text: 'Large', buttonId: 'large' }, 'extras'),
  turn('t3', 'S2', { text: 'Cheese', buttonId: 'cheese' }, 'confirm'),
  turn('p', 'S2', { text: 'Yes' }, null, { pending: true }),
]);

test("a fork from the second reply copies the entries up to it and replays only that session's answered inputs", () => {
  const plan = planFork(chat, 't2');
  assert.ok(!('error' in plan));
  assert.equal(plan.sessionId, 'S2');
  assert.equal(plan.turn, 2);
  assert.equal(plan.state, 'extras');
  assert.deepEqual(plan.inputs, [{ text: 'Order', buttonId: 'order' }, { text: 'Large', buttonId: 'large' }]);
  assert.deepEqual(plan.entries.map((entry) => entry.id), ['old-greeting', 'old-1', 'd', 'g', 't1', 'x', 't2']);
  assert.equal(forkDivider(plan, 'n', 'T').text, "Forked from turn 2 (state 'extras'): a new session starts here");
});

test("the trace's turn number is the one a fork names, and a greeting is turn 0", () => {
  const traced = transcriptOf([turn('g', 'S', undefined, null, { exchange: exchange({ [TRACE_FIELD]: { version: 1, turn: 0, from: null, to: 'start', events: [], variables: { before: {}, after: {} }, masked: [] } }) }), turn('t', 'S', { text: 'a' }, 'b', { exchange: exchange({ [TRACE_FIELD]: { version: 1, turn: 7, from: 'start', to: 'b', events: [], variables: { before: {}, after: {} }, masked: [] } }) })]);
  const greeting = planFork(traced, 'g');
  assert.ok(!('error' in greeting));
  assert.equal(greeting.turn, 0);
  assert.equal(greeting.state, 'start');
  const later = planFork(traced, 't');
  assert.ok(!('error' in later));
  assert.equal(later.turn, 7);
});

test('a pending turn, an error or an unknown entry cannot be forked from, in plain words', () => {
  assert.match((planFork(chat, 'p') as { error: string }).error, /no reply yet/);
  assert.match((planFork(chat, 'x') as { error: string }).error, /bot turn/);
  assert.match((planFork(chat, 'gone') as { error: string }).error, /not in the transcript/);
});

test('a replay sends every input in order and reports its progress', async () => {
  const sent: UserInput[] = [];
  const progress: string[] = [];
  const outcome = await replayInputs({ send: async (input) => (sent.push(input), true) }, [{ text: 'a' }, { text: 'b' }], { signal: new AbortController().signal, onProgress: (done, total) => progress.push(`${done}/${total}`) });
  assert.deepEqual(outcome, { kind: 'done', sent: 2 });
  assert.deepEqual(sent, [{ text: 'a' }, { text: 'b' }]);
  assert.deepEqual(progress, ['0/2', '1/2', '2/2']);
});

test('a cancel stops the replay before the next input, never mid-turn', async () => {
  const controller = new AbortController();
  const sent: string[] = [];
  const outcome = await replayInputs(
    {
      send: async (input) => {
        sent.push(input.text);
        controller.abort();
        return true;
      },
    },
    [{ text: 'a' }, { text: 'b' }, { text: 'c' }],
    { signal: controller.signal, onProgress: () => undefined },
  );
  assert.deepEqual(outcome, { kind: 'cancelled', sent: 1 });
  assert.deepEqual(sent, ['a']);
});

test('a replay stops at the first input the server did not answer', async () => {
  const outcome = await replayInputs({ send: async (input) => input.text !== 'b' }, [{ text: 'a' }, { text: 'b' }, { text: 'c' }], { signal: new AbortController().signal, onProgress: () => undefined });
  assert.deepEqual(outcome, { kind: 'failed', sent: 1 });
});

test("a session started in a state sends the start with the persona and takes the state from the greeting's trace", async () => {
  const requests: (SandboxSessionRequest | undefined)[] = [];
  const api: ChatApi = {
    createSession: async (_bot, _signal, request) => {
      requests.push(request);
      return { data: { session_id: 'S9', channel: 'api', created_at: '2026-12-04T10:00:00Z', messages: [] }, exchange: exchange({ [TRACE_FIELD]: { version: 1, turn: 0, from: null, to: 'pay', events: [], variables: { before: {}, after: {} }, masked: [] } }) };
    },
    sendMessage: () => Promise.reject(new Error('unused')),
  };
  const session = new ChatSession({ api, chatbotId: 'B', chatbotName: 'Pizza', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: 'http://127.0.0.1:1' });
  session.setPersona({ contactName: 'Ann' });
  assert.equal(await session.start({ kind: 'state', state: 'pay', variables: { total: 3 } }), undefined);
  await session.restart();
  assert.deepEqual(requests, [{ persona: { contactName: 'Ann' }, start: { kind: 'state', state: 'pay', variables: { total: 3 } } }, { persona: { contactName: 'Ann' } }]);
  assert.equal((session.transcript.entries[0] as TurnEntry).currentState, 'pay');
  assert.deepEqual(session.transcript.entries.map((entry) => entry.kind), ['turn', 'divider', 'turn']);
  assert.equal(session.session.persona?.contactName, 'Ann');
});

test('a quiet start that fails records nothing and returns the failure; a plain one records it', async () => {
  const api: ChatApi = {
    createSession: () => Promise.reject(Object.assign(new Error('gone'), { kind: 'not-found', status: 404 })),
    sendMessage: () => Promise.reject(new Error('unused')),
  };
  const session = new ChatSession({ api, chatbotId: 'B', chatbotName: 'Pizza', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: 'http://127.0.0.1:1' });
  const failure = await session.start({ kind: 'fork', sessionId: 'S1', turn: 2 }, true);
  assert.equal(failure?.status, 404);
  assert.equal(session.transcript.entries.length, 0);
  await session.start();
  assert.deepEqual(session.transcript.entries.map((entry) => entry.kind), ['error']);
});
