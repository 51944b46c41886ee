import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transcriptToJson, transcriptToMarkdown } from '../../src/chat/exportTranscript.js';
import type { Transcript } from '../../src/chat/transcript.js';

const KEY = 'sk-live-3f9a8b7c6d5e4f3a2b1c';

const transcript: Transcript = {
  version: 1,
  session: { chatbotId: 'B1', chatbotName: 'Pizza', environmentId: 'sarufi', environment: 'Sarufi', baseUrl: 'https://x/api', sessionId: 'S1', createdAt: '2026-11-27T10:00:00Z', messagesCount: 2, expiresAt: null, trail: ['menu'], status: 'open' },
  entries: [
    {
      kind: 'turn',
      id: 'e1',
      sessionId: 'S1',
      user: { text: 'Menu', buttonId: 'menu' },
      messages: [
        { type: 'buttons', text: 'Pick one', buttons: [{ id: 'a', title: 'Margherita' }] },
        { type: 'document', media_url: 'https://x/r.pdf', media_filename: 'receipt.pdf' },
        { type: 'unknown', reason: "unknown type 'carousel'", raw: { type: 'carousel' } },
      ],
      currentState: 'menu',
      messagesCount: 2,
      at: '2026-11-27T10:00:01Z',
      durationMs: 40,
      status: 200,
      // A server that echoed the key must not make the export carry it.
      exchange: { method: 'POST', url: 'https://x', requestHeaders: { authorization: 'Bearer •••' }, requestBody: { message: 'Menu' }, status: 200, responseHeaders: {}, responseText: `{"echo":"${KEY}"}`, responseJson: { echo: KEY }, startedAt: '2026-11-27T10:00:01Z', durationMs: 40, attempt: 1 },
    },
    { kind: 'error', id: 'e2', sessionId: 'S1', message: 'This session is closed.', errorKind: 'session-closed', status: 410, remedy: 'new-session', at: '2026-11-27T10:01:00Z' },
  ],
};

test('the JSON export keeps every exchange and never the key', () => {
  const json = transcriptToJson(transcript, [KEY]);
  assert.ok(!json.includes(KEY));
  const parsed = JSON.parse(json) as Transcript;
  assert.equal(parsed.entries.length, 2);
  assert.equal(parsed.entries[0]?.kind === 'turn' && parsed.entries[0].exchange.status, 200);
});

test('the Markdown export reads as a conversation with states, buttons and errors', () => {
  const markdown = transcriptToMarkdown(transcript, [KEY]);
  assert.ok(!markdown.includes(KEY));
  assert.match(markdown, /# Chat with Pizza/);
  assert.match(markdown, /\*\*You:\*\* Menu \*\(button `menu`\)\*/);
  assert.match(markdown, /state `menu`/);
  assert.match(markdown, /\[Margherita\] `a`/);
  assert.match(markdown, /receipt\.pdf/);
  assert.match(markdown, /Unreadable message \(unknown type 'carousel'\)/);
  assert.match(markdown, /Error 410:\*\* This session is closed\./);
});

test('the Markdown export puts titled sections as headings and lists the rows of an untitled one directly', () => {
  const [first] = transcript.entries;
  assert.ok(first?.kind === 'turn');
  const list = {
    type: 'list' as const,
    text: 'Menu',
    button_text: 'Open',
    sections: [{ title: 'Hot', rows: [{ id: 'tea', title: 'Tea', description: 'Spiced' }] }, { rows: [{ id: 'ice', title: 'Ice' }] }],
  };
  const markdown = transcriptToMarkdown({ ...transcript, entries: [{ ...first, messages: [list] }] }, [KEY]);
  assert.match(markdown, /> - \*\*Hot\*\*\n> {3}- Tea — Spiced `tea`\n/);
  assert.match(markdown, /\n> - Ice `ice`\n/);
  assert.ok(!markdown.includes('undefined'), 'an untitled section prints no "undefined" heading');
});
