// Where a sandbox chat goes on when the sandbox lost its session: the last turn's state and
// variables from its trace, secrets (masked in the trace) left out and named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planResume, resumedNotice } from '../../src/chat/resume.js';
import type { Transcript, TurnEntry } from '../../src/chat/transcript.js';
import { MASKED_VALUE, TRACE_FIELD } from '../../src/flow/turnTrace.js';

function turnWith(id: string, sessionId: string, trace: unknown, pending = false): TurnEntry {
  const responseJson = trace === undefined ? { messages: [] } : { messages: [], [TRACE_FIELD]: trace };
  return {
    kind: 'turn',
    id,
    sessionId,
    user: { text: 'x' },
    messages: [],
    currentState: null,
    messagesCount: null,
    at: '2026-12-06T10:00:00.000Z',
    durationMs: 1,
    status: 200,
    ...(pending ? { pending: true as const } : {}),
    exchange: { method: 'POST', url: 'http://127.0.0.1:1/x', requestHeaders: {}, requestBody: undefined, status: 200, responseHeaders: {}, responseText: JSON.stringify(responseJson), responseJson, startedAt: '', durationMs: 1, attempt: 1 },
  };
}

function trace(turn: number, to: string, after: Record<string, unknown>) {
  return { version: 1, turn, from: 'x', to, events: [], variables: { before: {}, after }, masked: [] };
}

function transcriptOf(entries: TurnEntry[], sessionId = 'S2'): Transcript {
  return {
    version: 1,
    session: { chatbotId: 'b', chatbotName: 'Pizza', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: '', sessionId, createdAt: null, messagesCount: null, expiresAt: null, trail: [], status: 'open' },
    entries,
  };
}

test("the plan is the session's last answered turn: its state, turn and variables, the masked ones left out", () => {
  const plan = planResume(
    transcriptOf([
      turnWith('a', 'S1', trace(4, 'old', {})),
      turnWith('b', 'S2', trace(1, 'choose_pizza', { pizza: 'margherita', api_token: MASKED_VALUE, nested: { ok: 1, secret: MASKED_VALUE } })),
      turnWith('c', 'S2', undefined, true),
    ]),
  );
  assert.deepEqual(plan, { state: 'choose_pizza', variables: { pizza: 'margherita' }, turn: 1, masked: ['api_token', 'nested'] });
});

test('a __proto__ variable is kept as a variable, not set as the prototype', () => {
  const after = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
  const plan = planResume(transcriptOf([turnWith('b', 'S2', trace(1, 's', after))]));
  assert.ok(plan);
  assert.ok(Object.hasOwn(plan.variables, '__proto__'));
  assert.equal((plan.variables as { polluted?: boolean }).polluted, undefined);
});

test('no plan when the last turn has no trace (not a sandbox turn), or there is no turn', () => {
  assert.equal(planResume(transcriptOf([turnWith('b', 'S2', undefined)])), undefined);
  assert.equal(planResume(transcriptOf([])), undefined);
});

test('the notice says why, where the chat goes on, and which variables were not restored', () => {
  const plan = { state: 'choose_pizza', variables: {}, turn: 1, masked: ['api_token'] };
  assert.equal(
    resumedNotice('VS Code was reloaded and the local sandbox with it', plan),
    "VS Code was reloaded and the local sandbox with it, so its session was lost: this chat goes on in a new session from 'choose_pizza', with its variables ('api_token' is not restored: the trace masks secrets).",
  );
  assert.match(resumedNotice('x', { ...plan, masked: ['a', 'b'] }), /\(2 variables are not restored/);
});
