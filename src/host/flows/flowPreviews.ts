// Sarufi: Preview Flow: a chat panel beside a flow file, against the embedded sandbox running that
// file. The editor marks the current state and the states reached; a state badge in the panel
// reveals its definition; a save reloads the sandbox and tells the panel the flow changed.
import * as vscode from 'vscode';
import type { PreviewProgress } from '../../flows/previewMarks.js';
// Types only: the values come through import() when the first preview opens.
import type * as FlowEditing from '../../lazy/flowEditing.js';
import type { ChatPanel } from '../chatPanel.js';
import type { ChatPanels } from '../chatPanels.js';
import { ENVIRONMENT_LABELS } from '../environments.js';
import type { SandboxHost } from '../sandboxHost.js';
import { sandboxChatbotOf } from './sandboxChatbot.js';
import { isFlowDocument, toRange } from './vscodeRanges.js';

interface Preview {
  uri: vscode.Uri;
  chatbotId: string;
  panel: ChatPanel;
  disposables: vscode.Disposable[];
  /** Held by each preview so the marks, drawn synchronously on every edit, need no await. */
  editing: typeof FlowEditing;
}

export interface PreviewDeps {
  sandbox: SandboxHost;
  panels: ChatPanels;
  log: vscode.LogOutputChannel;
}

/** The marks of one flow file in the editor; `after` text keeps them readable without colour. */
function createDecorations() {
  return {
  current: vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.infoForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
    after: { contentText: '  ◀ current state', color: new vscode.ThemeColor('editorInfo.foreground'), fontWeight: 'bold' },
  }),
  visited: vscode.window.createTextEditorDecorationType({
    after: { contentText: '  ✓ visited', color: new vscode.ThemeColor('editorCodeLens.foreground') },
  }),
  notVisited: vscode.window.createTextEditorDecorationType({
    after: { contentText: '  ○ not yet visited', color: new vscode.ThemeColor('disabledForeground') },
  }),
  };
}

export class FlowPreviews implements vscode.Disposable {
  private readonly previews = new Map<string, Preview>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly decorations = createDecorations();
  private readonly status = vscode.window.createStatusBarItem('sarufi.flowPreview', vscode.StatusBarAlignment.Left, 50);

  constructor(private readonly deps: PreviewDeps) {
    this.status.name = 'Sarufi flow preview';
    this.status.command = 'sarufi.showUnvisitedStates';
    this.disposables.push(
      this.status,
      ...Object.values(this.decorations),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateAll()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.previews.has(event.document.uri.toString())) {
          this.decorateAll();
        }
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        void this.flowSaved(document).catch((error: unknown) => deps.log.error(`Flow preview: ${String(error)}`));
      }),
    );
  }

  /** Opens (or shows) the preview of a flow file; resolves with its chat panel. */
  async preview(uri: vscode.Uri | undefined): Promise<ChatPanel | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || target.scheme !== 'file' || !target.path.endsWith('.flow.json')) {
      void vscode.window.showWarningMessage('Preview Flow works on a *.flow.json file of the workspace: open one first.');
      return undefined;
    }
    const open = this.previews.get(target.toString());
    if (open) {
      open.panel.reveal();
      return open.panel;
    }
    const found = await sandboxChatbotOf(this.deps.sandbox, target);
    if (!found) {
      return undefined;
    }
    const { chatbot } = found;
    const { baseUrl } = await this.deps.sandbox.ensure();
    const editing = await import('../../lazy/flowEditing.js');
    const panel = this.deps.panels.open(
      { chatbotId: chatbot.id, chatbotName: chatbot.name, environmentId: 'sandbox', environment: ENVIRONMENT_LABELS.sandbox, baseUrl },
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { kind: 'new', preview: true },
    );
    const preview: Preview = { uri: target, chatbotId: chatbot.id, panel, disposables: [], editing };
    preview.disposables.push(
      panel.onDidChangeTranscript(() => this.decorateAll()),
      panel.onDidClose(() => this.close(preview)),
    );
    this.previews.set(target.toString(), preview);
    void vscode.commands.executeCommand('setContext', 'sarufi.previewActive', true);
    this.decorateAll();
    return panel;
  }

  /** The flow file of a chatbot, for a `current_state` badge clicked in any sandbox chat panel. */
  async fileOf(chatbotId: string): Promise<vscode.Uri | undefined> {
    for (const preview of this.previews.values()) {
      if (preview.chatbotId === chatbotId) {
        return preview.uri;
      }
    }
    const file = await this.deps.sandbox.flowFileOf(chatbotId);
    return file ? vscode.Uri.file(file) : undefined;
  }

  /** Where the preview stands, for the status bar, the list of unvisited states and the tests. */
  progress(uri: vscode.Uri | undefined): (PreviewProgress & { uri: vscode.Uri }) | undefined {
    const preview = uri ? this.previews.get(uri.toString()) : this.previewOfActiveEditor();
    if (!preview) {
      return undefined;
    }
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === preview.uri.toString());
    if (!document) {
      return undefined;
    }
    const { current, visited, notVisited } = preview.editing.previewProgress(document.getText(), runOf(preview.panel));
    return { uri: preview.uri, current, visited, notVisited };
  }

  dispose(): void {
    for (const preview of [...this.previews.values()]) {
      this.close(preview);
    }
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  private previewOfActiveEditor(): Preview | undefined {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const found = active ? this.previews.get(active) : undefined;
    return found ?? [...this.previews.values()].at(-1);
  }

  private close(preview: Preview): void {
    for (const disposable of preview.disposables.splice(0)) {
      disposable.dispose();
    }
    if (this.previews.get(preview.uri.toString()) === preview) {
      this.previews.delete(preview.uri.toString());
    }
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === preview.uri.toString()) {
        for (const type of Object.values(this.decorations)) {
          editor.setDecorations(type, []);
        }
      }
    }
    void vscode.commands.executeCommand('setContext', 'sarufi.previewActive', this.previews.size > 0);
    this.updateStatus();
  }

  private decorateAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const preview = this.previews.get(editor.document.uri.toString());
      if (!preview) {
        continue;
      }
      const progress = preview.editing.previewProgress(editor.document.getText(), runOf(preview.panel));
      // At the end of the key's line, so the mark never sits between a key and its colon.
      const ranges = (mark: 'current' | 'visited' | 'not-visited') =>
        progress.states
          .filter((state) => state.mark === mark)
          .map((state) => editor.document.lineAt(Math.min(state.keyRange.start.line, editor.document.lineCount - 1)).range)
          .map((line) => new vscode.Range(line.end, line.end));
      editor.setDecorations(this.decorations.current, ranges('current'));
      editor.setDecorations(this.decorations.visited, ranges('visited'));
      editor.setDecorations(this.decorations.notVisited, ranges('not-visited'));
    }
    this.updateStatus();
  }

  private updateStatus(): void {
    const progress = this.progress(undefined);
    if (!progress) {
      this.status.hide();
      return;
    }
    const total = progress.visited.length + progress.notVisited.length;
    this.status.text = `$(debug-alt) ${progress.current ?? '…'} · ${progress.visited.length}/${total} states visited`;
    this.status.tooltip =
      progress.notVisited.length === 0
        ? 'The preview has reached every state of this flow.'
        : `Not yet visited: ${progress.notVisited.join(', ')}. Click to pick one.`;
    this.status.show();
  }

  /** Saving a previewed flow: the sandbox reloads it and the panel says what that means. */
  private async flowSaved(document: vscode.TextDocument): Promise<void> {
    const preview = this.previews.get(document.uri.toString());
    if (!preview || !isFlowDocument(document)) {
      return;
    }
    const chatbots = await this.deps.sandbox.chatbots();
    const chatbot = chatbots.find((candidate) => candidate.id === preview.chatbotId);
    const states = new preview.editing.FlowDocument(document.getText()).states().map((state) => state.name);
    const current = preview.editing.previewProgress(document.getText(), runOf(preview.panel)).current;
    const open = preview.panel.transcript.session.status === 'open';
    let notice: string;
    if (chatbot?.problem) {
      notice = `Flow changed: it cannot run now (${chatbot.problem}). This session carries on with the version it started with.`;
    } else if (!open || current === null) {
      notice = 'Flow changed: the next session runs the new version.';
    } else if (states.includes(current)) {
      notice = `Flow changed: this session carries on in '${current}' with the version it started with; restart to run the new one.`;
    } else {
      notice = `Flow changed: the current state '${current}' is gone. Restart to run the new version.`;
    }
    preview.panel.announce(notice);
    const choice = await vscode.window.showInformationMessage(notice, 'Restart Session');
    if (choice === 'Restart Session') {
      await preview.panel.restartSession('Flow changed: new session');
    }
  }
}

function runOf(panel: ChatPanel): { started: boolean; trail: readonly string[] } {
  const session = panel.transcript.session;
  return { started: session.sessionId !== null && session.status !== 'failed', trail: session.trail };
}

/** Puts the cursor on a state's key, in the editor that shows the file or beside the panel. */
export async function revealStateIn(uri: vscode.Uri, state: string): Promise<vscode.TextEditor | undefined> {
  const document = await vscode.workspace.openTextDocument(uri);
  const { FlowDocument } = await import('../../lazy/flowEditing.js');
  const definition = new FlowDocument(document.getText()).state(state);
  if (!definition) {
    void vscode.window.showWarningMessage(`State '${state}' is not in ${vscode.workspace.asRelativePath(uri)} (any more).`);
    return undefined;
  }
  const range = toRange(definition.keyRange);
  const visible = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === uri.toString());
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
    selection: range,
    preserveFocus: false,
  });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

/** Lists the states a preview has not reached; picking one reveals it. Resolves with the list at once. */
export function showUnvisited(progress: (PreviewProgress & { uri: vscode.Uri }) | undefined): PreviewProgress | undefined {
  if (!progress) {
    void vscode.window.showInformationMessage('No flow preview is running. Open a *.flow.json file and run "Sarufi: Preview Flow".');
    return undefined;
  }
  if (progress.notVisited.length === 0) {
    void vscode.window.showInformationMessage('The preview has visited every state of this flow.');
    return progress;
  }
  void vscode.window
    .showQuickPick(
      progress.notVisited.map((name) => ({ label: name, description: 'not yet visited' })),
      { title: `States not yet visited (${progress.visited.length} of ${progress.visited.length + progress.notVisited.length} visited)`, placeHolder: 'Pick a state to show it' },
    )
    .then((picked) => (picked ? revealStateIn(progress.uri, picked.label) : undefined));
  return progress;
}
