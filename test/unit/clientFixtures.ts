// Answers shaped as shared/sarufi-api.md documents them, for the client's tests.

export const API_KEY = 'sk-test-9f8e7d6c5b4a39281706';

export const chatbot = {
  id: '01JBOT0000000000000000000A',
  workspace_id: '01JWS00000000000000000000A',
  name: 'Order bot',
  description: 'Tracks orders',
  category: 'support',
  is_active: true,
  created_at: '2026-05-01T10:00:00Z',
  updated_at: '2026-05-02T10:00:00Z',
};

export const me = {
  workspace: { id: '01JWS00000000000000000000A', name: 'Acme', plan: 'free', created_at: '2026-01-01T00:00:00Z' },
  api_key: { key: 'sk-…2706', created_at: '2026-01-01T00:00:00Z', last_used_at: null },
};

/** One valid message of every known type, as the service sends them. */
export const everyKnownMessage = [
  { type: 'text', text: 'Hi! What is your order number?' },
  { type: 'buttons', text: 'Pick one', buttons: [{ id: 'b1', title: 'Track' }, { id: 'b2', title: 'Cancel' }] },
  {
    type: 'list',
    text: 'Our menu',
    button_text: 'Open menu',
    sections: [
      { title: 'Drinks', rows: [{ id: 'r1', title: 'Tea', description: 'Hot' }, { id: 'r2', title: 'Coffee' }] },
    ],
  },
  { type: 'image', media_url: 'https://example.com/a.png', media_caption: 'A picture' },
  { type: 'document', media_url: 'https://example.com/a.pdf', media_filename: 'a.pdf', media_caption: 'Invoice' },
  { type: 'video', media_url: 'https://example.com/a.mp4' },
  { type: 'audio', media_url: 'https://example.com/a.ogg' },
];

export function session(messages: unknown[] = [{ type: 'text', text: 'Hello' }]): Record<string, unknown> {
  return { session_id: '01JSESSION0000000000000000', channel: 'api', created_at: '2026-05-01T10:00:00Z', messages };
}

export function reply(messages: unknown[] = [{ type: 'text', text: 'Got it' }]): Record<string, unknown> {
  return {
    session_id: '01JSESSION0000000000000000',
    messages,
    messages_count: messages.length,
    current_state: 'fetch_order',
    timestamp: '2026-05-01T10:00:05Z',
  };
}

export const flowSummary = {
  id: '01JFLOW000000000000000000A',
  chatbot_id: chatbot.id,
  name: 'Main',
  type: 'conversation',
  status: 'draft',
  created_at: '2026-05-01T10:00:00Z',
};

export const flow = { ...flowSummary, flow: { greet_user: { message: 'Hi', transitions: { default: 'greet_user' } } } };

export const conversation = {
  id: '01JCONV000000000000000000A',
  chatbot_id: chatbot.id,
  user_phone: null,
  contact_name: null,
  channel: 'api',
  status: 'ACTIVE',
  last_message_id: null,
  last_message_at: null,
  last_message_preview: null,
  unread_count: 0,
  created_at: '2026-05-01T10:00:00Z',
  updated_at: '2026-05-01T10:00:00Z',
};

export const conversationMessage = {
  id: '01JMSG0000000000000000000A',
  conversation_id: conversation.id,
  message: { type: 'text', text: 'hi' },
  response: { type: 'text', text: 'hello' },
  message_type: 'text',
  responder: 'BOT',
  received_at: '2026-05-01T10:00:00Z',
  responded_at: '2026-05-01T10:00:01Z',
  status: 'delivered',
  created_at: '2026-05-01T10:00:00Z',
};
