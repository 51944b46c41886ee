// Turns a conversation from the Conversations API into a read-only transcript, so that history
// reads in the chat panel's style. A record carries the user's message and the bot's response.
import { normaliseMessage, normaliseMessages } from '../flow/botMessages.js';
import type { GenericMessage } from '../flow/botMessages.js';
import type { Conversation, ConversationMessage } from '../sarufi/types.js';
import type { Exchange } from '../sarufi/exchange.js';
import type { Transcript, TurnEntry } from './transcript.js';

export interface HistorySource {
  chatbotName: string;
  environmentId: string;
  environment: string;
  baseUrl: string;
}

export function conversationToTranscript(source: HistorySource, conversation: Conversation, messages: ConversationMessage[]): Transcript {
  const entries: TurnEntry[] = messages.map((record) => {
    const text = typeof record.message?.['text'] === 'string' ? record.message['text'] : undefined;
    const at = record.responded_at ?? record.received_at ?? record.created_at;
    return {
      kind: 'turn',
      id: record.id,
      sessionId: conversation.id,
      ...(text !== undefined ? { user: { text } } : {}),
      messages: responseMessages(record.response),
      currentState: null,
      messagesCount: null,
      at,
      durationMs: durationOf(record),
      status: null,
      history: { responder: String(record.responder ?? ''), status: String(record.status ?? '') },
      exchange: historyExchange(record, at),
    };
  });
  return {
    version: 1,
    session: {
      chatbotId: conversation.chatbot_id,
      chatbotName: source.chatbotName,
      environmentId: source.environmentId,
      environment: source.environment,
      baseUrl: source.baseUrl,
      sessionId: conversation.id,
      createdAt: conversation.created_at,
      messagesCount: messages.length,
      expiresAt: null,
      trail: conversation.current_state ? [conversation.current_state] : [],
      status: conversation.status === 'ACTIVE' ? 'open' : 'closed',
    },
    entries,
  };
}

/**
 * What the bot answered, as the chat renders it: every message when the record keeps them
 * (`response.messages`, as the local sandbox stores them beside a text summary), else the response
 * itself as one message.
 */
function responseMessages(response: Record<string, unknown> | null): GenericMessage[] {
  if (!response) {
    return [];
  }
  const messages = normaliseMessages(response.messages);
  if (messages && messages.length > 0) {
    return messages;
  }
  return [normaliseMessage(withTextType(response))];
}

/** Stored responses often omit `type` for plain text; read them as text rather than as unknown. */
function withTextType(response: Record<string, unknown>): Record<string, unknown> {
  return 'type' in response ? response : { type: 'text', ...response };
}

function durationOf(record: ConversationMessage): number {
  if (!record.received_at || !record.responded_at) {
    return 0;
  }
  return Math.max(0, Date.parse(record.responded_at) - Date.parse(record.received_at));
}

/** History has no HTTP exchange of its own: the inspector shows the stored record instead. */
function historyExchange(record: ConversationMessage, at: string): Exchange {
  return {
    method: 'GET',
    url: `conversations/${record.conversation_id}/messages#${record.id}`,
    requestHeaders: {},
    requestBody: undefined,
    status: null,
    responseHeaders: {},
    responseText: JSON.stringify(record),
    responseJson: record,
    startedAt: at,
    durationMs: 0,
    attempt: 1,
  };
}
