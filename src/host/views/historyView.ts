// The History view: each chatbot's conversations from the Conversations API, filtered by channel
// and status, a page at a time ("Load more").
import * as vscode from 'vscode';
import { shortLocalTime } from '../../chat/localTime.js';
import type { ChatbotSummary, Conversation } from '../../sarufi/types.js';
import type { ViewData } from './connection.js';
import { errorItem, messageItem } from './treeItems.js';

export interface HistoryFilter {
  channel: string;
  status: string;
}

export type HistoryNode =
  | { kind: 'chatbot'; chatbot: ChatbotSummary }
  | { kind: 'conversation'; chatbot: ChatbotSummary; conversation: Conversation }
  | { kind: 'more'; chatbot: ChatbotSummary }
  | { kind: 'item'; item: vscode.TreeItem };

const PAGE_SIZE = 25;

export class HistoryView implements vscode.TreeDataProvider<HistoryNode> {
  private readonly changed = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  filter: HistoryFilter = { channel: 'api', status: '' };
  /** Conversations loaded so far per chatbot, and the cursor of the next page. */
  private readonly pages = new Map<string, { conversations: Conversation[]; next: string | null }>();

  constructor(private readonly data: ViewData) {}

  refresh(): void {
    this.pages.clear();
    this.changed.fire(undefined);
  }

  setFilter(filter: HistoryFilter): void {
    this.filter = filter;
    this.refresh();
  }

  /** Fetches the next page of a chatbot's conversations. */
  async loadMore(chatbot: ChatbotSummary): Promise<void> {
    const page = this.pages.get(chatbot.id);
    if (page?.next) {
      await this.fetchPage(chatbot, page.next);
      this.changed.fire({ kind: 'chatbot', chatbot });
    }
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'item':
        return node.item;
      case 'chatbot': {
        const item = new vscode.TreeItem(node.chatbot.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `history:${node.chatbot.id}:${this.filter.channel}:${this.filter.status}`;
        item.iconPath = new vscode.ThemeIcon('hubot');
        item.description = [this.filter.channel || 'all channels', this.filter.status || 'any status'].join(' · ');
        item.contextValue = 'historyChatbot';
        return item;
      }
      case 'more': {
        const item = messageItem('Load more…', 'ellipsis');
        item.command = { command: 'sarufi.history.loadMore', title: 'Load more', arguments: [node.chatbot] };
        return item;
      }
      case 'conversation': {
        const c = node.conversation;
        const item = new vscode.TreeItem(c.contact_name || c.user_phone || c.id, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(c.status === 'ACTIVE' ? 'comment' : 'comment-unresolved');
        item.description = `${c.channel} · ${c.status.toLowerCase()} · ${shortLocalTime(c.last_message_at ?? c.created_at, Date.now())}`;
        item.tooltip = new vscode.MarkdownString(
          `**${c.contact_name ?? 'Unknown contact'}** (${c.channel}, ${c.status})\n\nLast: ${c.last_message_preview ?? '—'}\n\nId: \`${c.id}\``,
        );
        item.contextValue = 'conversation';
        item.command = { command: 'sarufi.history.open', title: 'Open Conversation', arguments: [node.chatbot, c] };
        return item;
      }
    }
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    try {
      const connection = await this.data.connect();
      if (!connection) {
        return [];
      }
      if (!node) {
        const chatbots = await this.data.chatbots(connection);
        return chatbots.map((chatbot) => ({ kind: 'chatbot', chatbot }));
      }
      if (node.kind !== 'chatbot') {
        return [];
      }
      if (!this.pages.has(node.chatbot.id)) {
        await this.fetchPage(node.chatbot, undefined);
      }
      const page = this.pages.get(node.chatbot.id);
      if (!page || page.conversations.length === 0) {
        return [{ kind: 'item', item: messageItem(`No conversations on ${this.filter.channel || 'any channel'} yet.`) }];
      }
      const rows: HistoryNode[] = page.conversations.map((conversation) => ({ kind: 'conversation', chatbot: node.chatbot, conversation }));
      return page.next ? [...rows, { kind: 'more', chatbot: node.chatbot }] : rows;
    } catch (error) {
      return [{ kind: 'item', item: errorItem(error) }];
    }
  }

  private async fetchPage(chatbot: ChatbotSummary, cursor: string | undefined): Promise<void> {
    const connection = await this.data.connect();
    if (!connection) {
      return;
    }
    const list = await connection.client.listConversations(chatbot.id, {
      limit: PAGE_SIZE,
      ...(this.filter.channel ? { channel: this.filter.channel } : {}),
      ...(this.filter.status ? { status: this.filter.status } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const previous = cursor ? (this.pages.get(chatbot.id)?.conversations ?? []) : [];
    this.pages.set(chatbot.id, { conversations: [...previous, ...list.conversations], next: list.next_cursor });
  }
}
