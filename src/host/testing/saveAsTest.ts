// "Save as test" in the chat panel: writes the panel's last session as a *.sarufi-test.yaml,
// next to the flow file for sandbox chats (the flow is then the target), else in the workspace
// root with the chatbot and environment as the target; then opens it. It proposes a name no file
// has, and replaces an existing file only when the author says so.
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
  /** Whether to replace a test file that exists; by default a modal that says which. Tests answer. */
  confirmReplace?: (existing: vscode.Uri) => Thenable<boolean>;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'conversation';
}

/** `<stem><suffix>` in `folder`, or `<stem>-2<suffix>`, `-3`…: the first name no file has. */
async function freeName(folder: vscode.Uri, stem: string, suffix: string): Promise<vscode.Uri> {
  for (let index = 1; ; index += 1) {
    const candidate = vscode.Uri.joinPath(folder, `${stem}${index === 1 ? '' : `-${index}`}${suffix}`);
    if (!(await exists(candidate))) {
      return candidate;
    }
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/** Returns the file written, or undefined when the author cancelled. */
export async function saveChatAsTest(transcript: Transcript, options: SaveAsTestOptions): Promise<vscode.Uri | undefined> {
  const { TEST_FILE_SUFFIX, transcriptToTestYaml } = await import('../../lazy/conversationTests.js');
  const session = transcript.session;
  const flowPath = session.environmentId === 'sandbox' ? await options.flowFileOf(session.chatbotId) : undefined;
  const flowFile = flowPath ? vscode.Uri.file(flowPath) : undefined;
  const folder = flowFile ? vscode.Uri.joinPath(flowFile, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const baseName = (flowFile ? flowFile.path.split('/').pop()?.replace(/\.flow\.json$/, '') : slug(session.chatbotName)) ?? 'conversation';
  // Named after where the chat ended, and never a file that exists: the proposal must not be a
  // hand-written test that one more click would replace.
  const lastState = session.trail.at(-1);
  const stem = lastState ? `${baseName}-${slug(lastState)}` : baseName;
  const defaultUri = await freeName(folder ?? vscode.Uri.file('.'), stem, TEST_FILE_SUFFIX);
  const ask =
    options.ask ??
    ((uri: vscode.Uri) => vscode.window.showSaveDialog({ defaultUri: uri, filters: { 'Sarufi conversation test': ['yaml'] }, title: 'Save the conversation as a test' }));
  const target = await ask(defaultUri);
  if (!target) {
    return undefined;
  }
  const confirmReplace =
    options.confirmReplace ??
    (async (existing: vscode.Uri) =>
      (await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(existing)} already exists. Replace its tests with this chat?`,
        { modal: true, detail: 'The file is overwritten; its current tests are lost unless they are in version control.' },
        'Replace',
      )) === 'Replace');
  if ((await exists(target)) && !(await confirmReplace(target))) {
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
