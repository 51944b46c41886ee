// The status bar item that says where chats go; a click switches the environment.
import * as vscode from 'vscode';
import type { Environments } from './environments.js';
import { ENVIRONMENT_ICONS, ENVIRONMENT_LABELS } from './environments.js';

export function createEnvironmentStatus(environments: Environments): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('sarufi.environment', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Sarufi Environment';
  item.command = 'sarufi.selectEnvironment';
  const refresh = async () => {
    const id = await environments.selectedId();
    item.text = `$(${ENVIRONMENT_ICONS[id]}) Sarufi: ${ENVIRONMENT_LABELS[id]}`;
    item.tooltip = `Sarufi chats go to ${ENVIRONMENT_LABELS[id]}${environments.keyedBaseUrl(id) ? ` (${environments.keyedBaseUrl(id)})` : ''}. Click to switch.`;
    item.show();
  };
  void refresh();
  const subscription = environments.onDidChange(() => void refresh());
  return vscode.Disposable.from(item, subscription);
}
