// Makes SarufiClients for the extension: one place that knows how the host configures them
// (logging to the output channel, the rate-limit notice), so every command talks the same way.
import type * as vscode from 'vscode';
import { SarufiClient } from '../sarufi/client.js';
import type { RateLimitWait } from '../sarufi/client.js';
import { endpoints } from '../sarufi/endpoints.js';
import type { ChatApi } from '../chat/chatSession.js';
import type { Environment, EnvironmentId, Environments } from './environments.js';

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
    createSession: (chatbotId, signal, request) => client.call(endpoints.createSession(chatbotId, request), { signal }),
    sendMessage: (chatbotId, sessionId, body, signal) => client.call(endpoints.sendMessage(chatbotId, sessionId, body), { signal }),
  };
}

/** The current environment and, when it has a key, a client for it. */
export interface EnvironmentConnection {
  environment: Environment;
  client: SarufiClient | undefined;
}

/**
 * The current environment's client, made again only when the environment or its key changes, so
 * that its rate limiter and settings carry over from one read to the next.
 */
export class EnvironmentClient {
  private current: { key: string; client: SarufiClient } | undefined;

  constructor(
    private readonly environments: Environments,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** `id` names the environment; without it, the one the settings select. */
  async connect(id?: EnvironmentId): Promise<EnvironmentConnection> {
    const environment = await this.environments.resolve(id);
    if (!environment.apiKey) {
      return { environment, client: undefined };
    }
    const key = `${environment.baseUrl}\n${environment.apiKey}`;
    if (this.current?.key !== key) {
      this.current = { key, client: createClient(environment.baseUrl, environment.apiKey, this.log) };
    }
    return { environment, client: this.current.client };
  }
}
