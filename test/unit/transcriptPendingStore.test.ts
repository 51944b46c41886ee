// A pending input and the store together: a reply (or an error) that comes after the store wrote
// the pending input must still reach the file, and take the pending input's place when it is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatSession } from '../../src/chat/chatSession.js';
import type { ChatApi } from '../../src/chat/chatSession.js';
import type { TurnEntry } from '../../src/chat/transcript.js';
import { TranscriptStore } from '../../src/chat/transcriptStore.js';
import type { IndexMemento, TranscriptFiles } from '../../src/chat/transcriptStore.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import type { SendMessageResponse } from '../../src/sarufi/types.js';

const PANEL = 'panel-1';

function memoryStore(): { store: () => TranscriptStore; texts: Map<string, string> } {
  const values = new Map<string, string>();
  const texts = new Map<string, string>();
  const memento: IndexMemento = {
    get: <T>(key: string) => (values.has(key) ? (JSON.parse(values.get(key) ?? '') as T) : undefined),
    update: (key, value) => {
      values.set(key, JSON.stringify(value));
      return Promise.resolve();
    },
  };
  const files: TranscriptFiles = {
    read: (name) => Promise.resolve(texts.get(name)),
    append: (name, text) => {
      texts.set(name, (texts.get(name) ?? '') + text);
      return Promise.resolve();
    },
    remove: (name) => {
      texts.delete(name);
      return Promise.resolve();
    },
  };
  return { store: () => new TranscriptStore({ memento, files, log: () => undefined }), texts };
}

const exchange: Exchange = {
  method: 'POST',
  url: 'http://127.0.0.1:1/api/dev/v1/chatbots/B1/chat/sessions/S1/messages',
  requestHeaders: {},
  requestBody: undefined,
  status: 200,
  responseHeaders: {},
  responseText: '{"session_id":"S1","messages":[{"type":"text","text":"Size?"}],"messages_count":2,"current_state":"size"}',
  responseJson: undefined,
  startedAt: new Date(0).toISOString(),
  durationMs: 300,
  attempt: 1,
};

/** A chat whose store is told of every change, as the chat panel does, with a reply the test releases. */
async function heldChat(store: TranscriptStore) {
  let release: (outcome: SendMessageResponse | Error) => void = () => undefined;
  const api: ChatApi = {
    createSession: async () => ({ data: { session_id: 'S1', channel: 'api', created_at: '2026-11-27T10:00:00Z', messages: [] }, exchange: { ...exchange, status: 201 } }),
    sendMessage: () =>
      new Promise((resolve, reject) => {
        release = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve({ data: outcome, exchange }));
      }),
  };
  // Called only after the constructor returns (the first change is start()'s).
  const save = () => store.save(PANEL, chat.transcript);
  const chat: ChatSession = new ChatSession({
    api,
    chatbotId: 'B1',
    chatbotName: 'Pizza',
    environmentId: 'sandbox',
    environment: 'Local sandbox',
    baseUrl: 'http://127.0.0.1:1/api/dev/v1',
    onPending: save,
    onEntry: save,
    onSession: save,
  });
  await chat.start();
  return { chat, release: (outcome: SendMessageResponse | Error) => release(outcome) };
}

test('a reply that arrives after the pending input was written replaces it in the file, in its place', async () => {
  const { store, texts } = memoryStore();
  const writer = store();
  const { chat, release } = await heldChat(writer);
  const sent = chat.send({ text: 'pizza' });
  await writer.flush();
  const crashed = await store().load(PANEL);
  const interrupted = crashed?.entries.at(-1);
  assert.equal(interrupted?.kind, 'error', 'a window that died here reopens with the input in an error entry');
  assert.deepEqual(interrupted?.kind === 'error' && [interrupted.input, interrupted.remedy], [{ text: 'pizza' }, 'retry']);
  assert.match(interrupted?.kind === 'error' ? interrupted.message : '', /VS Code closed while this message was on its way/);

  release({ session_id: 'S1', messages: [{ type: 'text', text: 'Size?' }], messages_count: 2, current_state: 'size', timestamp: '2026-11-27T10:00:01Z' });
  assert.equal(await sent, true);
  await writer.flush();
  const loaded = await store().load(PANEL);
  assert.equal(loaded?.entries.length, chat.transcript.entries.length);
  const turn = loaded?.entries.at(-1) as TurnEntry;
  assert.equal(turn.pending, undefined);
  assert.equal(turn.currentState, 'size');
  assert.deepEqual(turn.messages, [{ type: 'text', text: 'Size?' }]);
  assert.equal((texts.get(`${PANEL}.jsonl`) ?? '').split('"pending":true').length - 1, 1, 'the pending line was written once and not again');
});

test('an error that settles a written pending input is what the file holds in its place, with the input', async () => {
  const { store } = memoryStore();
  const writer = store();
  const { chat, release } = await heldChat(writer);
  const sent = chat.send({ text: 'pizza' });
  await writer.flush();
  release(Object.assign(new Error('Sarufi could not be reached.'), { kind: 'network' }));
  assert.equal(await sent, false);
  await writer.flush();
  const loaded = await store().load(PANEL);
  assert.equal(loaded?.entries.length, chat.transcript.entries.length, 'no pending turn is left beside the error');
  const last = loaded?.entries.at(-1);
  assert.equal(last?.kind, 'error');
  assert.deepEqual(last?.kind === 'error' && last.input, { text: 'pizza' });
});
