// Wires the extension's pieces together; the logic lives in src/host, src/chat, src/sarufi and src/sandbox.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { transcriptFolder } from './chat/transcriptFolder.js';
import { TranscriptStore } from './chat/transcriptStore.js';
import { extensionExports } from './extensionExports.js';
import { ApiKeyStore } from './host/apiKeyStore.js';
import type { ChatPanelContext } from './host/chatPanel.js';
import { ChatPanels } from './host/chatPanels.js';
import { chatApiOf, createClient } from './host/clients.js';
import { clearApiKey, setApiKey } from './host/commands/apiKeyCommands.js';
import { registerCompareTranscripts } from './host/commands/compareTranscripts.js';
import { selectEnvironment } from './host/commands/selectEnvironment.js';
import type { ExportBugReportArgs } from './host/commands/exportBugReport.js';
import { startChat } from './host/commands/startChat.js';
import type { StartChatArgs } from './host/commands/startChat.js';
import { Environments } from './host/environments.js';
import { registerFlowDebugger } from './host/debug/flowDebugger.js';
import { registerFlows } from './host/flows/registerFlows.js';
import { registerFlowGraphs } from './host/graph/flowGraphPanels.js';
import type { FlowGraphPanels } from './host/graph/flowGraphPanels.js';
import { GraphSources } from './host/graph/graphSources.js';
import type { EnvironmentId } from './host/environments.js';
import { SandboxHost } from './host/sandboxHost.js';
import { onSettingsChanged } from './host/settings.js';
import { createEnvironmentStatus } from './host/statusBar.js';
import { registerConversationTests } from './host/testing/conversationTestController.js';
import type { ConversationTestsApi } from './host/testing/conversationTestController.js';
import { registerViews } from './host/views/registerViews.js';
import type { SarufiViews } from './host/views/registerViews.js';

/** What the extension hands to its own integration tests, and to no one else (extensionExports.ts). */
export interface SarufiExtensionApi {
  /** The open chat panels, and the serializer that brings them back after a reload. */
  panels: ChatPanels;
  /** The side panel's tree providers. */
  views: SarufiViews;
  /** Where chat transcripts are kept across reloads. */
  store: TranscriptStore;
  /** The API keys in SecretStorage, as every window of this VS Code shares them. */
  keys: ApiKeyStore;
  /** The Test Explorer's controller, its profiles and the last results. */
  conversationTests: ConversationTestsApi;
  /** The local sandbox's process, started beside the extension host on first use. */
  sandbox: SandboxHost;
  /** The open flow graphs (Sarufi: Show Flow Graph). */
  graphs: FlowGraphPanels;
  /** The workspace state: what a reload finds (the open panels, the sandbox's address). */
  workspaceState: vscode.Memento;
}

/** How long VS Code's serializer has to bring back the chat panels it saved before ours reopens the rest. */
const RESTORE_MISSING_AFTER_MS = 4_000;

export function activate(context: vscode.ExtensionContext): SarufiExtensionApi | undefined {
  const log = vscode.window.createOutputChannel('Sarufi', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const sandbox = new SandboxHost(log, context.workspaceState);
  const environments = new Environments(keys, sandbox);
  // Files beside the workspace's state; a window with no folder has no storageUri.
  const storage = context.storageUri ?? context.globalStorageUri;
  const store = new TranscriptStore({ memento: context.workspaceState, files: transcriptFolder(join(storage.fsPath, 'transcripts')), log: (message) => log.warn(message) });
  pendingWrites = store;
  void store.moveOldTranscripts();

  const panelContext: ChatPanelContext = {
    extensionUri: context.extensionUri,
    store,
    log,
    async connect(transcript, hooks) {
      const environment = await environments.resolve(transcript.session.environmentId as EnvironmentId);
      const client = createClient(environment.baseUrl, environment.apiKey ?? '', log, hooks);
      return { api: chatApiOf(client), baseUrl: environment.baseUrl };
    },
    sandboxFlowFile: (chatbotId) => sandbox.flowFileOf(chatbotId),
    sandboxAddress: () => sandbox.ensure(),
    async secrets() {
      const found: string[] = [];
      for (const id of ['sarufi', 'custom'] as const) {
        const baseUrl = environments.keyedBaseUrl(id);
        const key = baseUrl ? await keys.get(baseUrl) : undefined;
        if (key) {
          found.push(key);
        }
      }
      return found;
    },
  };
  const panels = new ChatPanels(panelContext, context.workspaceState);
  // VS Code's serializer brings back the panels it saved, during activation; after that, the ones it missed.
  const restoreTimer = setTimeout(() => void panels.restoreMissing().catch((error: unknown) => log.error(`Could not reopen the chat panels: ${String(error)}`)), RESTORE_MISSING_AFTER_MS);
  const { views, disposable: viewsDisposable } = registerViews({ environments, panels, store, log });
  const apiKeyDeps = { keys, environments, log };
  const conversationTests = registerConversationTests({ environments, log });
  const flowGraphs = registerFlowGraphs({ extensionUri: context.extensionUri, log, sources: new GraphSources(panels, sandbox, conversationTests.api) });

  context.subscriptions.push(
    { dispose: () => clearTimeout(restoreTimer) },
    log,
    store,
    keys,
    sandbox,
    environments,
    panels,
    createEnvironmentStatus(environments),
    viewsDisposable,
    conversationTests,
    registerFlows({ sandbox, panels, environments, workspaceState: context.workspaceState, log }),
    registerFlowDebugger({ extensionUri: context.extensionUri, panels, log }),
    flowGraphs,
    registerCompareTranscripts({ panels, store, secrets: () => panelContext.secrets() }),
    keys.onDidChange(() => {
      environments.fireChanged();
      void panels.reconnect();
    }),
    sandbox.onDidRestartAfterCrash((reason) => void panels.sandboxRestarted(reason)),
    onSettingsChanged(() => {
      environments.fireChanged();
      void sandbox.restart();
    }),
    vscode.commands.registerCommand('sarufi.startChat', (args?: StartChatArgs) =>
      startChat({ environments, panels, log, globalState: context.globalState }, args),
    ),
    vscode.commands.registerCommand('sarufi.exportBugReport', async (args?: ExportBugReportArgs) =>
      (await import('./host/lazy/fileWriters.js')).exportBugReport(
        {
          panels,
          secrets: () => panelContext.secrets(),
          flowFileOf: (chatbotId) => sandbox.flowFileOf(chatbotId),
          sessionMocks: (chatbotId, sessionId) => sandbox.sessionMocks(chatbotId, sessionId),
        },
        args,
      ),
    ),
    vscode.commands.registerCommand('sarufi.setApiKey', (key?: unknown) => setApiKey(apiKeyDeps, key)),
    vscode.commands.registerCommand('sarufi.clearApiKey', () => clearApiKey(apiKeyDeps)),
    vscode.commands.registerCommand('sarufi.selectEnvironment', (value?: unknown) => selectEnvironment(value)),
  );
  return extensionExports(context.extensionMode, { panels, views, store, keys, conversationTests: conversationTests.api, sandbox, graphs: flowGraphs.graphs, workspaceState: context.workspaceState });
}

/** The transcripts' writes still waiting; deactivate() waits for them (disposal cannot). */
let pendingWrites: TranscriptStore | undefined;

export function deactivate(): Promise<void> | undefined {
  // Everything else is disposed through context.subscriptions.
  return pendingWrites?.dispose();
}
