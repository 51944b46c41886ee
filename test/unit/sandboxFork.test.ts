// The sandbox's session requests (README, "The sandbox's additions to the Chat API"): a fork
// starts at another session's turn without running anything again, a start enters any state, a
// persona reaches contact_name and the X-Sarufi-* headers, and a bad body is a 400 naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readTurnTrace } from '../../src/flow/turnTrace.js';
import type { TurnTrace } from '../../src/flow/turnTrace.js';
import type { SandboxSessionRequest } from '../../src/sarufi/sandboxExtensions.js';
import { MAX_SNAPSHOTS_PER_SESSION } from '../../src/sandbox/sessions.js';
import type { Conversation, CreateSessionResponse, SendMessageResponse } from '../../src/sarufi/types.js';
import { chatbotIdOf, removeTempDirs, sendJson, startRecordingServer, startTestSandbox } from './sandboxTestKit.js';
import type { ApiResponse, RecordingServer, TestSandbox } from './sandboxTestKit.js';

let backend: RecordingServer;
let t: TestSandbox;
let botId: string;

function orderFlow(backendUrl: string) {
  return {
    name: 'Order bot',
    states: {
      menu: {
        message: { type: 'buttons', text: 'Karibu!', buttons: [{ id: 'track', title: 'Track' }, { id: 'talk', title: 'Talk' }] },
        transitions: { buttons: { track: 'ask', talk: 'human' } },
      },
      ask: { message: 'Order number?', save_input_as: 'order_id', transitions: { default: 'lookup' } },
      lookup: {
        message: 'Looking…',
        actions: [{ type: 'API_CALL', url: `${backendUrl}/orders/{{variables.order_id}}`, save_to: 'order', success_transition: 'shown', failure_transition: 'failed' }],
      },
      shown: { message: 'Order {{variables.order.id}} is {{variables.order.status}}.', transitions: { keywords: { again: 'ask' }, default: 'shown' } },
      failed: { message: 'Failed.' },
      human: { message: 'Hi {{contact_name}}, an agent is coming.' },
    },
  };
}

before(async () => {
  backend = await startRecordingServer((request, response) => {
    sendJson(response, 200, { id: `A${request.path.split('/').at(-1) ?? ''}`, status: 'shipped' });
  });
  t = await startTestSandbox({ 'order.flow.json': orderFlow(backend.url) });
  botId = chatbotIdOf(t.sandbox, 'order.flow.json');
});

after(async () => {
  await t.close();
  await backend.close();
  await removeTempDirs();
});

function open(request?: SandboxSessionRequest | unknown): Promise<ApiResponse> {
  return t.api('POST', `/chatbots/${botId}/chat/sessions`, request === undefined ? {} : { body: request });
}

async function opened(request?: SandboxSessionRequest): Promise<CreateSessionResponse & { current_state?: string }> {
  const response = await open(request);
  assert.equal(response.status, 201, response.text);
  return response.body as CreateSessionResponse & { current_state?: string };
}

async function send(sessionId: string, body: Record<string, unknown>): Promise<SendMessageResponse> {
  const response = await t.api('POST', `/chatbots/${botId}/chat/sessions/${sessionId}/messages`, { body });
  assert.equal(response.status, 200, response.text);
  return response.body as SendMessageResponse;
}

function traceOf(body: unknown): TurnTrace {
  const trace = readTurnTrace(body);
  assert.ok(trace, 'the answer carries a readable sandbox_trace');
  return trace;
}

function texts(body: { messages: unknown[] }): string[] {
  return body.messages.map((message) => (message as { text?: string }).text ?? '');
}

/** A session that tracked order 42: turn 1 clicked Track, turn 2 sent "42" and called the backend once. */
async function trackedOrder(): Promise<{ sessionId: string; turn2: SendMessageResponse }> {
  const greeting = await opened();
  await send(greeting.session_id, { message: 'Track', button_id: 'track' });
  const turn2 = await send(greeting.session_id, { message: '42' });
  assert.equal(turn2.current_state, 'shown');
  return { sessionId: greeting.session_id, turn2 };
}

describe('sandbox fork', () => {
  it('lands on the state and variables the original turn ended with, and calls no backend', async () => {
    const { sessionId, turn2 } = await trackedOrder();
    const calls = backend.requests.length;
    const fork = await opened({ start: { kind: 'fork', sessionId, turn: 2 } });
    assert.notEqual(fork.session_id, sessionId);
    assert.equal(fork.current_state, 'shown');
    assert.deepEqual(fork.messages, []);
    const trace = traceOf(fork);
    assert.equal(trace.turn, 2);
    assert.deepEqual(trace.events, []);
    assert.deepEqual(trace.variables.after, traceOf(turn2).variables.after);
    assert.equal(backend.requests.length, calls, 'the fork ran no API_CALL');
    // It goes on from there as the original would, counting turns on from the forked one.
    const next = await send(fork.session_id, { message: 'again' });
    assert.equal(next.current_state, 'ask');
    assert.equal(traceOf(next).turn, 3);
    assert.equal(backend.requests.length, calls);
  });

  it('from the greeting takes the other button, and the original session is untouched', async () => {
    const { sessionId } = await trackedOrder();
    const fork = await opened({ start: { kind: 'fork', sessionId, turn: 0 } });
    assert.equal(fork.current_state, 'menu');
    const other = await send(fork.session_id, { message: 'Talk', button_id: 'talk' });
    assert.equal(other.current_state, 'human');
    const original = await send(sessionId, { message: 'again' });
    assert.equal(original.current_state, 'ask');
  });

  it('answers 404 for a session the sandbox does not have, saying a restart loses sessions', async () => {
    const response = await open({ start: { kind: 'fork', sessionId: 'no-such-session', turn: 0 } });
    assert.equal(response.status, 404);
    assert.match((response.body as { detail: string }).detail, /no session "no-such-session".*restart loses them/);
  });

  it('answers 400 for a turn the session has not had yet, naming its latest', async () => {
    const { sessionId } = await trackedOrder();
    const response = await open({ start: { kind: 'fork', sessionId, turn: 9 } });
    assert.equal(response.status, 400);
    assert.match((response.body as { detail: string }).detail, /has no turn 9 yet; its latest is turn 2/);
  });

  it(`answers 404 for a turn older than the last ${MAX_SNAPSHOTS_PER_SESSION}, saying how many are kept`, async () => {
    const greeting = await opened({ start: { kind: 'state', state: 'shown', variables: {} } });
    for (let turn = 0; turn < MAX_SNAPSHOTS_PER_SESSION; turn += 1) {
      await send(greeting.session_id, { message: 'hello' });
    }
    const dropped = await open({ start: { kind: 'fork', sessionId: greeting.session_id, turn: 0 } });
    assert.equal(dropped.status, 404);
    assert.match((dropped.body as { detail: string }).detail, new RegExp(`turn 0 .* no longer kept .*last ${MAX_SNAPSHOTS_PER_SESSION} turns`));
    const kept = await open({ start: { kind: 'fork', sessionId: greeting.session_id, turn: 1 } });
    assert.equal(kept.status, 201, kept.text);
  });
});

describe('sandbox start in a state', () => {
  it("enters the state as a greeting would, with the given variables, and runs its API_CALL", async () => {
    const calls = backend.requests.length;
    const greeting = await opened({ start: { kind: 'state', state: 'lookup', variables: { order_id: '7' } } });
    assert.equal(greeting.current_state, 'shown');
    assert.deepEqual(texts(greeting), ['Looking…', 'Order A7 is shipped.']);
    assert.equal(backend.requests.length, calls + 1);
    assert.equal(backend.requests.at(-1)?.path, '/orders/7');
    const trace = traceOf(greeting);
    assert.equal(trace.turn, 0);
    assert.equal(trace.from, null);
    assert.equal(trace.variables.before.order_id, '7');
  });

  it('answers 400 for a state the flow does not have, naming it and the states there are', async () => {
    const response = await open({ start: { kind: 'state', state: 'nowhere', variables: {} } });
    assert.equal(response.status, 400);
    assert.match((response.body as { detail: string }).detail, /no state "nowhere"; its states are "menu", "ask"/);
  });
});

describe('sandbox persona', () => {
  const persona = { contactName: 'Zuhura', userId: '255700000001', channel: 'whatsapp', language: 'sw' };

  it('puts the contact name in the messages and the Conversations API, and the X-Sarufi-* headers on API_CALLs', async () => {
    const human = await opened({ persona, start: { kind: 'state', state: 'human', variables: {} } });
    assert.deepEqual(texts(human), ['Hi Zuhura, an agent is coming.']);
    const conversation = await t.api('GET', `/chatbots/${botId}/conversations/${human.session_id}`);
    assert.equal((conversation.body as Conversation).contact_name, 'Zuhura');
    assert.equal((conversation.body as Conversation).user_phone, '255700000001');

    await opened({ persona, start: { kind: 'state', state: 'lookup', variables: { order_id: '5' } } });
    const headers = backend.requests.at(-1)?.headers ?? {};
    assert.equal(headers['x-sarufi-user-name'], 'Zuhura');
    assert.equal(headers['x-sarufi-user-id'], '255700000001');
    assert.equal(headers['x-sarufi-channel'], 'whatsapp');
    assert.equal(headers['x-sarufi-language'], 'sw');
  });

  it('sends no X-Sarufi-Language without one, and the session id as the user id', async () => {
    const greeting = await opened({ start: { kind: 'state', state: 'lookup', variables: { order_id: '6' } } });
    const headers = backend.requests.at(-1)?.headers ?? {};
    assert.equal(headers['x-sarufi-language'], undefined);
    assert.equal(headers['x-sarufi-user-id'], greeting.session_id);
    assert.equal(headers['x-sarufi-channel'], 'api');
  });

  it("is kept by a fork that names none, and a fork's own persona renames the contact", async () => {
    const greeting = await opened({ persona });
    const kept = await opened({ start: { kind: 'fork', sessionId: greeting.session_id, turn: 0 } });
    assert.deepEqual(texts(await send(kept.session_id, { message: 'Talk', button_id: 'talk' })), ['Hi Zuhura, an agent is coming.']);
    const renamed = await opened({ persona: { contactName: 'Baraka' }, start: { kind: 'fork', sessionId: greeting.session_id, turn: 0 } });
    assert.deepEqual(texts(await send(renamed.session_id, { message: 'Talk', button_id: 'talk' })), ['Hi Baraka, an agent is coming.']);
  });

  it("keeps the source session's name, user id and channel in a fork whose persona names only a language", async () => {
    const greeting = await opened({ persona, start: { kind: 'state', state: 'ask', variables: {} } });
    const fork = await opened({ persona: { language: 'en' }, start: { kind: 'fork', sessionId: greeting.session_id, turn: 0 } });
    await send(fork.session_id, { message: '8' });
    const headers = backend.requests.at(-1)?.headers ?? {};
    assert.equal(backend.requests.at(-1)?.path, '/orders/8');
    assert.equal(headers['x-sarufi-user-name'], 'Zuhura');
    assert.equal(headers['x-sarufi-user-id'], '255700000001');
    assert.equal(headers['x-sarufi-channel'], 'whatsapp');
    assert.equal(headers['x-sarufi-language'], 'en', "the fork's own field wins");
    const conversation = await t.api('GET', `/chatbots/${botId}/conversations/${fork.session_id}`);
    assert.equal((conversation.body as Conversation).user_phone, '255700000001');
  });

  it("keeps the user id of a fork's source session that had no persona (its session id), not the fork's own", async () => {
    const greeting = await opened({ start: { kind: 'state', state: 'ask', variables: {} } });
    const fork = await opened({ start: { kind: 'fork', sessionId: greeting.session_id, turn: 0 } });
    await send(fork.session_id, { message: '9' });
    assert.equal(backend.requests.at(-1)?.headers['x-sarufi-user-id'], greeting.session_id);
  });
});

describe('sandbox session requests: a variable named __proto__', () => {
  it('is an own variable at turn 0 and still one after the next turn, polluting nothing', async () => {
    const variables = JSON.parse('{"__proto__": {"polluted": "yes"}, "city": "Arusha"}') as Record<string, unknown>;
    const greeting = await opened({ start: { kind: 'state', state: 'ask', variables } });
    const first = readTurnTrace(greeting);
    assert.ok(first && Object.hasOwn(first.variables.after, '__proto__'), 'at turn 0');
    const reply = await send(greeting.session_id, { message: '10' });
    const next = readTurnTrace(reply);
    assert.ok(next, 'the reply has a trace');
    assert.ok(Object.hasOwn(next.variables.before, '__proto__'), `before turn 1: ${JSON.stringify(next.variables.before)}`);
    assert.deepEqual(next.variables.after.__proto__ as unknown, { polluted: 'yes' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('sandbox session requests: bad bodies', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a body that is not an object', [], /the body must be a JSON object, not an array/],
    ['an unknown field', { persona: {}, colour: 'red' }, /the body has no field "colour"/],
    ['an unknown start kind', { start: { kind: 'jump' } }, /start\.kind must be "fork" or "state", not "jump"/],
    ['a fork without a session id', { start: { kind: 'fork', turn: 1 } }, /start\.sessionId is missing; it must be a non-empty text/],
    ['a negative turn', { start: { kind: 'fork', sessionId: 'x', turn: -1 } }, /start\.turn must be a whole number from 0/],
    ['variables that are not an object', { start: { kind: 'state', state: 'menu', variables: 'x' } }, /start\.variables must be a JSON object/],
    ['variables that are null', { start: { kind: 'state', state: 'menu', variables: null } }, /start\.variables must be a JSON object of variables, not null/],
    ['a start without a kind', { start: {} }, /start\.kind is missing; it must be "fork" or "state"/],
    ['a fork without a turn', { start: { kind: 'fork', sessionId: 'x' } }, /start\.turn is missing; it must be a whole number from 0/],
    ['a state start without a state', { start: { kind: 'state' } }, /start\.state is missing; it must be a non-empty text/],
    ['a persona name that is a number', { persona: { contactName: 3 } }, /persona\.contactName must be a non-empty text, not a number/],
    ['an unknown channel', { persona: { channel: 'fax' } }, /persona\.channel must be one of whatsapp, web, ussd, sms, api, not "fax"/],
    ['an unknown persona field', { persona: { phone: '1' } }, /persona has no field "phone"/],
  ];
  for (const [what, body, message] of cases) {
    it(`answers 400 for ${what}, naming the field`, async () => {
      const response = await open(body);
      assert.equal(response.status, 400, response.text);
      assert.match((response.body as { detail: string }).detail, message);
    });
  }

  it('never says "a undefined" of a missing field', async () => {
    for (const body of [{ start: {} }, { start: { kind: 'fork' } }, { start: { kind: 'fork', sessionId: 'x' } }, { start: { kind: 'state' } }, { persona: { contactName: undefined }, start: { kind: 'state', variables: {} } }]) {
      const response = await open(body);
      assert.equal(response.status, 400, response.text);
      assert.doesNotMatch((response.body as { detail: string }).detail, /undefined/, JSON.stringify(body));
    }
  });

  it('still starts a plain session without a body, as Sarufi does', async () => {
    const greeting = await opened();
    assert.deepEqual(texts(greeting), ['Karibu!']);
    assert.equal(greeting.current_state, undefined, 'a plain greeting has no current_state, like Sarufi');
  });
});
