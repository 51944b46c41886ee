// "Save as test" in the chat panel: writes the panel's last session as a *.sarufi-test.yaml,
// next to the flow file for sandbox chats (the flow is then the target), else in the workspace
// root with the chatbot and environment as the target; then opens it.
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { Transcript } from '../../chat/transcript.js';
import type { SavedTarget } from '../../conversationTests/fromTranscript.js';
import type { TestEnvironment } from '../../conversationTests/format.js';

export interface SaveAsTestOptions {
  /** The flow file a sandbox chatbot runs (the running sandbox knows it), if any. */
  flowFileOf: (chatbotId: string) => Promise<string | undefined>;
  /** Where to write; by default a save dialog. Tests pass a fixed answer. */
  ask?: (defaultUri: vscode.Uri) => Thenable<vscode.Uri | undefined>;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'conversation';
}

/** Returns the file written, or undefined when the author cancelled. */
export async function saveChatAsTest(transcript: Transcript, options: SaveAsTestOptions): Promise<vscode.Uri | undefined> {
  const { TEST_FILE_SUFFIX, transcriptToTestYaml } = await import('../../lazy/conversationTests.js');
  const session = transcript.session;
  const flowPath = session.environmentId === 'sandbox' ? await options.flowFileOf(session.chatbotId) : undefined;
  const flowFile = flowPath ? vscode.Uri.file(flowPath) : undefined;
  const folder = flowFile ? vscode.Uri.joinPath(flowFile, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const baseName = flowFile ? flowFile.path.split('/').pop()?.replace(/\.flow\.json$/, '') : slug(session.chatbotName);
  const defaultUri = folder ? vscode.Uri.joinPath(folder, `${baseName ?? 'conversation'}${TEST_FILE_SUFFIX}`) : vscode.Uri.file(`${baseName}${TEST_FILE_SUFFIX}`);
  const ask =
    options.ask ??
    ((uri: vscode.Uri) => vscode.window.showSaveDialog({ defaultUri: uri, filters: { 'Sarufi conversation test': ['yaml'] }, title: 'Save the conversation as a test' }));
  const target = await ask(defaultUri);
  if (!target) {
    return undefined;
  }
  let saved: SavedTarget;
  if (flowFile) {
    const fromTest = relative(vscode.Uri.joinPath(target, '..').fsPath, flowFile.fsPath).split(sep).join('/');
    saved = { flow: fromTest };
  } else {
    saved = { chatbot: session.chatbotId, environment: session.environmentId as TestEnvironment };
  }
  const text = transcriptToTestYaml(transcript, saved);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(target, { preview: false });
  return target;
}
