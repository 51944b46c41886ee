// Bytes written for one chat turn at turn 10 and turn 1,000: the transcript store (an appended
// line per turn, plus the Sessions index in the memento) beside the store it replaced, which wrote
// the whole transcript into the memento twice a turn (the header, then the entry).
import { benchTurn } from '../test/webview/appendBench.js';
import { session } from '../test/webview/chatFixtures.js';
import type { Transcript } from '../src/chat/transcript.js';
import { TranscriptStore } from '../src/chat/transcriptStore.js';

const TURNS = [10, 1000];

let fileBytes = 0;
let mementoBytes = 0;
const memento = new Map<string, string>();
const store = new TranscriptStore({
  memento: {
    get: <T>(key: string) => (memento.has(key) ? (JSON.parse(memento.get(key) ?? 'null') as T) : undefined),
    update: (key: string, value: unknown) => {
      const text = JSON.stringify(value) ?? '';
      mementoBytes += text.length;
      memento.set(key, text);
      return Promise.resolve();
    },
  },
  files: {
    read: () => Promise.resolve(undefined),
    append: (_name: string, text: string) => {
      fileBytes += Buffer.byteLength(text);
      return Promise.resolve();
    },
    remove: () => Promise.resolve(),
  },
  log: (message) => console.error(message),
});

async function main(): Promise<void> {
  const transcript: Transcript = { version: 1, session: session(), entries: [] };
  const rows: string[] = [];
  for (let n = 1; n <= Math.max(...TURNS); n++) {
    const [fileBefore, mementoBefore] = [fileBytes, mementoBytes];
    const turn = benchTurn(n);
    transcript.entries.push(turn);
    if (turn.currentState && transcript.session.trail.at(-1) !== turn.currentState) {
      transcript.session.trail.push(turn.currentState);
    }
    store.save('bench-panel', transcript);
    await store.flush();
    if (TURNS.includes(n)) {
      const now = fileBytes - fileBefore + (mementoBytes - mementoBefore);
      const before = 2 * Buffer.byteLength(JSON.stringify(transcript));
      rows.push(`| ${n.toLocaleString('en')} | ${now.toLocaleString('en')} B (file ${(fileBytes - fileBefore).toLocaleString('en')}, index ${(mementoBytes - mementoBefore).toLocaleString('en')}) | ${before.toLocaleString('en')} B | ${(before / now).toFixed(0)}x fewer |`);
    }
}
console.log('| turn | bytes written for the turn (now) | the whole-transcript memento (before) | ratio |');
console.log('| ---: | ---: | ---: | ---: |');
console.log(rows.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
