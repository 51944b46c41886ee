// "Save as test" in the chat panel: writes the panel's last session as a *.sarufi-test.yaml,
// next to the flow file for sandbox chats (the flow is then the target), else in the workspace
// root with the chatbot and environment as the target; then opens it.
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { Transcript } from '../../chat/transcript.js';
import { transcriptToTestYaml } from '../../conversationTests/fromTranscript.js';
import type { SavedTarget } from '../../conversationTests/fromTranscript.js';
import { TEST_FILE_SUFFIX } from '../../conversationTests/format.js';
import type { TestEnvironment } from '../../conversationTests/format.js';
import { stableId } from '../../sandbox/ids.js';
import { readSettings } from '../settings.js';

export interface SaveAsTestOptions {
  /** Where to write; by default a save dialog. Tests pass a fixed answer. */
  ask?: (defaultUri: vscode.Uri) => Thenable<vscode.Uri | undefined>;
}

/** The flow folders the embedded sandbox uses (as SandboxHost computes them). */
function sandboxFlowFolders(): vscode.Uri[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri);
  const configured = readSettings().sandboxFlowFolders;
  const base = folders[0];
  if (configured.length === 0 || !base) {
    return folders;
  }
  return configured.map((path) => (path.startsWith('/') ? vscode.Uri.file(path) : vscode.Uri.joinPath(base, path)));
}

/** The flow file of a sandbox chatbot: its id is derived from the file's path in its flow folder. */
export async function flowFileOfSandboxChatbot(chatbotId: string): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.flow.json', '**/node_modules/**');
  for (const folder of sandboxFlowFolders()) {
    for (const file of files) {
      const path = relative(folder.fsPath, file.fsPath);
      if (!path.startsWith('..') && stableId('chatbot', path.split(sep).join('/')) === chatbotId) {
        return file;
      }
    }
  }
  return undefined;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'conversation';
}

/** Returns the file written, or undefined when the author cancelled. */
export async function saveChatAsTest(transcript: Transcript, options: SaveAsTestOptions = {}): Promise<vscode.Uri | undefined> {
  const session = transcript.session;
  const flowFile = session.environmentId === 'sandbox' ? await flowFileOfSandboxChatbot(session.chatbotId) : undefined;
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
