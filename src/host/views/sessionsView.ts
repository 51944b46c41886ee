// The Sessions view: the chats opened from this VS Code, open ones first, then recent ones.
import * as vscode from 'vscode';
import type { ChatPanels } from '../chatPanels.js';
import { sessionLife, sessionRowDescription } from '../../chat/sessionRows.js';
import type { TranscriptStore, TranscriptSummary } from '../../chat/transcriptStore.js';

export class SessionsView implements vscode.TreeDataProvider<TranscriptSummary> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly store: TranscriptStore,
    private readonly panels: ChatPanels,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  getChildren(node?: TranscriptSummary): TranscriptSummary[] {
    if (node) {
      return [];
    }
    const sessions = this.store.list().filter((summary) => !summary.readOnly);
    const isOpen = (summary: TranscriptSummary) => this.panels.get(summary.panelId) !== undefined;
    return [...sessions.filter(isOpen), ...sessions.filter((summary) => !isOpen(summary))];
  }

  getTreeItem(summary: TranscriptSummary): vscode.TreeItem {
    const open = this.panels.get(summary.panelId) !== undefined;
    const now = Date.now();
    const item = new vscode.TreeItem(summary.chatbotName, vscode.TreeItemCollapsibleState.None);
    item.id = `session:${summary.panelId}`;
    item.description = sessionRowDescription(summary, open, now);
    item.iconPath = new vscode.ThemeIcon(open ? 'comment-discussion' : 'history');
    item.tooltip = new vscode.MarkdownString(
      [
        `**${summary.chatbotName}** on ${summary.environment}`,
        `Session: \`${summary.sessionId ?? 'none'}\``,
        `Started: ${summary.createdAt ?? '—'}`,
        `Last activity: ${summary.updatedAt}`,
        `State: \`${summary.currentState ?? '—'}\``,
        `Status: ${sessionLife(summary, open, now)}`,
      ].join('\n\n'),
    );
    item.contextValue = open ? 'session.open' : 'session.closed';
    item.command = { command: 'sarufi.openSession', title: 'Open Session', arguments: [summary.panelId] };
    return item;
  }
}
