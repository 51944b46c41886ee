// Sarufi: Select Environment: where chats go (Sarufi, the local sandbox, or a custom server).
import * as vscode from 'vscode';
import { ENVIRONMENT_ICONS, ENVIRONMENT_LABELS } from '../environments.js';
import { readSettings, SECTION, writeEnvironment } from '../settings.js';
import type { EnvironmentSetting } from '../settings.js';

interface EnvironmentItem extends vscode.QuickPickItem {
  value: EnvironmentSetting;
}

export async function selectEnvironment(argument?: unknown): Promise<EnvironmentSetting | undefined> {
  const settings = readSettings();
  let value: EnvironmentSetting | undefined;
  if (argument === 'auto' || argument === 'sarufi' || argument === 'sandbox' || argument === 'custom') {
    value = argument;
  } else {
    const items: EnvironmentItem[] = [
      { value: 'auto', label: '$(sync) Automatic', description: 'Sarufi when an API key is set, otherwise the local sandbox' },
      { value: 'sarufi', label: `$(${ENVIRONMENT_ICONS.sarufi}) ${ENVIRONMENT_LABELS.sarufi}`, description: settings.apiBaseUrl },
      { value: 'sandbox', label: `$(${ENVIRONMENT_ICONS.sandbox}) ${ENVIRONMENT_LABELS.sandbox}`, description: 'Runs the *.flow.json files of this workspace, offline' },
      { value: 'custom', label: `$(${ENVIRONMENT_ICONS.custom}) ${ENVIRONMENT_LABELS.custom}`, description: settings.customBaseUrl || 'Enter a URL' },
    ];
    for (const item of items) {
      item.picked = item.value === settings.environment;
    }
    value = (await vscode.window.showQuickPick(items, { title: 'Sarufi: Select Environment', placeHolder: `Now: ${settings.environment}` }))?.value;
  }
  if (!value) {
    return undefined;
  }
  if (value === 'custom' && !settings.customBaseUrl) {
    const url = await vscode.window.showInputBox({
      title: 'Custom Sarufi-compatible server',
      prompt: 'Its base URL, e.g. http://127.0.0.1:8787/api/dev/v1 (https unless it is on this machine)',
      ignoreFocusOut: true,
    });
    if (!url) {
      return undefined;
    }
    await vscode.workspace.getConfiguration(SECTION).update('customBaseUrl', url.trim(), vscode.ConfigurationTarget.Global);
  }
  await writeEnvironment(value);
  return value;
}
