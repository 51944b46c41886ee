// The side panel's way to the current environment: one client per environment and key, and one
// short-lived read cache shared by every view, so a refresh never bursts past the rate limits.
import type * as vscode from 'vscode';
import { ReadCache } from '../../explorer/readCache.js';
import type { SarufiClient } from '../../sarufi/client.js';
import { createClient } from '../clients.js';
import type { Environment, Environments } from '../environments.js';

export interface ViewConnection {
  environment: Environment;
  client: SarufiClient;
}

export class ViewData {
  private readonly cache = new ReadCache();
  private current: { key: string; connection: ViewConnection } | undefined;

  constructor(
    private readonly environments: Environments,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The environment with a client, or undefined when it has no key (the views then show welcome content). */
  async connect(): Promise<ViewConnection | undefined> {
    const environment = await this.environments.resolve();
    if (!environment.apiKey) {
      return undefined;
    }
    const key = `${environment.baseUrl}\n${environment.apiKey}`;
    if (this.current?.key !== key) {
      this.cache.invalidate();
      this.current = { key, connection: { environment, client: createClient(environment.baseUrl, environment.apiKey, this.log) } };
    }
    return this.current.connection;
  }

  /** Forgets the cached reads under `path` (e.g. '/chatbots'), or every read. */
  invalidate(path = ''): void {
    this.cache.invalidate(this.current ? `${this.current.connection.environment.baseUrl}${path}` : '');
  }

  /** A cached read, keyed by the environment so that switching never shows another server's data. */
  read<T>(connection: ViewConnection, path: string, load: () => Promise<T>): Promise<T> {
    return this.cache.get(`${connection.environment.baseUrl}${path}`, load);
  }
}
