// The transcript store in plain Node: a memento that copies values as VS Code's does, files kept
// in a Map, and node:test's mock timers for the write delay.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { Transcript, TurnEntry } from '../../src/chat/transcript.js';
import { TranscriptStore, WRITE_DELAY_MS } from '../../src/chat/transcriptStore.js';
import type { IndexMemento, TranscriptFiles } from '../../src/chat/transcriptStore.js';

/** Like VS Code's memento: values are stored as JSON copies; counts what each update serialises. */
class FakeMemento implements IndexMemento {
  readonly values = new Map<string, string>();
  bytesWritten = 0;
  get<T>(key: string): T | undefined {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      this.values.delete(key);
    } else {
      const text = JSON.stringify(value);
      this.bytesWritten += text.length;
      this.values.set(key, text);
    }
    return Promise.resolve();
  }
}

class FakeFiles implements TranscriptFiles {
  readonly texts = new Map<string, string>();
  appends: { name: string; text: string }[] = [];
  read(name: string): Promise<string | undefined> {
    return Promise.resolve(this.texts.get(name));
  }
  append(name: string, text: string): Promise<void> {
    this.appends.push({ name, text });
    this.texts.set(name, (this.texts.get(name) ?? '') + text);
    return Promise.resolve();
  }
  remove(name: string): Promise<void> {
    this.texts.delete(name);
    return Promise.resolve();
  }
}

const PANEL = '0f8e6c1a-1111-4222-8333-944445555666';
const FILE = `${PANEL}.jsonl`;

function newTranscript(): Transcript {
  return {
    version: 1,
    session: {
      chatbotId: 'bot-1',
      chatbotName: 'Pizza Bahari',
      environmentId: 'sandbox',
      environment: 'Local sandbox',
      baseUrl: 'http://127.0.0.1:8787/api/dev/v1',
      sessionId: 'sess-1',
      createdAt: '2025-01-01T10:00:00.000Z',
      messagesCount: 0,
      expiresAt: '2025-01-01T10:30:00.000Z',
      trail: [],
      status: 'open',
    },
    entries: [],
  };
}

/** One turn as ChatSession records it: the reply's body as text and parsed, and its messages. */
function addTurn(transcript: Transcript, n: number, state = `state_${n % 3}`): TurnEntry {
  const body = { session_id: 'sess-1', messages: [{ type: 'text', text: `Reply number ${n}` }], current_state: state, messages_count: n };
  const responseText = JSON.stringify(body);
  const turn: TurnEntry = {
    kind: 'turn',
    id: `e${n}`,
    sessionId: 'sess-1',
    user: { text: `hello ${n}` },
    messages: [{ type: 'text', text: `Reply number ${n}` }],
    currentState: state,
    messagesCount: n,
    at: '2025-01-01T10:00:00.000Z',
    durationMs: 12,
    status: 200,
    exchange: {
      method: 'POST',
      url: 'http://127.0.0.1:8787/api/dev/v1/chatbots/bot-1/sessions/sess-1/messages',
      requestHeaders: { authorization: 'Bearer •••', 'content-type': 'application/json' },
      requestBody: { message: `hello ${n}`, message_type: 'text' },
      status: 200,
      responseHeaders: { 'content-type': 'application/json' },
      responseText,
      responseJson: JSON.parse(responseText) as unknown,
      startedAt: '2025-01-01T10:00:00.000Z',
      durationMs: 12,
      attempt: 1,
    },
  };
  transcript.entries.push(turn);
  const trail = transcript.session.trail;
  if (trail[trail.length - 1] !== state) {
    trail.push(state);
  }
  transcript.session.messagesCount = n;
  return turn;
}

let memento: FakeMemento;
let files: FakeFiles;
let logged: string[];
let store: TranscriptStore;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] });
  memento = new FakeMemento();
  files = new FakeFiles();
  logged = [];
  store = new TranscriptStore({ memento, files, log: (message) => logged.push(message), now: () => Date.parse('2025-01-01T10:00:00Z') });
});

afterEach(() => {
  mock.timers.reset();
});

/** Lets the store's queued writes run (they are promise chains, not timers). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
}

test('nothing is written when a turn is saved; WRITE_DELAY_MS later the turn and its header go out in one append', async () => {
  const transcript = newTranscript();
  store.save(PANEL, transcript);
  addTurn(transcript, 1);
  store.save(PANEL, transcript);
  store.save(PANEL, transcript);
  await settle();
  assert.equal(files.appends.length, 0, 'nothing written at once');
  mock.timers.tick(WRITE_DELAY_MS - 1);
  await settle();
  assert.equal(files.appends.length, 0, 'nothing written before the delay');
  mock.timers.tick(1);
  await store.flush();
  assert.equal(files.appends.length, 1);
  assert.deepEqual(
    files.appends[0]?.text.trimEnd().split('\n').map((line) => (JSON.parse(line) as { t: string }).t),
    ['entry', 'session'],
  );
  assert.equal(store.list()[0]?.currentState, 'state_1');
});

test('the bytes written for a turn are the same at turn 10 and at turn 1,000', async () => {
  const transcript = newTranscript();
  const bytesOfTurn = async (n: number): Promise<{ file: number; memento: number }> => {
    const appended = files.appends.length;
    const mementoBefore = memento.bytesWritten;
    addTurn(transcript, n, `state_${n}`);
    store.save(PANEL, transcript);
    await store.flush();
    return { file: files.appends.slice(appended).reduce((sum, append) => sum + append.text.length, 0), memento: memento.bytesWritten - mementoBefore };
  };
  const sizes: Record<number, { file: number; memento: number }> = {};
  for (let n = 1; n <= 1000; n++) {
    const size = await bytesOfTurn(n);
    if (n === 10 || n === 1000) {
      sizes[n] = size;
    }
  }
  const [at10, at1000] = [sizes[10], sizes[1000]];
  assert.ok(at10 && at1000);
  // Only the turn's own numbers grow: 2 more digits in each of the ten places the fixture writes n.
  assert.ok(at1000.file - at10.file <= 2 * 10, `file: ${at10.file} bytes at turn 10, ${at1000.file} at turn 1,000`);
  assert.ok(at1000.memento - at10.memento <= 4, `memento: ${at10.memento} bytes at turn 10, ${at1000.memento} at turn 1,000`);
});

test("each reply is stored once: the body as received, and the turn loads back with its parsed body and messages", async () => {
  const transcript = newTranscript();
  const turn = addTurn(transcript, 7);
  store.save(PANEL, transcript);
  await store.flush();
  const text = files.texts.get(FILE) ?? '';
  assert.equal(text.split('Reply number 7').length - 1, 1, 'the reply text is in the file once');

  const reopened = new TranscriptStore({ memento, files, log: (message) => logged.push(message) });
  const loaded = await reopened.load(PANEL);
  assert.deepEqual(loaded, transcript);
  assert.deepEqual((loaded?.entries[0] as TurnEntry).exchange.responseJson, turn.exchange.responseJson);
});

test('a turn whose messages the body does not say (read from history) keeps its messages', async () => {
  const transcript = newTranscript();
  const turn = addTurn(transcript, 1);
  turn.messages = [{ type: 'text', text: 'from the conversation record' }];
  store.save(PANEL, transcript);
  await store.flush();
  const loaded = await new TranscriptStore({ memento, files, log: () => undefined }).load(PANEL);
  assert.deepEqual((loaded?.entries[0] as TurnEntry).messages, turn.messages);
});

test('a torn last line is skipped with a log line, everything before it loads, and the next write starts on a new line', async () => {
  const transcript = newTranscript();
  addTurn(transcript, 1);
  addTurn(transcript, 2);
  store.save(PANEL, transcript);
  await store.flush();
  // A crash in the middle of writing turn 3.
  files.texts.set(FILE, `${files.texts.get(FILE) ?? ''}{"t":"entry","entry":{"kind":"turn","id":"e3","sess`);

  const reopened = new TranscriptStore({ memento, files, log: (message) => logged.push(message) });
  const loaded = await reopened.load(PANEL);
  assert.ok(loaded);
  assert.deepEqual(
    loaded.entries.map((entry) => entry.id),
    ['e1', 'e2'],
  );
  assert.equal(logged.length, 1);
  assert.match(logged[0] ?? '', /skipped line 4, which a write did not finish/);

  addTurn(loaded, 4);
  reopened.save(PANEL, loaded);
  await reopened.flush();
  const again = await new TranscriptStore({ memento, files, log: () => undefined }).load(PANEL);
  assert.deepEqual(
    again?.entries.map((entry) => entry.id),
    ['e1', 'e2', 'e4'],
  );
});

test('a valid-JSON line of the wrong shape is skipped with a log line naming it, and every other line loads', async () => {
  const transcript = newTranscript();
  addTurn(transcript, 1);
  store.save(PANEL, transcript);
  await store.flush();
  const wrong = ['null', '{"t":"entry"}', '42', '[]', '{"t":"session"}', '{"t":"entry","entry":{"kind":"turn"}}', '{"t":"entry","entry":{"kind":"turn","id":"x","sessionId":"s","exchange":7}}', '{"t":"entry","entry":{"kind":"turn","id":"y","sessionId":"s"}}', '{"t":"other"}', '{"t":"session","readOnly":false,"session":{},"trailAdd":[3]}'];
  files.texts.set(FILE, `${files.texts.get(FILE) ?? ''}${wrong.join('\n')}\n`);
  addTurn(transcript, 2);
  store.save(PANEL, transcript);
  await store.flush();

  const reopened = new TranscriptStore({ memento, files, log: (message) => logged.push(message) });
  const loaded = await reopened.load(PANEL);
  assert.ok(loaded, 'the transcript loads');
  assert.deepEqual(
    loaded.entries.map((entry) => entry.id),
    ['e1', 'e2'],
  );
  assert.equal(logged.length, wrong.length, logged.join('\n'));
  logged.forEach((line, index) => assert.match(line, new RegExp(`skipped line ${index + 3}, which is not a transcript record`)));
});

test('the trail is written as it grows, so a long trail is not written again on every turn', async () => {
  const transcript = newTranscript();
  for (let n = 1; n <= 50; n++) {
    addTurn(transcript, n, `state_${n}`);
  }
  store.save(PANEL, transcript);
  await store.flush();
  addTurn(transcript, 51, 'state_51');
  store.save(PANEL, transcript);
  await store.flush();
  const last = files.appends.at(-1)?.text ?? '';
  assert.ok(!last.includes('state_50'), 'the earlier states are not written again');
  const loaded = await new TranscriptStore({ memento, files, log: () => undefined }).load(PANEL);
  assert.equal(loaded?.session.trail.length, 51);
  assert.equal(loaded?.session.trail.at(-1), 'state_51');
});

test('a transcript in the old format (whole, in the memento) opens, moves to its file and leaves the memento', async () => {
  const old = newTranscript();
  addTurn(old, 1);
  await memento.update(`sarufi.transcript:${PANEL}`, old);
  await memento.update('sarufi.transcripts', [{ panelId: PANEL, chatbotName: 'Pizza Bahari' }]);

  const loaded = await store.load(PANEL);
  assert.deepEqual(loaded, old);
  await store.flush();
  assert.equal(memento.get(`sarufi.transcript:${PANEL}`), undefined, 'the old copy is gone from the memento');
  assert.deepEqual(await new TranscriptStore({ memento, files, log: () => undefined }).load(PANEL), old);
});

test('moveOldTranscripts moves every old-format transcript of the index to its file', async () => {
  const old = newTranscript();
  addTurn(old, 1);
  await memento.update(`sarufi.transcript:${PANEL}`, old);
  await memento.update('sarufi.transcripts', [{ panelId: PANEL, chatbotName: 'Pizza Bahari' }]);
  await store.moveOldTranscripts();
  assert.equal(memento.get(`sarufi.transcript:${PANEL}`), undefined);
  assert.ok(files.texts.has(FILE));
});

test('remove deletes the file and the index entry', async () => {
  store.save(PANEL, newTranscript());
  await store.flush();
  assert.equal(store.list().length, 1);
  await store.remove(PANEL);
  assert.equal(files.texts.has(FILE), false);
  assert.deepEqual(store.list(), []);
});

test('beyond 50 transcripts the oldest one is dropped with its file', async () => {
  for (let n = 0; n < 51; n++) {
    store.save(`panel-${n}`, newTranscript());
    await store.flush();
  }
  assert.equal(store.list().length, 50);
  assert.equal(files.texts.has('panel-0.jsonl'), false);
  assert.equal(files.texts.has('panel-50.jsonl'), true);
});

test('dispose writes what is pending without waiting for the delay', async () => {
  const transcript = newTranscript();
  addTurn(transcript, 1);
  store.save(PANEL, transcript);
  await store.dispose();
  assert.equal(files.appends.length, 1);
});

test("a panel's origin (what its tab says) is stored with the transcript and loads back after a reload", async () => {
  const transcript: Transcript = { ...newTranscript(), origin: { kind: 'fork', turn: 2 } };
  addTurn(transcript, 1);
  store.save(PANEL, transcript);
  await store.flush();
  const reloaded = new TranscriptStore({ memento, files, log: (message) => logged.push(message) });
  assert.deepEqual((await reloaded.load(PANEL))?.origin, { kind: 'fork', turn: 2 });
  transcript.origin = { kind: 'chat' };
  store.save(PANEL, transcript);
  await store.flush();
  const again = new TranscriptStore({ memento, files, log: (message) => logged.push(message) });
  assert.deepEqual((await again.load(PANEL))?.origin, { kind: 'chat' }, 'a new session of a fork is a chat again, after a reload too');
});
