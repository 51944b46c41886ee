// The author's input is kept before the reply: a window that dies mid-turn still has it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatSession } from '../../src/chat/chatSession.js';
import type { ChatApi, ChatSessionOptions } from '../../src/chat/chatSession.js';
import type { ErrorEntry, TranscriptEntry, TurnEntry } from '../../src/chat/transcript.js';
import { TranscriptStore } from '../../src/chat/transcriptStore.js';
import type { IndexMemento, TranscriptFiles } from '../../src/chat/transcriptStore.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import type { SendMessageResponse } from '../../src/sarufi/types.js';

const answered: Exchange = {
  method: 'POST',
  url: 'http://127.0.0.1:1/api/dev/v1/chatbots/B1/chat/sessions/S1/messages',
  requestHeaders: {},
  requestBody: undefined,
  status: 200,
  responseHeaders: {},
  responseText: '',
  responseJson: undefined,
  startedAt: new Date(0).toISOString(),
  durationMs: 5,
  attempt: 1,
};

/** An API whose reply to a message waits until the test releases it. */
function heldApi(): { api: ChatApi; release: (outcome: SendMessageResponse | Error) => void } {
  let release: (outcome: SendMessageResponse | Error) => void = () => undefined;
  const api: ChatApi = {
    createSession: async () => ({ data: { session_id: 'S1', channel: 'api', created_at: '2026-11-27T10:00:00Z', messages: [] }, exchange: { ...answered, status: 201 } }),
    sendMessage: () =>
      new Promise((resolve, reject) => {
        release = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve({ data: outcome, exchange: answered }));
      }),
  };
  return { api, release: (outcome) => release(outcome) };
}

/** A started chat on `api` that tells `hooks` of its changes. */
async function startedChat(api: ChatApi, hooks: Pick<ChatSessionOptions, 'onPending' | 'onEntry' | 'onSession'>): Promise<ChatSession> {
  const chat = new ChatSession({
    api,
    chatbotId: 'B1',
    chatbotName: 'Pizza',
    environmentId: 'sandbox',
    environment: 'Local sandbox',
    baseUrl: 'http://127.0.0.1:1/api/dev/v1',
    ...hooks,
  });
  await chat.start();
  return chat;
}

function openChat(api: ChatApi, pendingSeen: TurnEntry[], announced: TranscriptEntry[]): Promise<ChatSession> {
  return startedChat(api, { onPending: (entry) => pendingSeen.push(structuredClone(entry)), onEntry: (entry) => announced.push(entry) });
}

test('the input is in the transcript, pending, before the reply arrives; the reply settles it into one turn', async () => {
  const { api, release } = heldApi();
  const pendingSeen: TurnEntry[] = [];
  const announced: TranscriptEntry[] = [];
  const chat = await openChat(api, pendingSeen, announced);
  const sent = chat.send({ text: 'pizza' });
  const waiting = chat.transcript.entries.at(-1) as TurnEntry;
  assert.equal(waiting.pending, true);
  assert.deepEqual(waiting.user, { text: 'pizza' });
  assert.equal(waiting.exchange.url, 'http://127.0.0.1:1/api/dev/v1/chatbots/B1/chat/sessions/S1/messages');
  assert.equal(pendingSeen.length, 1);
  release({ session_id: 'S1', messages: [{ type: 'text', text: 'Size?' }], messages_count: 2, current_state: 'size', timestamp: '2026-11-27T10:00:01Z' });
  assert.equal(await sent, true);
  const turns = chat.transcript.entries.filter((entry): entry is TurnEntry => entry.kind === 'turn' && entry.user !== undefined);
  assert.equal(turns.length, 1);
  assert.equal(turns[0]?.pending, undefined);
  assert.equal(turns[0]?.id, waiting.id);
  assert.equal(turns[0]?.currentState, 'size');
  assert.equal(announced.at(-1), turns[0]);
});

test('a failed send settles the pending input into an error entry that holds it', async () => {
  const { api, release } = heldApi();
  const chat = await openChat(api, [], []);
  const sent = chat.send({ text: 'pizza' });
  release(Object.assign(new Error('Sarufi failed'), { kind: 'server', status: 500 }));
  assert.equal(await sent, false);
  assert.ok(chat.transcript.entries.every((entry) => entry.kind !== 'turn' || entry.pending === undefined));
  const error = chat.transcript.entries.at(-1) as ErrorEntry;
  assert.equal(error.kind, 'error');
  assert.deepEqual(error.input, { text: 'pizza' });
});

// The pending input and the store together: a reply (or an error) that comes after the store wrote
// the pending input must still reach the file, and take the pending input's place when it is read.
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

/** A chat whose store is told of every change, as the chat panel tells it, with a reply the test releases. */
async function storedChat(store: TranscriptStore) {
  const { api, release } = heldApi();
  const holder: { chat?: ChatSession } = {};
  const save = () => holder.chat && store.save(PANEL, holder.chat.transcript);
  holder.chat = await startedChat(api, { onPending: save, onEntry: save, onSession: save });
  return { chat: holder.chat, release };
}

test('a reply that arrives after the pending input was written replaces it in the file, in its place', async () => {
  const { store, texts } = memoryStore();
  const writer = store();
  const { chat, release } = await storedChat(writer);
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
  const { chat, release } = await storedChat(writer);
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
