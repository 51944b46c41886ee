// The Chatbots view: every chatbot of the environment, each with its flows and its stats.
import * as vscode from 'vscode';
import type { ChatbotSummary, FlowSummary } from '../../sarufi/types.js';
import type { ViewData } from './connection.js';
import { errorItem, messageItem } from './treeItems.js';

export type ChatbotNode =
  | { kind: 'chatbot'; chatbot: ChatbotSummary }
  | { kind: 'flow'; chatbotId: string; flow: FlowSummary; /** A flow of the local sandbox: a workspace file, opened as itself. */ sandbox: boolean }
  | { kind: 'item'; item: vscode.TreeItem };

export class ChatbotsView implements vscode.TreeDataProvider<ChatbotNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly data: ViewData) {}

  /** Asks the server again (on the author's request only: reads are otherwise cached). */
  refresh(): void {
    this.data.invalidate('/chatbots');
    this.changed.fire();
  }

  getTreeItem(node: ChatbotNode): vscode.TreeItem {
    switch (node.kind) {
      case 'item':
        return node.item;
      case 'chatbot': {
        const item = new vscode.TreeItem(node.chatbot.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `chatbot:${node.chatbot.id}`;
        item.iconPath = new vscode.ThemeIcon(node.chatbot.is_active ? 'hubot' : 'circle-slash');
        item.description = node.chatbot.is_active ? undefined : 'inactive';
        item.tooltip = new vscode.MarkdownString(
          `**${node.chatbot.name}**\n\n${node.chatbot.description || '*No description*'}\n\nId: \`${node.chatbot.id}\`\n\nCreated: ${node.chatbot.created_at}`,
        );
        item.contextValue = 'chatbot';
        return item;
      }
      case 'flow': {
        const item = new vscode.TreeItem(node.flow.name, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.flow.type === 'meta' ? 'layout' : 'type-hierarchy');
        item.description = `${node.flow.type} · ${node.flow.status}`;
        item.tooltip = node.sandbox
          ? `${node.flow.name}: a flow file of this workspace, which the local sandbox runs as it is saved. Click to open the file.`
          : `${node.flow.name}: a ${node.flow.type} flow, ${node.flow.status}. Id ${node.flow.id}`;
        if (node.sandbox) {
          // Nothing to validate on Sarufi, publish or pull: the file is the flow.
          item.description = 'workspace file';
          item.contextValue = 'sandboxFlow';
          item.command = { command: 'sarufi.openFlow', title: 'Open Flow', arguments: [{ chatbotId: node.chatbotId, flow: node.flow, sandbox: true }] };
        } else {
          item.contextValue = `flow.${node.flow.status}`;
        }
        return item;
      }
    }
  }

  async getChildren(node?: ChatbotNode): Promise<ChatbotNode[]> {
    try {
      const connection = await this.data.connect();
      if (!connection) {
        return [];
      }
      const { client } = connection;
      if (!node) {
        const chatbots = await this.data.chatbots(connection);
        if (chatbots.length === 0) {
          const hint = connection.environment.id === 'sandbox' ? 'Add a *.flow.json file to the workspace' : 'Create one in the Sarufi dashboard';
          return [{ kind: 'item', item: messageItem(`No chatbots yet. ${hint}.`) }];
        }
        return chatbots.map((chatbot) => ({ kind: 'chatbot', chatbot }));
      }
      if (node.kind !== 'chatbot') {
        return [];
      }
      const id = node.chatbot.id;
      // Flows first, then stats: one after the other, as the rate limits want.
      const flows = await this.data.read(connection, `/chatbots/${id}/flows`, () => client.listFlows(id));
      const stats = await this.data.read(connection, `/chatbots/${id}/stats`, () => client.getChatbotStats(id));
      const s = stats.stats;
      const statsItem = messageItem(
        `${s.total_conversations} conversations · ${s.total_messages} messages`,
        'graph',
        `${s.total_conversations} conversations, ${s.total_messages} messages, ${s.active_users_7d} active users in the last 7 days`,
      );
      statsItem.description = `${s.active_users_7d} active (7 days)`;
      const sandbox = connection.environment.id === 'sandbox';
      return [...flows.items.map((flow): ChatbotNode => ({ kind: 'flow', chatbotId: id, flow, sandbox })), { kind: 'item', item: statsItem }];
    } catch (error) {
      return [{ kind: 'item', item: errorItem(error) }];
    }
  }
}
