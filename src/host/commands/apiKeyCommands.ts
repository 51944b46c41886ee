// Sarufi: Set API Key and Sarufi: Clear API Key. A key is checked with GET /me before it is kept,
// so a typo never gets stored; it goes to SecretStorage and nowhere else.
import * as vscode from 'vscode';
import type { MeResponse } from '../../sarufi/types.js';
import type { ApiKeyStore } from '../apiKeyStore.js';
import { createClient } from '../clients.js';
import type { Environments } from '../environments.js';

export interface ApiKeyCommandDeps {
  keys: ApiKeyStore;
  environments: Environments;
  log: vscode.LogOutputChannel;
}

/** The base URL a key is for: the selected server, or Sarufi when the sandbox is selected. */
async function keyTarget(environments: Environments): Promise<{ baseUrl: string; label: string }> {
  const id = await environments.selectedId();
  const keyed = id === 'custom' ? environments.keyedBaseUrl('custom') : undefined;
  if (keyed) {
    return { baseUrl: keyed, label: keyed };
  }
  const sarufi = environments.keyedBaseUrl('sarufi') ?? '';
  return { baseUrl: sarufi, label: new URL(sarufi).host };
}

/**
 * Asks for a key (or takes it as an argument, for scripts and tests), checks it, stores it.
 * Resolves with the workspace it opened, or undefined when it was not stored.
 */
export async function setApiKey(deps: ApiKeyCommandDeps, keyArgument?: unknown): Promise<MeResponse['workspace'] | undefined> {
  const target = await keyTarget(deps.environments);
  const key =
    typeof keyArgument === 'string'
      ? keyArgument.trim()
      : (
          await vscode.window.showInputBox({
            title: 'Sarufi: Set API Key',
            prompt: `Your Sarufi workspace's API key, for ${target.label}. It is kept in VS Code's secret storage.`,
            placeHolder: 'sk-…',
            password: true,
            ignoreFocusOut: true,
            validateInput: (value) => (value.trim() === '' ? 'Paste the API key from the Sarufi dashboard.' : undefined),
          })
        )?.trim();
  if (!key) {
    return undefined;
  }
  try {
    const client = createClient(target.baseUrl, key, deps.log);
    const me = await client.me();
    await deps.keys.set(target.baseUrl, key);
    deps.environments.fireChanged();
    void vscode.window.showInformationMessage(`Connected to ${me.workspace.name} (${me.workspace.plan}). The key is stored in VS Code's secret storage.`);
    return me.workspace;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`The key was not stored. ${reason}`);
    return undefined;
  }
}

/** Resolves with whether a key was stored (and is now removed), so that the message says what happened. */
export async function clearApiKey(deps: ApiKeyCommandDeps): Promise<boolean> {
  const target = await keyTarget(deps.environments);
  if ((await deps.keys.get(target.baseUrl)) === undefined) {
    void vscode.window.showInformationMessage(`No API key is stored for ${target.label}: there was nothing to clear.`);
    return false;
  }
  await deps.keys.clear(target.baseUrl);
  deps.environments.fireChanged();
  void vscode.window.showInformationMessage(`The API key for ${target.label} was removed from VS Code's secret storage.`);
  return true;
}
