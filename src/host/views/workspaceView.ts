// The Workspace view: where chats go, which Sarufi workspace the key opens, and whether a key is set.
import * as vscode from 'vscode';
import type { Environments } from '../environments.js';
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
    const key = messageItem(id === 'sandbox' ? 'API key: the sandbox key' : 'API key: set', 'key', 'Kept in VS Code secret storage.');
    key.contextValue = id === 'sandbox' ? 'sandboxKey' : 'apiKey';
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
}
