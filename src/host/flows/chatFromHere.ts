// Chat from here: a CodeLens on every state of a `*.flow.json` that opens a sandbox chat starting in
// that state. The panel first shows a form with the variables the flow uses (prefilled, editable);
// its Start creates the session with the sandbox's `{start: {kind: 'state'}}`.
import * as vscode from 'vscode';
import type { OpenedChat } from '../chatPanel.js';
import type { ChatPanels } from '../chatPanels.js';
import { ENVIRONMENT_LABELS } from '../environments.js';
import type { SandboxHost } from '../sandboxHost.js';
import { sandboxChatbotOf } from './sandboxChatbot.js';
import { toRange } from './vscodeRanges.js';

export const CHAT_FROM_HERE_COMMAND = 'sarufi.chatFromHere';

export interface ChatFromHereDeps {
  sandbox: SandboxHost;
  panels: ChatPanels;
}

/** Workspace files only: the sandbox runs the files on disk, not a flow opened from Sarufi. */
const FLOW_FILES: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.flow.json' };

export function registerChatFromHere(deps: ChatFromHereDeps): vscode.Disposable {
  const lenses: vscode.CodeLensProvider = {
    async provideCodeLenses(document) {
      // The flow-editing bundle: loaded by the first flow file's problems anyway, never at activation.
      const { FlowDocument } = await import('../../lazy/flowEditing.js');
      return new FlowDocument(document.getText()).states().map(
        (state) =>
          new vscode.CodeLens(toRange(state.keyRange), {
            title: 'Chat from here',
            tooltip: `A sandbox chat that starts in '${state.name}', with variables you can edit first`,
            command: CHAT_FROM_HERE_COMMAND,
            arguments: [document.uri, state.name],
          }),
      );
    },
  };
  return vscode.Disposable.from(
    vscode.languages.registerCodeLensProvider(FLOW_FILES, lenses),
    vscode.commands.registerCommand(CHAT_FROM_HERE_COMMAND, (uri: vscode.Uri | string, state: string) => chatFromHere(deps, typeof uri === 'string' ? vscode.Uri.parse(uri) : uri, state)),
  );
}

async function chatFromHere(deps: ChatFromHereDeps, uri: vscode.Uri, state: string): Promise<OpenedChat | undefined> {
  const found = await sandboxChatbotOf(deps.sandbox, uri);
  if (!found) {
    return undefined;
  }
  const { FlowDocument, startVariables } = await import('../../lazy/flowEditing.js');
  const flow = new FlowDocument(found.document.getText());
  if (!flow.state(state)) {
    void vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(uri)} has no state '${state}' (any more).`);
    return undefined;
  }
  const { baseUrl } = await deps.sandbox.ensure();
  const { chatbot } = found;
  return deps.panels.open(
    { chatbotId: chatbot.id, chatbotName: chatbot.name, environmentId: 'sandbox', environment: ENVIRONMENT_LABELS.sandbox, baseUrl },
    { viewColumn: vscode.ViewColumn.Beside },
    { kind: 'startForm', form: { state, variables: startVariables(flow.value) } },
  ).opened;
}
