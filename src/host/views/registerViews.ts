// Registers the Sarufi side panel: Workspace, Chatbots, Sessions and History, and their commands.
import * as vscode from 'vscode';
import { conversationToTranscript } from '../../chat/conversationTranscript.js';
import { collectAll } from '../../sarufi/client.js';
import type { ChatbotSummary, Conversation } from '../../sarufi/types.js';
import type { ChatPanels } from '../chatPanels.js';
import type { Environments } from '../environments.js';
import type { TranscriptStore, TranscriptSummary } from '../../chat/transcriptStore.js';
import { ChatbotsView } from './chatbotsView.js';
import type { ChatbotNode } from './chatbotsView.js';
import { ViewData } from './connection.js';
import { HistoryView } from './historyView.js';
import { SessionsView } from './sessionsView.js';
import { WorkspaceView } from './workspaceView.js';

export interface ViewDeps {
  environments: Environments;
  panels: ChatPanels;
  store: TranscriptStore;
  log: vscode.LogOutputChannel;
}

/** The side panel's tree providers, handed to the integration tests through the extension's API. */
export interface SarufiViews {
  workspace: WorkspaceView;
  chatbots: ChatbotsView;
  sessions: SessionsView;
  history: HistoryView;
}

export function registerViews({ environments, panels, store, log }: ViewDeps): { views: SarufiViews; disposable: vscode.Disposable } {
  const data = new ViewData(environments, log);
  const workspace = new WorkspaceView(environments, data);
  const chatbots = new ChatbotsView(data);
  const sessions = new SessionsView(store, panels);
  const history = new HistoryView(data);
  const refreshAll = () => {
    data.invalidate();
    workspace.refresh();
    chatbots.refresh();
    history.refresh();
  };

  const disposable = vscode.Disposable.from(
    vscode.window.createTreeView('sarufi.workspace', { treeDataProvider: workspace }),
    vscode.window.createTreeView('sarufi.chatbots', { treeDataProvider: chatbots, showCollapseAll: true }),
    vscode.window.createTreeView('sarufi.sessions', { treeDataProvider: sessions }),
    vscode.window.createTreeView('sarufi.history', { treeDataProvider: history, showCollapseAll: true }),
    environments.onDidChange(refreshAll),
    panels.onDidChange(() => sessions.refresh()),
    store.onDidSave(() => sessions.refresh()),
    vscode.commands.registerCommand('sarufi.refreshWorkspace', refreshAll),
    vscode.commands.registerCommand('sarufi.refreshChatbots', () => chatbots.refresh()),
    vscode.commands.registerCommand('sarufi.refreshHistory', () => history.refresh()),
    vscode.commands.registerCommand('sarufi.startChatWith', (node: ChatbotNode | ChatbotSummary) =>
      vscode.commands.executeCommand('sarufi.startChat', { chatbotId: 'kind' in node && node.kind === 'chatbot' ? node.chatbot.id : (node as ChatbotSummary).id }),
    ),
    vscode.commands.registerCommand('sarufi.copyValue', async (value: string, what: string) => {
      await vscode.env.clipboard.writeText(value);
      void vscode.window.setStatusBarMessage(`$(check) Copied the ${what.toLowerCase()}`, 3000);
    }),
    vscode.commands.registerCommand('sarufi.copyChatbotId', async (node: ChatbotNode) => {
      if (node.kind === 'chatbot') {
        await vscode.env.clipboard.writeText(node.chatbot.id);
        void vscode.window.setStatusBarMessage(`Copied chatbot id ${node.chatbot.id}`, 2000);
      }
    }),
    vscode.commands.registerCommand('sarufi.openSession', async (panelId: string) => {
      const open = panels.get(panelId);
      if (open) {
        open.reveal();
        return open.opened;
      }
      const transcript = await store.load(panelId);
      if (!transcript) {
        // A row that cannot be opened would fail the same way every time: it goes, and says why.
        await store.remove(panelId);
        sessions.refresh();
        void vscode.window.showWarningMessage("That chat's transcript could not be read (the Sarufi log says why), so it is taken off the Sessions list.");
        return undefined;
      }
      return panels.openReadOnly(transcript).opened;
    }),
    vscode.commands.registerCommand('sarufi.removeSession', async (summary: TranscriptSummary) => {
      panels.get(summary.panelId)?.panel.dispose();
      await store.remove(summary.panelId);
      sessions.refresh();
    }),
    vscode.commands.registerCommand('sarufi.history.loadMore', (chatbot: ChatbotSummary) => history.loadMore(chatbot)),
    vscode.commands.registerCommand('sarufi.history.filter', async () => {
      const channel = await vscode.window.showQuickPick(['api', 'whatsapp', 'web', 'sms', 'all channels'], { title: 'History: channel', placeHolder: history.filter.channel || 'all channels' });
      if (!channel) {
        return;
      }
      const status = await vscode.window.showQuickPick(['any status', 'ACTIVE', 'CLOSED', 'ARCHIVED', 'HANDOFF_PENDING', 'AGENT_ACTIVE'], { title: 'History: status' });
      if (!status) {
        return;
      }
      history.setFilter({ channel: channel === 'all channels' ? '' : channel, status: status === 'any status' ? '' : status });
    }),
    vscode.commands.registerCommand('sarufi.history.open', async (chatbot: ChatbotSummary, conversation: Conversation) => {
      try {
        const connection = await data.connect();
        if (!connection) {
          return undefined;
        }
        const messages = await collectAll(connection.client.allConversationMessages(chatbot.id, conversation.id));
        const { environment } = connection;
        const transcript = conversationToTranscript(
          { chatbotName: chatbot.name, environmentId: environment.id, environment: environment.label, baseUrl: environment.baseUrl },
          conversation,
          messages,
        );
        return panels.openReadOnly(transcript).opened;
      } catch (error) {
        void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
        return undefined;
      }
    }),
  );
  return { views: { workspace, chatbots, sessions, history }, disposable };
}
