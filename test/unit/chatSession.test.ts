import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatSession, remedyFor } from '../../src/chat/chatSession.js';
import { SESSION_IDLE_MS } from '../../src/sarufi/endpoints.js';
import type { ChatApi } from '../../src/chat/chatSession.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import type { SendMessageRequest, SendMessageResponse } from '../../src/sarufi/types.js';
import type { ErrorEntry, TurnEntry } from '../../src/chat/transcript.js';
import { TRACE_FIELD } from '../../src/flow/turnTrace.js';

function exchange(status: number | null): Exchange {
  return {
    method: 'POST',
    url: 'http://127.0.0.1/x',
    requestHeaders: { authorization: 'Bearer •••' },
    requestBody: undefined,
    status,
    responseHeaders: {},
    responseText: '',
    responseJson: undefined,
    startedAt: new Date(0).toISOString(),
    durationMs: 12,
    attempt: 1,
  };
}

class Failure extends Error {
  constructor(
    message: string,
    readonly kind: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

function fakeApi(replies: (SendMessageResponse | Failure)[]): ChatApi & { sent: SendMessageRequest[] } {
  const sent: SendMessageRequest[] = [];
  return {
    sent,
    createSession: async () => ({
      data: { session_id: 'S1', channel: 'api', created_at: '2026-11-27T10:00:00Z', messages: [{ type: 'text', text: 'Karibu!' }] },
      exchange: exchange(201),
    }),
    sendMessage: async (_chatbot, _session, body) => {
      sent.push(body);
      const reply = replies.shift();
      if (!reply || reply instanceof Failure) {
        throw reply ?? new Failure('no reply', 'server', 500);
      }
      return { data: reply, exchange: exchange(200) };
    },
  };
}

function reply(state: string, text = 'ok'): SendMessageResponse {
  return { session_id: 'S1', messages: [{ type: 'text', text }], messages_count: 2, current_state: state, timestamp: '2026-11-27T10:00:01Z' };
}

function session(api: ChatApi, now = () => 1_000_000) {
  return new ChatSession({ api, chatbotId: 'B1', chatbotName: 'Pizza', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: 'http://127.0.0.1:1/api/dev/v1', now });
}

test('start records the greeting and opens the session with a 30-minute expiry', async () => {
  const chat = session(fakeApi([]));
  await chat.start();
  assert.equal(chat.session.status, 'open');
  assert.equal(chat.session.sessionId, 'S1');
  assert.equal(chat.session.expiresAt, new Date(1_000_000 + SESSION_IDLE_MS).toISOString());
  const greeting = chat.transcript.entries[0] as TurnEntry;
  assert.equal(greeting.kind, 'turn');
  assert.equal(greeting.user, undefined);
  assert.deepEqual(greeting.messages, [{ type: 'text', text: 'Karibu!' }]);
});

test("a sandbox greeting takes its state from the sandbox's trace, marked so, and the trail starts there; a greeting without a trace has none", async () => {
  const api = fakeApi([]);
  const traced: ChatApi = {
    ...api,
    createSession: async () => ({
      data: { session_id: 'S1', channel: 'api', created_at: '2026-11-27T10:00:00Z', messages: [{ type: 'text', text: 'Karibu!' }] },
      exchange: { ...exchange(201), responseJson: { [TRACE_FIELD]: { version: 1, turn: 0, from: null, to: 'main_menu', events: [], variables: { before: {}, after: {} }, masked: [] } } },
    }),
  };
  const chat = session(traced);
  await chat.start();
  const greeting = chat.transcript.entries[0] as TurnEntry;
  assert.equal(greeting.currentState, 'main_menu');
  assert.equal(greeting.stateFrom, 'sandbox-trace');
  assert.deepEqual(chat.session.trail, ['main_menu']);

  const plain = session(api);
  await plain.start();
  const untraced = plain.transcript.entries[0] as TurnEntry;
  assert.equal(untraced.currentState, null);
  assert.equal(untraced.stateFrom, undefined);
  assert.deepEqual(plain.session.trail, []);
});

test('a button click sends its title as the message and its id as button_id', async () => {
  const api = fakeApi([reply('menu')]);
  const chat = session(api);
  await chat.start();
  assert.equal(await chat.send({ text: 'Order pizza', buttonId: 'order' }), true);
  assert.deepEqual(api.sent[0], { message: 'Order pizza', message_type: 'button', button_id: 'order' });
});

test('each turn records current_state and the trail of states visited', async () => {
  const chat = session(fakeApi([reply('menu'), reply('menu'), reply('size')]));
  await chat.start();
  await chat.send({ text: 'hi' });
  await chat.send({ text: 'again' });
  await chat.send({ text: 'large' });
  assert.deepEqual(chat.session.trail, ['menu', 'size']);
  const last = chat.transcript.entries.at(-1) as TurnEntry;
  assert.equal(last.currentState, 'size');
  assert.equal(last.messagesCount, 2);
});

test('a 410 keeps the transcript and offers a new session', async () => {
  const chat = session(fakeApi([reply('menu'), new Failure('This session is closed.', 'session-closed', 410)]));
  await chat.start();
  await chat.send({ text: 'hi' });
  assert.equal(await chat.send({ text: 'more' }), false);
  const error = chat.transcript.entries.at(-1) as ErrorEntry;
  assert.equal(error.kind, 'error');
  assert.equal(error.remedy, 'new-session');
  assert.equal(chat.session.status, 'closed');
  assert.equal(chat.transcript.entries.length, 3);
  await chat.restart();
  assert.equal(chat.transcript.entries[3]?.kind, 'divider');
  assert.equal(chat.session.status, 'open');
  assert.equal(chat.transcript.entries.length, 5, 'the old transcript stays above the divider');
});

test('a 404 on an open session is treated as a closed session', async () => {
  const chat = session(fakeApi([new Failure('Session not found.', 'not-found', 404)]));
  await chat.start();
  await chat.send({ text: 'hi' });
  assert.equal((chat.transcript.entries.at(-1) as ErrorEntry).remedy, 'new-session');
});

test('a failed send keeps the input so that Retry sends it again', async () => {
  const api = fakeApi([new Failure('Sarufi failed (500).', 'server', 500), reply('menu')]);
  const chat = session(api);
  await chat.start();
  assert.equal(await chat.send({ text: 'hello' }), false);
  const error = chat.transcript.entries.at(-1) as ErrorEntry;
  assert.equal(error.remedy, 'retry');
  assert.deepEqual(error.input, { text: 'hello' });
  assert.equal(await chat.retry(error.id), true);
  assert.equal(api.sent[1]?.message, 'hello');
});

test('sending with no open session is refused in words, not thrown', async () => {
  const chat = session(fakeApi([]));
  assert.equal(await chat.send({ text: 'hi' }), false);
  assert.match((chat.transcript.entries[0] as ErrorEntry).message, /no open session/);
});

test('a non-Sarufi failure is reported as an extension bug', async () => {
  const api = fakeApi([]);
  api.sendMessage = async () => {
    throw new TypeError('boom');
  };
  const chat = session(api);
  await chat.start();
  await chat.send({ text: 'hi' });
  assert.match((chat.transcript.entries.at(-1) as ErrorEntry).message, /Unexpected error in the extension: boom/);
});

test('each error kind maps to the remedy an author can act on', () => {
  assert.equal(remedyFor('auth'), 'set-key');
  assert.equal(remedyFor('rate-limited'), 'retry');
  assert.equal(remedyFor('network'), 'retry');
  assert.equal(remedyFor('validation'), 'none');
});

test('expiry follows the last message by the injected clock', async () => {
  let now = 0;
  const chat = session(fakeApi([reply('menu')]), () => now);
  await chat.start();
  now = SESSION_IDLE_MS - 1;
  await chat.send({ text: 'hi' });
  now = SESSION_IDLE_MS + 10;
  assert.equal(chat.isExpired(), false);
  now = 2 * SESSION_IDLE_MS;
  assert.equal(chat.isExpired(), true);
});
