// The Conversations API: the sandbox's Chat API sessions and their messages.
import type { Conversation, ConversationList, ConversationMessageList, ConversationStatus } from '../sarufi/types.js';
import { notFound, unprocessable } from './httpKit.js';
import { pageOf, readPageRequest } from './pagination.js';
import type { Router } from './router.js';
import { requireChatbot } from './sandboxContext.js';
import type { SandboxContext } from './sandboxContext.js';
import type { SessionRecord } from './sessions.js';

export const CONVERSATION_PAGE = { defaultLimit: 50, maxLimit: 67 } as const;
const STATUSES: readonly ConversationStatus[] = ['ACTIVE', 'CLOSED', 'ARCHIVED', 'HANDOFF_PENDING', 'AGENT_ACTIVE'];
const PREVIEW_LENGTH = 100;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function conversationView(context: SandboxContext, session: SessionRecord): Conversation {
  const last = session.turns.at(-1);
  const lastText = typeof last?.response?.text === 'string' && last.response.text !== '' ? last.response.text : last?.message?.text;
  const preview = typeof lastText === 'string' ? lastText : null;
  return {
    id: session.id,
    chatbot_id: session.chatbotId,
    // A persona (the session's request body) is who the conversation is with.
    user_phone: session.persona?.userId ?? null,
    contact_name: session.persona?.contactName ?? session.options.contactName ?? context.contactName,
    channel: 'api',
    status: session.closed ? 'CLOSED' : 'ACTIVE',
    last_message_id: last?.id ?? null,
    last_message_at: last?.responded_at ?? null,
    last_message_preview: preview === null ? null : preview.length > PREVIEW_LENGTH ? `${preview.slice(0, PREVIEW_LENGTH - 1)}…` : preview,
    unread_count: 0,
    created_at: iso(session.createdAt),
    updated_at: iso(Math.max(session.lastActivityAt, session.closed?.at ?? 0)),
  };
}

function readTime(query: URLSearchParams, name: string): number | null {
  const value = query.get(name);
  if (value === null || value === '') {
    return null;
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw unprocessable([{ type: 'datetime_parsing', loc: ['query', name], msg: 'Input should be a valid datetime', input: value }]);
  }
  return ms;
}

function readStatus(query: URLSearchParams): string | null {
  const value = query.get('status');
  if (value === null || value === '') {
    return null;
  }
  const status = value.toUpperCase();
  if (!(STATUSES as readonly string[]).includes(status)) {
    const expected = STATUSES.map((option) => `'${option}'`).join(', ');
    throw unprocessable([{ type: 'enum', loc: ['query', 'status'], msg: `Input should be ${expected}`, input: value, ctx: { expected } }]);
  }
  return status;
}

export function registerConversationRoutes(router: Router, context: SandboxContext): void {
  const requireSession = (chatbotId: string | undefined, sessionId: string | undefined): SessionRecord => {
    const chatbot = requireChatbot(context, chatbotId);
    const session = context.sessions.find(chatbot.id, sessionId ?? '');
    if (!session) {
      throw notFound('Conversation');
    }
    return session;
  };

  router.add('GET', '/chatbots/:chatbotId/conversations', ({ params, query }) => {
    const chatbot = requireChatbot(context, params.chatbotId);
    const status = readStatus(query);
    const channel = query.get('channel');
    const start = readTime(query, 'start_time');
    const end = readTime(query, 'end_time');
    const pageRequest = readPageRequest(query, CONVERSATION_PAGE.defaultLimit, CONVERSATION_PAGE.maxLimit);
    const matching = context.sessions
      .ofChatbot(chatbot.id)
      .map((session) => conversationView(context, session))
      .filter(
        (conversation) =>
          (status === null || conversation.status === status) &&
          (channel === null || channel === '' || conversation.channel === channel) &&
          (start === null || Date.parse(conversation.created_at) >= start) &&
          (end === null || Date.parse(conversation.created_at) <= end),
      )
      // Newest first, as a conversation inbox lists them.
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
    const page = pageOf(matching, pageRequest);
    const body: ConversationList = { count: matching.length, conversations: page.items, next_cursor: page.nextCursor };
    return { status: 200, body };
  });

  router.add('GET', '/chatbots/:chatbotId/conversations/:conversationId', ({ params }) => ({
    status: 200,
    body: conversationView(context, requireSession(params.chatbotId, params.conversationId)),
  }));

  router.add('GET', '/chatbots/:chatbotId/conversations/:conversationId/messages', ({ params, query }) => {
    const session = requireSession(params.chatbotId, params.conversationId);
    const page = pageOf(session.turns, readPageRequest(query, CONVERSATION_PAGE.defaultLimit, CONVERSATION_PAGE.maxLimit));
    const body: ConversationMessageList = { count: session.turns.length, messages: page.items, next_cursor: page.nextCursor };
    return { status: 200, body };
  });
}
