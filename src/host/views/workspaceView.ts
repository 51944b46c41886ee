// The Workspace view: where chats go, which Sarufi workspace the key opens, and whether a key is set.
import * as vscode from 'vscode';
import type { Environment, Environments } from '../environments.js';
import { ENVIRONMENT_ICONS, ENVIRONMENT_LABELS } from '../environments.js';
import type { ViewData } from './connection.js';
import { errorItem, messageItem } from './treeItems.js';

export class WorkspaceView implements vscode.TreeDataProvider<vscode.TreeItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly environments: Environments,
    private readonly data: ViewData,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: vscode.TreeItem): vscode.TreeItem {
    return item;
  }

  async getChildren(): Promise<vscode.TreeItem[]> {
    const id = await this.environments.selectedId();
    const keyedBaseUrl = this.environments.keyedBaseUrl(id);
    const environment = messageItem(`Environment: ${ENVIRONMENT_LABELS[id]}`, ENVIRONMENT_ICONS[id]);
    environment.description = keyedBaseUrl ?? 'flow files of this workspace';
    environment.tooltip = 'Where chats go. Click to switch.';
    environment.command = { command: 'sarufi.selectEnvironment', title: 'Select Environment' };
    environment.contextValue = 'environment';

    let connection;
    try {
      connection = await this.data.connect();
    } catch (error) {
      return [environment, errorItem(error)];
    }
    await vscode.commands.executeCommand('setContext', 'sarufi.hasKey', connection !== undefined);
    if (!connection) {
      // No key for Sarufi or the custom server: the welcome content explains and offers the fixes.
      return [];
    }
    if (id === 'sandbox') {
      return [environment, ...(await this.sandboxItems(connection.environment))];
    }
    const key = messageItem('API key: set', 'key', 'Kept in VS Code secret storage.');
    key.contextValue = 'apiKey';
    try {
      const me = await this.data.read(connection, '/me', () => connection.client.me());
      const workspace = messageItem(`Workspace: ${me.workspace.name}`, 'organization');
      workspace.description = me.workspace.plan;
      workspace.tooltip = new vscode.MarkdownString(`**${me.workspace.name}**\n\nPlan: ${me.workspace.plan}\n\nId: \`${me.workspace.id}\`\n\nCreated: ${me.workspace.created_at}`);
      return [environment, workspace, key];
    } catch (error) {
      return [environment, errorItem(error), key];
    }
  }

  /**
   * The sandbox's address and key, shown whole (neither is a secret: the key only keeps web pages
   * on this machine away from it) and copied on a click, so that curl and a custom chat UI can
   * reach it; then whether Sarufi itself has a key, with Set API Key beside it.
   */
  private async sandboxItems(sandbox: Environment): Promise<vscode.TreeItem[]> {
    const url = copyItem('Sandbox URL', sandbox.baseUrl, 'globe', 'The local sandbox answers the Chat API here (on this machine only). It keeps this port from one start to the next when it can. Click to copy.');
    const key = copyItem('Sandbox key', sandbox.apiKey ?? '', 'key', 'The key the local sandbox takes: `Authorization: Bearer <key>`. Not a secret: it only keeps web pages on this machine away from the sandbox, and it stays the same from one start to the next. Click to copy.');
    const sarufiBaseUrl = this.environments.keyedBaseUrl('sarufi');
    const sarufiKey = sarufiBaseUrl ? await this.environments.hasKey(sarufiBaseUrl) : false;
    const sarufi = messageItem(sarufiKey ? 'Sarufi: API key set' : 'Sarufi: no API key', 'cloud', sarufiKey ? 'Kept in VS Code secret storage. Select the Sarufi environment to chat with your published chatbots.' : 'Set a key to chat with your chatbots on Sarufi, and to push flows there.');
    sarufi.contextValue = sarufiKey ? 'apiKey' : 'noApiKey';
    if (!sarufiKey) {
      sarufi.command = { command: 'sarufi.setApiKey', title: 'Set API Key' };
    }
    return [url, key, sarufi];
  }
}

function copyItem(label: string, value: string, icon: string, tooltip: string): vscode.TreeItem {
  const item = messageItem(label, icon, tooltip);
  item.description = value;
  item.contextValue = 'copyable';
  item.command = { command: 'sarufi.copyValue', title: `Copy ${label}`, arguments: [value, label] };
  return item;
}
