// Which server a chat talks to, and with which key: the Sarufi service, the local sandbox, or a
// custom URL. The status bar and the side panel show the answer.
import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKeyStore.js';
import type { SandboxHost } from './sandboxHost.js';
import { readSettings } from './settings.js';

export type EnvironmentId = 'sarufi' | 'sandbox' | 'custom';

export interface Environment {
  id: EnvironmentId;
  /** Short, for the status bar and headers: "Sarufi", "Local sandbox", "Custom". */
  label: string;
  baseUrl: string;
  apiKey: string | undefined;
}

export const ENVIRONMENT_LABELS: Record<EnvironmentId, string> = {
  sarufi: 'Sarufi',
  sandbox: 'Local sandbox',
  custom: 'Custom server',
};

/** Codicon names, for the status bar, the Workspace view and the environment picker. */
export const ENVIRONMENT_ICONS: Record<EnvironmentId, string> = {
  sarufi: 'cloud',
  sandbox: 'beaker',
  custom: 'server',
};

export class Environments implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly sandbox: SandboxHost,
  ) {}

  /** The environment that `auto` and the settings select, without starting the sandbox. */
  async selectedId(): Promise<EnvironmentId> {
    const settings = readSettings();
    if (settings.environment !== 'auto') {
      return settings.environment;
    }
    return (await this.keys.get(settings.apiBaseUrl)) ? 'sarufi' : 'sandbox';
  }

  /** The base URL where a key for this environment is kept (the sandbox has its own fixed key). */
  keyedBaseUrl(id: EnvironmentId): string | undefined {
    const settings = readSettings();
    if (id === 'sarufi') {
      return settings.apiBaseUrl;
    }
    if (id === 'custom') {
      return settings.customBaseUrl || undefined;
    }
    return undefined;
  }

  /** Resolves the environment to a base URL and key, starting the sandbox when it is the one. */
  async resolve(id?: EnvironmentId): Promise<Environment> {
    const chosen = id ?? (await this.selectedId());
    if (chosen === 'sandbox') {
      const { baseUrl, apiKey } = await this.sandbox.ensure();
      return { id: chosen, label: ENVIRONMENT_LABELS.sandbox, baseUrl, apiKey };
    }
    const baseUrl = this.keyedBaseUrl(chosen);
    if (!baseUrl) {
      throw new Error('No custom server URL is set. Set "sarufi.customBaseUrl" or pick another environment with "Sarufi: Select Environment".');
    }
    return { id: chosen, label: ENVIRONMENT_LABELS[chosen], baseUrl, apiKey: await this.keys.get(baseUrl) };
  }

  /** Whether a key is stored for this base URL (never the key itself). */
  async hasKey(baseUrl: string): Promise<boolean> {
    return (await this.keys.get(baseUrl)) !== undefined;
  }

  /** Tells listeners (status bar, views) that the selection or a key changed. */
  fireChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
