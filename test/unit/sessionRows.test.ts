// The Sessions view's and Compare Transcripts' rows: chats with one chatbot read differently,
// and a chat whose panel is gone does not read as open.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distinctSessions, sessionRowDescription } from '../../src/chat/sessionRows.js';
import type { TranscriptSummary } from '../../src/chat/transcriptStore.js';

const NOW = Date.parse('2026-12-06T12:00:00');

function summary(overrides: Partial<TranscriptSummary>): TranscriptSummary {
  return {
    panelId: 'p1',
    chatbotName: 'Pizza Bahari',
    environment: 'Local sandbox',
    sessionId: 'S1',
    createdAt: new Date('2026-12-06T10:42:00').toISOString(),
    currentState: 'choose_size',
    status: 'open',
    expiresAt: new Date('2026-12-06T13:00:00').toISOString(),
    readOnly: false,
    updatedAt: new Date('2026-12-06T10:50:00').toISOString(),
    ...overrides,
  };
}

test('a row says when the chat started, where it ended, and open only while its panel is open', () => {
  assert.equal(sessionRowDescription(summary({}), true, NOW), '10:42 · choose_size · open · panel open');
  assert.equal(sessionRowDescription(summary({}), false, NOW), '10:42 · choose_size · closed', 'a session from before a reload is not "open"');
  assert.equal(sessionRowDescription(summary({ expiresAt: new Date('2026-12-06T11:00:00').toISOString() }), true, NOW), '10:42 · choose_size · expired · panel open');
  assert.equal(sessionRowDescription(summary({ currentState: null }), true, NOW), '10:42 · no state yet · open · panel open');
});

test('a chat from another day names its day', () => {
  assert.equal(sessionRowDescription(summary({ createdAt: new Date('2026-12-05T09:05:00').toISOString() }), false, NOW), 'Dec 5 09:05 · choose_size · closed');
});

test('a session and its read-only copy are one row, the chat itself kept; chats without a session stay', () => {
  const copy = summary({ panelId: 'copy', readOnly: true });
  const chat = summary({ panelId: 'chat' });
  const other = summary({ panelId: 'other', sessionId: 'S2' });
  const unstarted = summary({ panelId: 'form', sessionId: null });
  assert.deepEqual(distinctSessions([copy, other, chat, unstarted, summary({ panelId: 'form2', sessionId: null })]).map((row) => row.panelId), ['chat', 'other', 'form', 'form2']);
});
