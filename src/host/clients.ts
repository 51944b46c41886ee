// Makes SarufiClients for the extension: one place that knows how the host configures them
// (logging to the output channel, the rate-limit notice), so every command talks the same way.
import type * as vscode from 'vscode';
import { SarufiClient } from '../sarufi/client.js';
import { endpoints } from '../sarufi/endpoints.js';
import type { ChatApi } from '../chat/chatSession.js';

export interface ClientHooks {
  /** Told when a 429 makes the client wait before trying again. */
  onRateLimited?: (waitMs: number) => void;
}

export function createClient(baseUrl: string, apiKey: string, log: vscode.LogOutputChannel, hooks: ClientHooks = {}): SarufiClient {
  return new SarufiClient({
    baseUrl,
    apiKey,
    log: (line: string) => log.debug(line),
    ...(hooks.onRateLimited ? { onRateLimited: hooks.onRateLimited } : {}),
  });
}

/** The two Chat API calls of a panel, on a client. */
export function chatApiOf(client: SarufiClient): ChatApi {
  return {
    createSession: (chatbotId, signal) => client.call(endpoints.createSession(chatbotId), { signal }),
    sendMessage: (chatbotId, sessionId, body, signal) => client.call(endpoints.sendMessage(chatbotId, sessionId, body), { signal }),
  };
}
