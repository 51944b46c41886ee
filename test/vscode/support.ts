// Helpers for the suites that run inside VS Code's extension host (test/vscode/suite/*.test.ts).
import * as vscode from 'vscode';
import type { SarufiExtensionApi } from '../../src/extension.js';
import type { ChatPanel, OpenedChat } from '../../src/host/chatPanel.js';

/** `publisher.name` from package.json. */
export const EXTENSION_ID = 'sarufi-community.sarufi-vscode';

/** The contributed `viewType` of the chat panel; VS Code reports it with a prefix in tab inputs. */
export const CHAT_VIEW_TYPE = 'sarufi.chat';

export function getExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    throw new Error(`extension ${EXTENSION_ID} is not loaded; installed: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
  }
  return extension;
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = getExtension();
  await extension.activate();
  return extension;
}

/** Rejects with a message naming what did not happen, instead of mocha's bare timeout. */
export async function withTimeout<T>(work: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns true. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Open editor tabs that show a webview panel of `viewType`. */
export function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(viewType));
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The command ids package.json contributes. */
export function contributedCommands(extension: vscode.Extension<unknown>): string[] {
  const manifest = extension.packageJSON as { contributes?: { commands?: { command: string }[] } };
  return (manifest.contributes?.commands ?? []).map((entry) => entry.command);
}

/** The extension's test-mode exports (activate() returns them only under the test runner). */
export async function extensionApi(): Promise<SarufiExtensionApi> {
  const api = (await activateExtension()).exports as SarufiExtensionApi | undefined;
  if (!api) {
    throw new Error('the extension handed out no exports: is it running in ExtensionMode.Test?');
  }
  return api;
}

/** The panel behind what a command that opens a chat resolved with (plain data, by design). */
export function panelOf(api: SarufiExtensionApi, opened: OpenedChat | undefined): ChatPanel {
  const panel = opened ? api.panels.get(opened.panelId) : undefined;
  if (!panel) {
    throw new Error(`no open panel for what the command resolved with: ${JSON.stringify(opened)}`);
  }
  return panel;
}

/**
 * Runs `sarufi.startChat` with no argument, as the palette does, and picks the first chatbot the
 * picker offers (in a fresh workspace: a flow of examples/ in the local sandbox). Resolves with
 * what the command resolved with.
 */
export async function startChatPickingFirst(timeoutMs = 20_000): Promise<OpenedChat | undefined> {
  let settled = false;
  const started = Promise.resolve(vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat')).finally(() => {
    settled = true;
  });
  const deadline = Date.now() + timeoutMs;
  // The picker appears once the chatbots are loaded; accepting while nothing is open does nothing.
  while (!settled && Date.now() < deadline) {
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return withTimeout(started, Math.max(deadline - Date.now(), 1), 'sarufi.startChat to resolve after the chatbot was picked');
}

/**
 * Points the extension at a Sarufi-compatible server on loopback (the `custom` environment) and
 * stores `key` for it through the real Set API Key command. Undo with `disconnectCustomServer`.
 */
export async function connectCustomServer(baseUrl: string, key: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('sarufi');
  await config.update('customBaseUrl', baseUrl, vscode.ConfigurationTarget.Global);
  await config.update('environment', 'custom', vscode.ConfigurationTarget.Global);
  if (!(await vscode.commands.executeCommand('sarufi.setApiKey', key))) {
    throw new Error(`the server at ${baseUrl} refused the key`);
  }
}

export async function disconnectCustomServer(): Promise<void> {
  await vscode.commands.executeCommand('sarufi.clearApiKey');
  const config = vscode.workspace.getConfiguration('sarufi');
  await config.update('environment', undefined, vscode.ConfigurationTarget.Global);
  await config.update('customBaseUrl', undefined, vscode.ConfigurationTarget.Global);
  await closeAllEditors();
}
