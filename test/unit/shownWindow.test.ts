// What the page gets of a long transcript: `init` the newest SHOWN_WINDOW entries, and each
// `earlier` the ones just before the first entry it shows, until none are left.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHOWN_WINDOW, shownWindow } from '../../src/chat/shownEntry.js';
import type { TranscriptEntry } from '../../src/chat/transcript.js';

function transcript(count: number): TranscriptEntry[] {
  return Array.from({ length: count }, (_, n): TranscriptEntry => ({ kind: 'divider', id: `e${n}`, text: `entry ${n}`, at: '2026-05-04T10:00:00.000Z' }));
}

const ids = (window: { entries: { id: string }[] }) => window.entries.map((entry) => entry.id);

test('a 1,000-entry transcript shows its newest 200 entries, and says there are earlier ones', () => {
  assert.equal(SHOWN_WINDOW, 200);
  const window = shownWindow(transcript(1_000));
  assert.equal(window.entries.length, 200);
  assert.equal(ids(window)[0], 'e800');
  assert.equal(ids(window).at(-1), 'e999');
  assert.equal(window.hasEarlier, true);
});

test('asking before the first shown entry gives the 200 before it, oldest first', () => {
  const window = shownWindow(transcript(1_000), 'e800');
  assert.deepEqual(ids(window), Array.from({ length: 200 }, (_, n) => `e${600 + n}`));
  assert.equal(window.hasEarlier, true);
});

test('paging back from the newest entries reaches the first entry once, then says there is nothing earlier', () => {
  const entries = transcript(450);
  let window = shownWindow(entries);
  const seen = ids(window);
  while (window.hasEarlier) {
    window = shownWindow(entries, seen[0]);
    seen.unshift(...ids(window));
  }
  assert.deepEqual(seen, entries.map((entry) => entry.id));
});

test('a short transcript is shown whole, with nothing earlier', () => {
  const window = shownWindow(transcript(3));
  assert.deepEqual(ids(window), ['e0', 'e1', 'e2']);
  assert.equal(window.hasEarlier, false);
});

test('an entry id that is not in the transcript gets no entries, rather than ones the page shows already', () => {
  assert.deepEqual(shownWindow(transcript(300), 'gone'), { entries: [], hasEarlier: false });
});
