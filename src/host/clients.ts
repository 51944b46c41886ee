// Makes SarufiClients for the extension: one place that knows how the host configures them
// (logging to the output channel, the rate-limit notice), so every command talks the same way.
import type * as vscode from 'vscode';
import { SarufiClient } from '../sarufi/client.js';
import type { RateLimitWait } from '../sarufi/client.js';
import { endpoints } from '../sarufi/endpoints.js';
import type { ChatApi } from '../chat/chatSession.js';

export interface ClientHooks {
  /** Told when the client waits: pacing to the rate limits, or after a 429. */
  onRateLimited?: (waitMs: number, reason: 'pacing' | 'retry-after') => void;
}

export function createClient(baseUrl: string, apiKey: string, log: vscode.LogOutputChannel, hooks: ClientHooks = {}): SarufiClient {
  return new SarufiClient({
    baseUrl,
    apiKey,
    log: (line: string) => log.debug(line),
    ...(hooks.onRateLimited ? { onRateLimited: (waitMs: number, wait: RateLimitWait) => hooks.onRateLimited?.(waitMs, wait.reason) } : {}),
  });
}

/** The two Chat API calls of a panel, on a client. */
export function chatApiOf(client: SarufiClient): ChatApi {
  return {
    createSession: (chatbotId, signal) => client.call(endpoints.createSession(chatbotId), { signal }),
    sendMessage: (chatbotId, sessionId, body, signal) => client.call(endpoints.sendMessage(chatbotId, sessionId, body), { signal }),
  };
}
