import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conversationToTranscript } from '../../src/chat/conversationTranscript.js';
import type { Conversation, ConversationMessage } from '../../src/sarufi/types.js';

const conversation: Conversation = {
  id: 'C1', chatbot_id: 'B1', user_phone: null, contact_name: 'Asha', channel: 'api', status: 'CLOSED',
  last_message_id: 'M2', last_message_at: '2026-11-27T10:00:05Z', last_message_preview: 'Asante', unread_count: 0,
  created_at: '2026-11-27T10:00:00Z', updated_at: '2026-11-27T10:00:05Z',
};

test('a conversation from history reads as turns with the bot responses rendered by type', () => {
  const messages: ConversationMessage[] = [
    { id: 'M1', conversation_id: 'C1', message: { text: 'Habari' }, response: { text: 'Karibu!' }, message_type: 'text', responder: 'BOT', received_at: '2026-11-27T10:00:01Z', responded_at: '2026-11-27T10:00:01.250Z', status: 'SENT', created_at: '2026-11-27T10:00:01Z' },
    { id: 'M2', conversation_id: 'C1', message: null, response: { type: 'buttons', text: 'Pick', buttons: [{ id: 'a', title: 'A' }] }, message_type: 'text', responder: 'BOT', received_at: null, responded_at: null, status: 'SENT', created_at: '2026-11-27T10:00:05Z' },
  ];
  const transcript = conversationToTranscript({ chatbotName: 'Pizza', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: 'http://127.0.0.1:1' }, conversation, messages);
  assert.equal(transcript.session.status, 'closed');
  assert.equal(transcript.entries.length, 2);
  const [first, second] = transcript.entries;
  assert.ok(first?.kind === 'turn' && second?.kind === 'turn');
  assert.deepEqual(first.user, { text: 'Habari' });
  assert.deepEqual(first.messages, [{ type: 'text', text: 'Karibu!' }]);
  assert.equal(first.durationMs, 250);
  assert.equal(second.user, undefined);
  assert.equal(second.messages[0]?.type, 'buttons');
});

test("a record that keeps the bot's messages (as the local sandbox stores them) reads as those messages, with who answered and its status", () => {
  const response = {
    type: 'text',
    text: 'Ungependa nini? [Agiza / Order] [Saa / Hours]',
    messages: [
      { type: 'text', text: 'Karibu!' },
      { type: 'buttons', text: 'Ungependa nini?', buttons: [{ id: 'order', title: 'Agiza / Order' }, { id: 'hours', title: 'Saa / Hours' }] },
    ],
  };
  const messages: ConversationMessage[] = [
    { id: 'M1', conversation_id: 'C1', message: { text: 'Habari' }, response, message_type: 'text', responder: 'BOT', received_at: null, responded_at: null, status: 'SENT', created_at: '2026-11-27T10:00:01Z' },
    { id: 'M2', conversation_id: 'C1', message: { text: 'x' }, response: null, message_type: 'text', responder: undefined as unknown as string, received_at: null, responded_at: null, status: undefined as unknown as string, created_at: '2026-11-27T10:00:02Z' },
  ];
  const transcript = conversationToTranscript({ chatbotName: 'Pizza', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: 'http://127.0.0.1:1' }, conversation, messages);
  const [first, second] = transcript.entries;
  assert.ok(first?.kind === 'turn' && second?.kind === 'turn');
  assert.deepEqual(first.messages.map((message) => message.type), ['text', 'buttons'], 'not one text bubble of the summary');
  assert.deepEqual(first.history, { responder: 'BOT', status: 'SENT' });
  assert.deepEqual(second.history, { responder: '', status: '' }, 'a record missing both does not break the turn');
});
