// One flow graph panel: the graph of one flow document, drawn by webview/graph/. Loaded on first
// use with everything it reads the flow with (src/host/lazy/flowGraph.ts). The host reads the
// flow, adds the editor's diagnostics, the chats on this flow, the last
// coverage run and the failing tests, and turns each edit the author makes on the canvas into one
// WorkspaceEdit on the document (one undo step).
import * as vscode from 'vscode';
import type { FlowModel } from '../../flow/flowTypes.js';
import type { StateDefinition } from '../../flows/flowDocument.js';
import type { TextEdit } from '../../flows/quickFixes.js';
import type { NewTrigger } from '../../flows/graphEdits.js';
import type { GraphFailingTest, GraphHostToWebview, GraphLiveChat, GraphProblem, GraphWebviewToHost, FlowGraph } from '../../protocol.js';
import { readFlowGraph, stateAtLine, toMermaid, withProblems } from '../../flows/flowGraph.js';
import { addStateEdit, addTransitionEdit, deleteStateEdit, deleteTransitionEdit, incomingTransitions } from '../../flows/graphEdits.js';
import { failingTests, graphCoverage, liveChat } from '../../flows/graphPaths.js';
import { revealStateIn } from '../flows/flowPreviews.js';
import { toRange } from '../flows/vscodeRanges.js';
import { WebviewPageHost } from '../webviewPageHost.js';
import type { GraphSources } from './graphSources.js';

/** An edit, an undo or a write on disk is drawn this long after the last keystroke. */
const REDRAW_DELAY_MS = 120;

export interface GraphPanelContext {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  sources: GraphSources;
  /** The panel's Lock button. */
  toggleLock(panel: FlowGraphPanel): void;
}

export class FlowGraphPanel implements vscode.Disposable {
  private readonly page: WebviewPageHost<GraphHostToWebview>;
  private readonly disposables: vscode.Disposable[] = [];
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last reading that parsed: the graph stays while the text does not. */
  private good: { graph: FlowGraph; model: FlowModel; states: StateDefinition[] } | null = null;
  private problem: GraphProblem | null = null;
  private selected: string | null = null;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;

  constructor(
    private readonly context: GraphPanelContext,
    readonly panel: vscode.WebviewPanel,
    private uri: vscode.Uri,
    private lockedToDocument: boolean,
  ) {
    this.page = new WebviewPageHost<GraphHostToWebview>({
      panel,
      extensionUri: context.extensionUri,
      bundle: 'graph',
      title: 'Flow Graph',
      label: 'Flow graph',
      log: context.log,
      didNotLoad: 'The flow graph did not load. Reloading the window usually brings it back.',
      batch: (messages) => ({ type: 'batch', messages }),
      workers: true,
    });
    this.disposables.push(
      this.page,
      panel.webview.onDidReceiveMessage((message: GraphWebviewToHost) => {
        this.receive(message).catch((error: unknown) => {
          context.log.error(`Flow graph: ${String(error)}`);
          void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
        });
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.updateTitle();
    this.read();
  }

  get document(): vscode.Uri {
    return this.uri;
  }

  get locked(): boolean {
    return this.lockedToDocument;
  }

  /** The graph as last drawn (tests, and the e2e's checks). */
  get graph(): FlowGraph | null {
    return this.good?.graph ?? null;
  }

  get parseProblem(): GraphProblem | null {
    return this.problem;
  }

  /** The state selected from the editor's cursor or on the canvas. */
  get selectedState(): string | null {
    return this.selected;
  }

  whenReady(): Promise<void> {
    return this.page.whenReady();
  }

  setLocked(locked: boolean): void {
    this.lockedToDocument = locked;
    this.updateTitle();
    void this.page.post({ type: 'locked', locked });
  }

  /** Follows another flow document (an unlocked graph follows the active editor). */
  showDocument(uri: vscode.Uri): void {
    if (uri.toString() === this.uri.toString()) {
      return;
    }
    this.uri = uri;
    this.good = null;
    this.selected = null;
    this.updateTitle();
    this.read();
  }

  /** The document changed (typed, undone, written on disk): drawn after a short pause in typing. */
  documentChanged(): void {
    clearTimeout(this.redrawTimer);
    this.redrawTimer = setTimeout(() => this.read(), REDRAW_DELAY_MS);
  }

  /** Reads the document now and posts what changed. */
  read(): void {
    clearTimeout(this.redrawTimer);
    const document = this.openDocument();
    if (!document) {
      void vscode.workspace.openTextDocument(this.uri).then(
        () => this.read(),
        (error: unknown) => this.context.log.warn(`Flow graph: cannot open ${this.uri.toString()}: ${String(error)}`),
      );
      return;
    }
    const reading = readFlowGraph(document.getText(), fileName(this.uri));
    if (!reading.ok) {
      this.problem = reading.problem;
      void this.page.post({ type: 'problem', problem: reading.problem });
      return;
    }
    const graph = withProblems(reading.graph, reading.states, problemsOf(this.uri));
    this.good = { graph, model: reading.model, states: reading.states };
    const hadProblem = this.problem !== null;
    this.problem = null;
    void this.page.post({ type: 'graph', uri: this.uri.toString(), fileName: fileName(this.uri), graph });
    if (hadProblem) {
      void this.page.post({ type: 'problem', problem: null });
    }
    void this.postMarks();
  }

  /** The editor's cursor is on `line` of this document: select the state there. */
  cursorAt(line: number): void {
    if (!this.good) {
      return;
    }
    const state = stateAtLine(this.good.states, line);
    if (state !== null && state !== this.selected) {
      this.selected = state;
      void this.page.post({ type: 'select', state });
    }
  }

  /** Chats, coverage and failing tests, after any of them changed. */
  async postMarks(): Promise<void> {
    const good = this.good;
    if (!good) {
      return;
    }
    const [live, coverage, failing] = [await this.liveChats(good.model), this.coverage(), await this.failing(good.model)];
    await Promise.all([this.page.post({ type: 'live', chats: live }), this.page.post({ type: 'coverage', coverage }), this.page.post({ type: 'failing', tests: failing })]);
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    clearTimeout(this.redrawTimer);
    this.page.dispose();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    this.closed.fire();
    this.closed.dispose();
  }

  private async liveChats(model: FlowModel): Promise<GraphLiveChat[]> {
    const chats = await this.context.sources.chatsOn(this.uri);
    // Paths are walked with the flow's regex triggers answered in the regex worker (graphPaths.ts).
    return Promise.all(chats.map((chat) => liveChat(model, chat.panelId, chat.title, chat.transcript)));
  }

  private coverage(): ReturnType<typeof graphCoverage> | null {
    const found = this.context.sources.coverages().find((coverage) => coverage.flowPath === this.uri.fsPath);
    return found && this.uri.scheme === 'file' ? graphCoverage(found) : null;
  }

  private async failing(model: FlowModel): Promise<GraphFailingTest[]> {
    return this.uri.scheme === 'file' ? failingTests(model, this.uri.fsPath, this.context.sources.results()) : [];
  }

  private openDocument(): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((document) => document.uri.toString() === this.uri.toString());
  }

  private updateTitle(): void {
    this.panel.title = `${this.lockedToDocument ? '[Locked] ' : ''}Flow Graph: ${fileName(this.uri)}`;
  }

  /** What the page posts (a click on a node, an edit, an export); tests post it here directly. */
  async receive(message: GraphWebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const good = this.good;
        await this.page.ready({
          type: 'init',
          uri: this.uri.toString(),
          fileName: fileName(this.uri),
          locked: this.lockedToDocument,
          graph: good?.graph ?? null,
          problem: this.problem,
          selected: this.selected,
          live: good ? await this.liveChats(good.model) : [],
          coverage: good ? this.coverage() : null,
          failing: good ? await this.failing(good.model) : [],
        });
        return;
      }
      case 'reveal':
        this.selected = message.state;
        await revealStateIn(this.uri, message.state);
        return;
      case 'addState': {
        const document = await this.documentForEdit();
        const { name, edits } = addStateEdit(document.getText(), formattingOf(document));
        if (await this.apply(document, edits)) {
          await revealStateIn(this.uri, name);
        }
        return;
      }
      case 'addTransition': {
        const trigger = await pickTrigger(this.good?.model ?? null, message.from, message.to);
        if (trigger) {
          await this.addTransition(message.from, message.to, trigger);
        }
        return;
      }
      case 'deleteTransition': {
        const document = await this.documentForEdit();
        await this.apply(document, deleteTransitionEdit(document.getText(), message.edge, formattingOf(document)));
        return;
      }
      case 'deleteState':
        await this.deleteState(message.state);
        return;
      case 'rename':
        await this.rename(message.state);
        return;
      case 'chatFromHere':
        await vscode.commands.executeCommand('sarufi.chatFromHere', this.uri, message.state);
        return;
      case 'previewFlow':
        await vscode.commands.executeCommand('sarufi.previewFlow', this.uri);
        return;
      case 'copyMermaid': {
        if (!this.good) {
          return;
        }
        await vscode.env.clipboard.writeText(toMermaid(this.good.graph));
        void vscode.window.setStatusBarMessage('Copied the flow as a Mermaid stateDiagram-v2', 3000);
        return;
      }
      case 'saveSvg':
        await this.saveSvg(message.svg);
        return;
      case 'toggleLock':
        this.context.toggleLock(this);
        return;
      case 'log':
        this.context.log[message.level](`[flow graph] ${message.text}`);
        return;
    }
  }

  /** Draw transition, with its trigger chosen (the page's drawing, or a test by argument). */
  async addTransition(from: string, to: string, trigger: NewTrigger): Promise<boolean> {
    const document = await this.documentForEdit();
    return this.apply(document, addTransitionEdit(document.getText(), from, to, trigger, formattingOf(document)));
  }

  /** Delete state: the transitions that still lead to it are listed, and the author chooses. */
  async deleteState(state: string, answer?: 'withTransitions' | 'stateOnly'): Promise<boolean> {
    const document = await this.documentForEdit();
    const incoming = incomingTransitions(document.getText(), state);
    let withIncoming = false;
    if (incoming.length > 0) {
      const all = `Delete State and ${incoming.length === 1 ? 'Its Transition' : `${incoming.length} Transitions`}`;
      const only = 'Delete State Only';
      const choice =
        answer === undefined
          ? await vscode.window.showWarningMessage(
              `'${state}' is still the target of ${incoming.length === 1 ? 'a transition' : `${incoming.length} transitions`}.`,
              { modal: true, detail: incoming.map((edge) => `${edge.from}: ${edge.path}`).join('\n') },
              all,
              only,
            )
          : answer === 'withTransitions'
            ? all
            : only;
      if (choice === undefined) {
        return false;
      }
      withIncoming = choice === all;
    }
    return this.apply(document, deleteStateEdit(document.getText(), state, withIncoming, formattingOf(document)));
  }

  /** Rename through the flow language's rename provider: the key and every use of the state change together. */
  async rename(state: string, newName?: string): Promise<boolean> {
    const document = await this.documentForEdit();
    const definition = this.good?.states.find((candidate) => candidate.name === state);
    if (!definition) {
      throw new Error(`State '${state}' is not in the file (any more).`);
    }
    const name =
      newName ??
      (await vscode.window.showInputBox({
        title: `Rename state '${state}'`,
        value: state,
        prompt: 'Every transition, initial_state and test that names it is renamed too.',
        validateInput: (value) => (value.trim() === '' ? 'A state needs a name.' : this.good?.states.some((other) => other.name === value) && value !== state ? `'${value}' is already a state.` : undefined),
      }));
    if (name === undefined || name === state) {
      return false;
    }
    // Inside the key's quotes, where the rename provider finds the state.
    const position = toRange(definition.keyRange).start.translate(0, 1);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>('vscode.executeDocumentRenameProvider', document.uri, position, name);
    if (!edit || edit.size === 0) {
      throw new Error(`Could not rename '${state}': the flow language's rename found nothing to change.`);
    }
    return vscode.workspace.applyEdit(edit);
  }

  private async saveSvg(svg: string): Promise<void> {
    const base = this.uri.scheme === 'file' ? vscode.Uri.file(this.uri.fsPath.replace(/\.flow\.json$/, '.flow.svg')) : undefined;
    const target = await vscode.window.showSaveDialog({ ...(base ? { defaultUri: base } : {}), filters: { SVG: ['svg'] }, title: 'Save flow graph as SVG' });
    if (!target) {
      return;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg));
    void vscode.window.showInformationMessage(`Flow graph saved to ${vscode.workspace.asRelativePath(target)}.`);
  }

  private async documentForEdit(): Promise<vscode.TextDocument> {
    return this.openDocument() ?? vscode.workspace.openTextDocument(this.uri);
  }

  /** One WorkspaceEdit, so the editor undoes it in one step. */
  private async apply(document: vscode.TextDocument, edits: readonly TextEdit[]): Promise<boolean> {
    if (edits.length === 0) {
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const change of edits) {
      edit.replace(document.uri, toRange(change.range), change.newText);
    }
    const applied = await vscode.workspace.applyEdit(edit);
    if (applied) {
      this.read();
    }
    return applied;
  }
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

/** The document's diagnostics (the Problems panel's, whoever made them), by line. */
function problemsOf(uri: vscode.Uri): { line: number; severity: 'error' | 'warning'; message: string }[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error || diagnostic.severity === vscode.DiagnosticSeverity.Warning)
    .map((diagnostic) => ({ line: diagnostic.range.start.line, severity: diagnostic.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning', message: diagnostic.message }));
}

/** The document's indentation and line ends, as the editor that shows it has them. */
function formattingOf(document: vscode.TextDocument): { tabSize: number; insertSpaces: boolean; eol: string } {
  const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document === document);
  const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 2;
  const insertSpaces = typeof editor?.options.insertSpaces === 'boolean' ? editor.options.insertSpaces : true;
  return { tabSize, insertSpaces, eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' };
}

/** Which trigger a drawn transition gets: default, always, one of the state's buttons, a keyword, a regex or an intent. */
async function pickTrigger(model: FlowModel | null, from: string, to: string): Promise<NewTrigger | undefined> {
  const state = model?.states.get(from);
  const used = new Set(state?.transitions.buttons.map((rule) => rule.id) ?? []);
  const buttons = (state?.messages ?? []).flatMap(({ message }) =>
    message.type === 'buttons' ? message.buttons : message.type === 'list' ? message.sections.flatMap((section) => section.rows) : [],
  );
  type Item = vscode.QuickPickItem & { trigger?: NewTrigger; ask?: 'button' | 'keyword' | 'regex' | 'intent' };
  const items: Item[] = [
    ...(state?.transitions.default ? [] : [{ label: 'default', description: 'when nothing else matches', trigger: { kind: 'default' } as NewTrigger }]),
    ...(state?.transitions.always ? [] : [{ label: 'always', description: 'right after the state’s message', trigger: { kind: 'always' } as NewTrigger }]),
    ...buttons.filter((choice) => !used.has(choice.id)).map((choice): Item => ({ label: `Button: ${choice.title}`, description: choice.id, trigger: { kind: 'button', id: choice.id } })),
    { label: 'A keyword…', description: 'words separated by |', ask: 'keyword' },
    { label: 'A regular expression…', ask: 'regex' },
    { label: 'An intent…', ask: 'intent' },
    { label: 'A button id…', description: 'a button or list row this state will show', ask: 'button' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Transition from '${from}' to '${to}': when?`, placeHolder: 'Pick the trigger' });
  if (!picked) {
    return undefined;
  }
  if (picked.trigger) {
    return picked.trigger;
  }
  const prompts = { keyword: 'Keywords, separated by | (e.g. yes|ndiyo)', regex: 'A regular expression (e.g. ^\\d{4}$)', intent: 'The intent’s name', button: 'The button or list row id' } as const;
  const kind = picked.ask ?? 'keyword';
  const intents = kind === 'intent' ? [...(model?.intents.keys() ?? [])] : [];
  const value =
    intents.length > 0
      ? (await vscode.window.showQuickPick(intents, { title: `Intent that leads from '${from}' to '${to}'` }))
      : await vscode.window.showInputBox({ title: `Transition from '${from}' to '${to}'`, prompt: prompts[kind], validateInput: (text) => (text.trim() === '' ? 'Required.' : undefined) });
  if (value === undefined) {
    return undefined;
  }
  switch (kind) {
    case 'keyword':
      return { kind: 'keyword', key: value };
    case 'regex':
      return { kind: 'regex', key: value };
    case 'intent':
      return { kind: 'intent', intent: value };
    case 'button':
      return { kind: 'button', id: value };
  }
}
