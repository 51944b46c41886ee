// Registers everything about flow files: live problems and quick fixes, Preview Flow with its
// marks, the `sarufi:` file system for flows on a server, the flow commands, and the language
// features (go to a state, its uses, rename).
import * as vscode from 'vscode';
import type { ChatPanels } from '../chatPanels.js';
import type { Environments } from '../environments.js';
import type { SandboxHost } from '../sandboxHost.js';
import { registerChatFromHere } from './chatFromHere.js';
import { convertV1Flow } from './convertV1Command.js';
import { trackV1BotFolders } from './v1BotFolders.js';
import type { ConvertV1Options } from './convertV1Command.js';
import { FlowDiagnostics } from './flowDiagnostics.js';
import { registerFlowLanguage } from './flowLanguage.js';
import { FlowPreviews, revealStateIn, showUnvisited } from './flowPreviews.js';
import type { FlowNodeLike, PushOptions, RemoteFlowCommands } from './remoteFlowCommands.js';
import { FLOW_SCHEME, parseRemoteFlowUri, RemoteConnection, RemoteFlowFileSystem } from './remoteFlowFs.js';

export interface FlowDeps {
  sandbox: SandboxHost;
  panels: ChatPanels;
  environments: Environments;
  workspaceState: vscode.Memento;
  log: vscode.LogOutputChannel;
}

export function registerFlows({ sandbox, panels, environments, workspaceState, log }: FlowDeps): vscode.Disposable {
  const diagnostics = new FlowDiagnostics(log);
  const previews = new FlowPreviews({ sandbox, panels, log });
  const connection = new RemoteConnection(environments, log);
  const fs = new RemoteFlowFileSystem(connection);
  // The commands on server flows are a bundle of their own, loaded on first use (or when a
  // `sarufi:` flow is shown, for its status bar): most sessions never touch a server's flows.
  let loaded: Promise<RemoteFlowCommands> | undefined;
  const remote = (): Promise<RemoteFlowCommands> =>
    (loaded ??= import('../lazy/remoteFlows.js').then(
      ({ RemoteFlowCommands }) => new RemoteFlowCommands({ connection, fs, workspaceState, log, sandboxFlowFile: (chatbotId) => sandbox.flowFileOf(chatbotId) }),
    ));
  const showsServerFlow = (editor: vscode.TextEditor | undefined): boolean => editor?.document.uri.scheme === FLOW_SCHEME;
  if (showsServerFlow(vscode.window.activeTextEditor)) {
    void remote();
  }

  return vscode.Disposable.from(
    diagnostics,
    previews,
    fs,
    { dispose: () => void loaded?.then((commands) => commands.dispose()) },
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (showsServerFlow(editor)) {
        void remote();
      }
    }),
    vscode.workspace.registerFileSystemProvider(FLOW_SCHEME, fs, { isCaseSensitive: true }),
    registerChatFromHere({ sandbox, panels }),
    // Definition, references, rename, outline, workspace symbols, completion, hover.
    registerFlowLanguage(),
    vscode.commands.registerCommand('sarufi.previewFlow', async (uri?: vscode.Uri) => (await previews.preview(uri))?.opened),
    vscode.commands.registerCommand('sarufi.showUnvisitedStates', (uri?: vscode.Uri) => showUnvisited(previews.progress(uri))),
    // Posted by a chat panel when its current_state badge or a trail state is clicked.
    vscode.commands.registerCommand('sarufi.revealState', async (chatbotId: string, state: string) => {
      const file = (await previews.fileOf(chatbotId)) ?? openRemoteFlowOf(chatbotId);
      if (!file) {
        void vscode.window.showInformationMessage(`No flow file of this chatbot is open or in the sandbox's folders, so state '${state}' cannot be shown.`);
        return undefined;
      }
      return revealStateIn(file, state);
    }),
    vscode.commands.registerCommand('sarufi.convertV1Flow', async (uri?: vscode.Uri, options?: ConvertV1Options) =>
      (await convertV1Flow(log, uri, options))?.toString(),
    ),
    trackV1BotFolders(),
    vscode.commands.registerCommand('sarufi.openFlow', async (node?: FlowNodeLike) => (await remote()).open(node)),
    vscode.commands.registerCommand('sarufi.validateFlowOnSarufi', async (target?: FlowNodeLike | vscode.Uri) => (await remote()).validate(target)),
    vscode.commands.registerCommand('sarufi.publishFlow', (target?: FlowNodeLike | vscode.Uri, options?: { confirmed?: boolean }) =>
      remote().then((commands) => commands.publish(target, options)),
    ),
    vscode.commands.registerCommand('sarufi.pullFlow', async (node?: FlowNodeLike, target?: vscode.Uri) => (await remote()).pull(node, target)),
    vscode.commands.registerCommand('sarufi.pushFlow', async (uri?: vscode.Uri, options?: PushOptions) => (await remote()).push(uri, options)),
  );
}

/** A chatbot's flow opened from Sarufi (the chat may talk to a server, not the sandbox). */
function openRemoteFlowOf(chatbotId: string): vscode.Uri | undefined {
  return vscode.workspace.textDocuments.find((document) => parseRemoteFlowUri(document.uri)?.chatbotId === chatbotId)?.uri;
}
