// What the sandbox's route handlers share.
import type { Catalog, ChatbotRecord } from './catalog.js';
import type { IntegrationConfig } from '../flow/flowTypes.js';
import { notFound } from './httpKit.js';
import type { MockRegistry } from './mockRoutes.js';
import type { SessionStore } from './sessions.js';
import type { TurnPool } from './turnPool.js';

export interface SandboxContext {
  catalog: Catalog;
  sessions: SessionStore;
  /** Where turns run: worker threads with a time budget. */
  turns: TurnPool;
  clock: () => number;
  newId: () => string;
  startedAt: number;
  workspaceId: string;
  /** The key as /me shows it: never the whole key. */
  redactedKey: string;
  contactName: string;
  /** sarufi.sandbox.json integrations, overridden by the options'. */
  integrations: () => Record<string, IntegrationConfig>;
  /** Mock sets that chat requests name with `?mocks=`. */
  mocks: MockRegistry;
  /** Whether greetings and replies carry the turn's trace (`sandbox_trace`). */
  trace: boolean;
}

export function nowIso(context: SandboxContext): string {
  return new Date(context.clock()).toISOString();
}

export function requireChatbot(context: SandboxContext, id: string | undefined): ChatbotRecord {
  const chatbot = id === undefined ? undefined : context.catalog.chatbots.get(id);
  if (!chatbot) {
    throw notFound('Chatbot');
  }
  return chatbot;
}
