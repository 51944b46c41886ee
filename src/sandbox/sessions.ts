// Chat API sessions and their stored turns, which the Conversations API lists.
import { SESSION_IDLE_MS } from '../sarufi/endpoints.js';
import type { ConversationMessage, KnownMessage } from '../sarufi/types.js';
import type { Conversation, UserInput } from '../flow/engine.js';


export interface SessionRecord {
  id: string;
  chatbotId: string;
  conversation: Conversation;
  createdAt: number;
  lastActivityAt: number;
  /** Only expiry closes a session: Sarufi documents no end state (a dead-end state just stays). */
  closed: { reason: 'expired'; at: number } | null;
  /** Oldest first: the greeting, then one record per user message with the bot's answer. */
  turns: ConversationMessage[];
}

/** A one-line text for a bot answer: texts and captions, media as [type]. */
export function summarize(messages: readonly KnownMessage[]): string {
  return messages
    .map((message) => {
      switch (message.type) {
        case 'text':
        case 'buttons':
        case 'list':
          return message.text;
        case 'audio':
          return '[audio]';
        default:
          return message.media_caption ?? `[${message.type}]`;
      }
    })
    .join('\n');
}

export class SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();

  constructor(
    private readonly clock: () => number,
    private readonly newId: () => string,
  ) {}

  open(chatbotId: string, id: string, conversation: Conversation, greeting: KnownMessage[]): SessionRecord {
    const now = this.clock();
    const session: SessionRecord = {
      id,
      chatbotId,
      conversation,
      createdAt: now,
      lastActivityAt: now,
      closed: null,
      turns: [],
    };
    this.append(session, null, greeting, now);
    this.sessions.set(id, session);
    return session;
  }

  /** The session, with its expiry brought up to date; undefined when unknown or another bot's. */
  find(chatbotId: string, sessionId: string): SessionRecord | undefined {
    const session = this.sessions.get(sessionId);
    if (!session || session.chatbotId !== chatbotId) {
      return undefined;
    }
    this.expire(session);
    return session;
  }

  ofChatbot(chatbotId: string): SessionRecord[] {
    return [...this.sessions.values()].filter((session) => {
      this.expire(session);
      return session.chatbotId === chatbotId;
    });
  }

  /** Stores one user message and the bot's answer. */
  recordTurn(session: SessionRecord, input: UserInput, answer: KnownMessage[], receivedAt: number): ConversationMessage {
    const now = this.clock();
    session.lastActivityAt = now;
    return this.append(session, input, answer, receivedAt);
  }

  private append(session: SessionRecord, input: UserInput | null, answer: KnownMessage[], receivedAt: number): ConversationMessage {
    const respondedAt = new Date(this.clock()).toISOString();
    const isClick = input?.button_id != null && input.button_id !== '';
    const record: ConversationMessage = {
      id: this.newId(),
      conversation_id: session.id,
      message:
        input === null
          ? null
          : { type: isClick ? 'button' : 'text', text: input.message, ...(isClick ? { button_id: input.button_id } : {}) },
      response: answer.length === 0 ? null : { type: 'text', text: summarize(answer), messages: answer },
      message_type: isClick ? 'button' : 'text',
      responder: 'BOT',
      received_at: input === null ? null : new Date(receivedAt).toISOString(),
      responded_at: respondedAt,
      status: 'DELIVERED',
      created_at: new Date(receivedAt).toISOString(),
    };
    session.turns.push(record);
    return record;
  }

  private expire(session: SessionRecord): void {
    if (session.closed === null && this.clock() - session.lastActivityAt >= SESSION_IDLE_MS) {
      session.closed = { reason: 'expired', at: session.lastActivityAt + SESSION_IDLE_MS };
    }
  }
}
