// The sandbox chatbot that runs a workspace flow file, for Preview Flow and Chat from here: the
// file saved first (the sandbox reads the disk, so what the author sees is what runs).
import * as vscode from 'vscode';
import type { SandboxChatbotInfo } from '../../sandbox/server.js';
import type { SandboxHost } from '../sandboxHost.js';

/** Undefined, after telling the author why, when the sandbox does not run the file. */
export async function sandboxChatbotOf(sandbox: SandboxHost, target: vscode.Uri): Promise<{ chatbot: SandboxChatbotInfo; document: vscode.TextDocument } | undefined> {
  const document = await vscode.workspace.openTextDocument(target);
  if (document.isDirty) {
    await document.save();
  }
  const chatbots = await sandbox.chatbots();
  const chatbot = chatbots.find((candidate) => candidate.file !== null && vscode.Uri.file(candidate.file).toString() === target.toString());
  if (!chatbot) {
    void vscode.window.showErrorMessage(
      `The local sandbox does not run ${vscode.workspace.asRelativePath(target)}: it reads the folders of "sarufi.sandbox.flowFolders" (or the workspace folders when that is empty).`,
    );
    return undefined;
  }
  if (chatbot.problem) {
    void vscode.window.showWarningMessage(`This flow cannot run yet: ${chatbot.problem} The Problems panel shows where.`);
  }
  return { chatbot, document };
}
