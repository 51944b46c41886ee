// The side panel's way to the current environment: one client per environment and key, and one
// short-lived read cache shared by every view, so a refresh never bursts past the rate limits.
import type * as vscode from 'vscode';
import { ReadCache } from '../../sarufi/readCache.js';
import { collectAll } from '../../sarufi/client.js';
import type { SarufiClient } from '../../sarufi/client.js';
import type { ChatbotSummary } from '../../sarufi/types.js';
import { EnvironmentClient } from '../clients.js';
import type { Environment, Environments } from '../environments.js';

export interface ViewConnection {
  environment: Environment;
  client: SarufiClient;
}

export class ViewData {
  private readonly cache = new ReadCache();
  private readonly clients: EnvironmentClient;
  private current: ViewConnection | undefined;

  constructor(environments: Environments, log: vscode.LogOutputChannel) {
    this.clients = new EnvironmentClient(environments, log);
  }

  /** The environment with a client, or undefined when it has no key (the views then show welcome content). */
  async connect(): Promise<ViewConnection | undefined> {
    const { environment, client } = await this.clients.connect();
    if (!client) {
      return undefined;
    }
    if (this.current?.client !== client) {
      // Another server or another key: nothing read with the old one may show.
      this.cache.invalidate();
      this.current = { environment, client };
    }
    return this.current;
  }

  /** Forgets the cached reads under `path` (e.g. '/chatbots'), or every read. */
  invalidate(path = ''): void {
    this.cache.invalidate(this.current ? `${this.current.environment.baseUrl}${path}` : '');
  }

  /** Every chatbot of the environment, read once for both the Chatbots and the History view. */
  chatbots(connection: ViewConnection): Promise<ChatbotSummary[]> {
    return this.read(connection, '/chatbots', () => collectAll(connection.client.allChatbots()));
  }

  /** A cached read, keyed by the environment so that switching never shows another server's data. */
  read<T>(connection: ViewConnection, path: string, load: () => Promise<T>): Promise<T> {
    return this.cache.get(`${connection.environment.baseUrl}${path}`, load);
  }
}
