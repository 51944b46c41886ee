// Registers everything about flow files: live problems and quick fixes, Preview Flow with its
// marks, the `sarufi:` file system for flows on a server, and the flow commands.
import * as vscode from 'vscode';
import type { ChatPanels } from '../chatPanels.js';
import type { Environments } from '../environments.js';
import type { SandboxHost } from '../sandboxHost.js';
import { registerChatFromHere } from './chatFromHere.js';
import { convertV1Flow } from './convertV1Command.js';
import { trackV1BotFolders } from './v1BotFolders.js';
import type { ConvertV1Options } from './convertV1Command.js';
import { FlowDiagnostics } from './flowDiagnostics.js';
import { FlowPreviews, revealStateIn, showUnvisited } from './flowPreviews.js';
import { RemoteFlowCommands } from './remoteFlowCommands.js';
import type { FlowNodeLike, PushOptions } from './remoteFlowCommands.js';
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
  const remote = new RemoteFlowCommands({ connection, fs, workspaceState, log, sandboxFlowFile: (chatbotId) => sandbox.flowFileOf(chatbotId) });

  return vscode.Disposable.from(
    diagnostics,
    previews,
    fs,
    remote,
    vscode.workspace.registerFileSystemProvider(FLOW_SCHEME, fs, { isCaseSensitive: true }),
    registerChatFromHere({ sandbox, panels }),
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
    vscode.commands.registerCommand('sarufi.openFlow', (node?: FlowNodeLike) => remote.open(node)),
    vscode.commands.registerCommand('sarufi.validateFlowOnSarufi', (target?: FlowNodeLike | vscode.Uri) => remote.validate(target)),
    vscode.commands.registerCommand('sarufi.publishFlow', (target?: FlowNodeLike | vscode.Uri, options?: { confirmed?: boolean }) =>
      remote.publish(target, options),
    ),
    vscode.commands.registerCommand('sarufi.pullFlow', (node?: FlowNodeLike, target?: vscode.Uri) => remote.pull(node, target)),
    vscode.commands.registerCommand('sarufi.pushFlow', (uri?: vscode.Uri, options?: PushOptions) => remote.push(uri, options)),
  );
}

/** A chatbot's flow opened from Sarufi (the chat may talk to a server, not the sandbox). */
function openRemoteFlowOf(chatbotId: string): vscode.Uri | undefined {
  return vscode.workspace.textDocuments.find((document) => parseRemoteFlowUri(document.uri)?.chatbotId === chatbotId)?.uri;
}
