// Every setting the extension reads, in one place: the keys here match package.json's
// `contributes.configuration`.
import * as vscode from 'vscode';
import { DEFAULT_TURN_TIMEOUT_MS } from '../sandbox/turnBudget.js';
import { DEFAULT_BASE_URL } from '../sarufi/baseUrl.js';

export const SECTION = 'sarufi';

/** Where chats go: `auto` is Sarufi when a key is set for it, otherwise the local sandbox. */
export type EnvironmentSetting = 'auto' | 'sarufi' | 'sandbox' | 'custom';

export interface Settings {
  environment: EnvironmentSetting;
  apiBaseUrl: string;
  customBaseUrl: string;
  chatbotId: string;
  sandboxFlowFolders: string[];
  sandboxLatencyMs: number;
  sandboxTurnTimeoutMs: number;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    environment: config.get<EnvironmentSetting>('environment', 'auto'),
    apiBaseUrl: trimSlash(config.get<string>('apiBaseUrl', DEFAULT_BASE_URL) || DEFAULT_BASE_URL),
    customBaseUrl: trimSlash(config.get<string>('customBaseUrl', '')),
    chatbotId: config.get<string>('chatbotId', '').trim(),
    sandboxFlowFolders: config.get<string[]>('sandbox.flowFolders', []),
    sandboxLatencyMs: config.get<number>('sandbox.latencyMs', 0),
    sandboxTurnTimeoutMs: config.get<number>('sandbox.turnTimeoutMs', DEFAULT_TURN_TIMEOUT_MS),
  };
}

export async function writeEnvironment(environment: EnvironmentSetting): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('environment', environment, vscode.ConfigurationTarget.Global);
}

export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) {
      listener();
    }
  });
}

function trimSlash(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
