// The chat panel's tab title says what the panel is, so that two panels on one chatbot differ.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { originAfterRestart, panelTitle, personaLabel } from '../../src/chat/panelTitle.js';
import type { SessionInfo } from '../../src/chat/transcript.js';

const SESSION: SessionInfo = {
  chatbotId: 'b1',
  chatbotName: 'Pizza Bahari',
  environmentId: 'sandbox',
  environment: 'Local sandbox',
  baseUrl: 'http://127.0.0.1:1/api/dev/v1',
  sessionId: 'S1',
  createdAt: '2026-12-06T10:42:00.000Z',
  messagesCount: 1,
  expiresAt: null,
  trail: [],
  status: 'open',
};

test('each kind of panel on one chatbot has its own title: chat, preview, from a state, fork', () => {
  const titles = [
    panelTitle({ session: SESSION }),
    panelTitle({ session: SESSION, origin: { kind: 'preview' } }),
    panelTitle({ session: SESSION, origin: { kind: 'fromState', state: 'choose_size' } }),
    panelTitle({ session: SESSION, origin: { kind: 'fork', turn: 3 } }),
    panelTitle({ session: SESSION, origin: { kind: 'fork', turn: 0 } }),
  ];
  assert.deepEqual(titles, ['Pizza Bahari', 'Preview: Pizza Bahari', 'Pizza Bahari from choose_size', 'Pizza Bahari (fork of turn 3)', 'Pizza Bahari (fork of the greeting)']);
});

test('a read-only transcript is titled with its local date and time, so two of them differ', () => {
  const local = new Date(SESSION.createdAt ?? '');
  const two = (value: number) => String(value).padStart(2, '0');
  const expected = `${local.getFullYear()}-${two(local.getMonth() + 1)}-${two(local.getDate())} ${two(local.getHours())}:${two(local.getMinutes())}`;
  assert.equal(panelTitle({ session: SESSION, readOnly: true }), `Pizza Bahari · ${expected} (read-only)`);
  assert.notEqual(panelTitle({ session: SESSION, readOnly: true }), panelTitle({ session: { ...SESSION, createdAt: '2026-12-05T09:00:00.000Z' }, readOnly: true }));
  assert.equal(panelTitle({ session: { ...SESSION, createdAt: null }, readOnly: true }), 'Pizza Bahari (read-only)');
});

test('a persona is named in the title by its contact name, else its user id', () => {
  assert.equal(panelTitle({ session: { ...SESSION, persona: { contactName: 'Asha', userId: '255700000001' } } }), 'Pizza Bahari as Asha');
  assert.equal(panelTitle({ session: { ...SESSION, persona: { userId: '255700000001' } }, origin: { kind: 'preview' } }), 'Preview: Pizza Bahari as 255700000001');
  assert.equal(personaLabel({ contactName: 'Asha', channel: 'whatsapp' }), 'Asha, whatsapp');
});

test('a new session of a fork or a chat from a state is a plain chat; a preview stays a preview', () => {
  assert.deepEqual(originAfterRestart({ kind: 'fork', turn: 2 }), { kind: 'chat' });
  assert.deepEqual(originAfterRestart({ kind: 'fromState', state: 'x' }), { kind: 'chat' });
  assert.deepEqual(originAfterRestart({ kind: 'preview' }), { kind: 'preview' });
  assert.equal(originAfterRestart(undefined), undefined);
});
