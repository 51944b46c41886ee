// GET /me and the Chatbots API.
import type { Chatbot, ChatbotStats, ChatbotSummary, MeResponse, Page } from '../sarufi/types.js';
import type { ChatbotRecord } from './catalog.js';
import { bodyObject, BodyChecker } from './httpKit.js';
import { pageOf, readPageRequest } from './pagination.js';
import type { Router } from './router.js';
import { nowIso, requireChatbot } from './sandboxContext.js';
import type { SandboxContext } from './sandboxContext.js';

export const CHATBOT_PAGE = { defaultLimit: 29, maxLimit: 37 } as const;
const STATS_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export function chatbotSummary(chatbot: ChatbotRecord): ChatbotSummary {
  return {
    id: chatbot.id,
    name: chatbot.name,
    description: chatbot.description,
    is_active: true,
    created_at: chatbot.createdAt,
  };
}

function chatbotDetail(context: SandboxContext, chatbot: ChatbotRecord): Chatbot {
  // No webhook_secret: the sandbox has no webhooks, and a secret has no business in a reply.
  return {
    ...chatbotSummary(chatbot),
    workspace_id: context.workspaceId,
    category: chatbot.category,
    updated_at: chatbot.updatedAt,
  };
}

function chatbotStats(context: SandboxContext, chatbot: ChatbotRecord): ChatbotStats {
  const sessions = context.sessions.ofChatbot(chatbot.id);
  const since = context.clock() - STATS_WINDOW_MS;
  const totalMessages = sessions
    .flatMap((session) => session.turns)
    .reduce(
      (total, turn) => total + (turn.message ? 1 : 0) + (Array.isArray(turn.response?.messages) ? turn.response.messages.length : 0),
      0,
    );
  return {
    ...chatbotDetail(context, chatbot),
    stats: {
      total_conversations: sessions.length,
      total_messages: totalMessages,
      // Every Chat API session is its own user.
      active_users_7d: sessions.filter((session) => session.lastActivityAt >= since).length,
    },
  };
}

export function registerChatbotRoutes(router: Router, context: SandboxContext): void {
  router.add('GET', '/me', () => {
    const body: MeResponse = {
      workspace: { id: context.workspaceId, name: 'Local sandbox', plan: 'sandbox', created_at: new Date(context.startedAt).toISOString() },
      api_key: { key: context.redactedKey, created_at: new Date(context.startedAt).toISOString(), last_used_at: nowIso(context) },
    };
    return { status: 200, body };
  });

  router.add('GET', '/chatbots', ({ query }) => {
    const all = context.catalog.sorted();
    const page = pageOf(all, readPageRequest(query, CHATBOT_PAGE.defaultLimit, CHATBOT_PAGE.maxLimit));
    const body: Page<ChatbotSummary> = { items: page.items.map(chatbotSummary), next_cursor: page.nextCursor, total: all.length };
    return { status: 200, body };
  });

  router.add(
    'POST',
    '/chatbots',
    ({ body }) => {
      const checker = new BodyChecker(bodyObject(body));
      const name = checker.string('name', { required: true, minLength: 1 });
      const description = checker.string('description');
      const category = checker.string('category');
      checker.done();
      const now = nowIso(context);
      const chatbot: ChatbotRecord = {
        id: context.newId(),
        name: name ?? '',
        description: description ?? '',
        category: category ?? 'general',
        createdAt: now,
        updatedAt: now,
        source: null,
        fileProblem: null,
        flows: new Map(),
      };
      context.catalog.chatbots.set(chatbot.id, chatbot);
      return { status: 201, body: chatbotDetail(context, chatbot) };
    },
    true,
  );

  router.add('GET', '/chatbots/:chatbotId', ({ params }) => ({
    status: 200,
    body: chatbotDetail(context, requireChatbot(context, params.chatbotId)),
  }));

  router.add(
    'PATCH',
    '/chatbots/:chatbotId',
    ({ params, body }) => {
      const checker = new BodyChecker(bodyObject(body));
      const name = checker.string('name', { minLength: 1 });
      const description = checker.string('description');
      const category = checker.string('category');
      checker.done();
      const chatbot = requireChatbot(context, params.chatbotId);
      chatbot.name = name ?? chatbot.name;
      chatbot.description = description ?? chatbot.description;
      chatbot.category = category ?? chatbot.category;
      chatbot.updatedAt = nowIso(context);
      return { status: 200, body: chatbotDetail(context, chatbot) };
    },
    true,
  );

  router.add('DELETE', '/chatbots/:chatbotId', ({ params }) => {
    context.catalog.delete(requireChatbot(context, params.chatbotId).id);
    return { status: 204 };
  });

  router.add('GET', '/chatbots/:chatbotId/stats', ({ params }) => ({
    status: 200,
    body: chatbotStats(context, requireChatbot(context, params.chatbotId)),
  }));
}
