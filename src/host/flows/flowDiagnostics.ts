// Live problems of flow files from the sandbox's validator, and the quick fixes of a target that
// names no state: change it to the closest existing state, or create the state. Runs on open, on
// every change (debounced) and on save.
import * as vscode from 'vscode';
import { isV1FormatMessage } from '../../flow/v1Format.js';
import type { FlowProblemCode } from '../../flows/diagnostics.js';
import { isFlowDocument, toDiagnostic, toRange } from './vscodeRanges.js';

/** Long enough not to validate on every keystroke, short enough to feel live. */
const DEBOUNCE_MS = 250;

export class FlowDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('sarufi-flows');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The missing state a diagnostic names, kept beside it (a Diagnostic has no data field). */
  private readonly missing = new WeakMap<vscode.Diagnostic, string>();

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((document) => void this.refresh(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidSaveTextDocument((document) => void this.refresh(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.languages.registerCodeActionsProvider({ pattern: '**/*.flow.json' }, this, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
    );
    for (const document of vscode.workspace.textDocuments) {
      void this.refresh(document);
    }
  }

  /** Validates now; a bug here must never stop the editor, so it is logged instead. */
  async refresh(document: vscode.TextDocument): Promise<void> {
    if (!isFlowDocument(document)) {
      return;
    }
    this.cancel(document.uri);
    try {
      // The regex check and the flow-editing code are bundles of their own, loaded by the first check.
      const [{ validateWithRegexSafety }, { flowProblems }] = await Promise.all([import('../../lazy/regexSafety.js'), import('../../lazy/flowEditing.js')]);
      const text = document.getText();
      const version = document.version;
      const problems = await validateWithRegexSafety((options) => flowProblems(text, options));
      if (document.version !== version) {
        // Edited while the regex worker judged: the refresh that edit scheduled will set them.
        return;
      }
      const diagnostics = problems.map((problem) => {
        const diagnostic = toDiagnostic(problem, 'Sarufi sandbox');
        if (problem.missingState !== undefined && isFixable(problem.code)) {
          this.missing.set(diagnostic, problem.missingState);
        }
        return diagnostic;
      });
      this.collection.set(document.uri, diagnostics);
    } catch (error) {
      this.log.error(`Could not check ${document.uri.toString()}: ${String(error)}`);
    }
  }

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    const offered = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      if (isV1FormatMessage(diagnostic.message)) {
        const action = new vscode.CodeAction('Convert to a dev/v1 flow (Sarufi: Convert v1 Flow)', vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.command = { command: 'sarufi.convertV1Flow', title: action.title, arguments: [document.uri] };
        actions.push(action);
        continue;
      }
      const name = this.missing.get(diagnostic) ?? missingStateOf(diagnostic);
      if (name === undefined) {
        continue;
      }
      const { closestStates, createStateEdits } = await import('../../lazy/flowEditing.js');
      const text = document.getText();
      // A typo is likelier than a state still to write: the closest existing states come first.
      const closest = namesValue(document.getText(diagnostic.range), name) ? closestStates(text, name) : [];
      for (const [index, existing] of closest.entries()) {
        const action = new vscode.CodeAction(`Change to '${existing}'`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = index === 0;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, diagnostic.range, JSON.stringify(existing));
        actions.push(action);
      }
      const edits = offered.has(name) ? [] : createStateEdits(text, name, formattingOf(document));
      if (edits.length === 0) {
        continue;
      }
      offered.add(name);
      const action = new vscode.CodeAction(`Create state '${name}'`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = closest.length === 0;
      action.edit = new vscode.WorkspaceEdit();
      for (const edit of edits) {
        action.edit.replace(document.uri, toRange(edit.range), edit.newText);
      }
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    this.collection.dispose();
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isFlowDocument(document)) {
      return;
    }
    this.cancel(document.uri);
    this.timers.set(
      document.uri.toString(),
      setTimeout(() => void this.refresh(document), DEBOUNCE_MS),
    );
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.timers.get(key);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
  }

  private forget(uri: vscode.Uri): void {
    this.cancel(uri);
    this.collection.delete(uri);
  }
}

function isFixable(code: FlowProblemCode): boolean {
  return code === 'unknown-state' || code === 'unknown-initial-state';
}

/** Diagnostics handed back by VS Code may be copies: read the name from the message then. */
function missingStateOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.code !== 'unknown-state' && diagnostic.code !== 'unknown-initial-state') {
    return undefined;
  }
  return /^Unknown (?:initial )?state '(.*)'\./s.exec(diagnostic.message)?.[1];
}

/** True when `text` (a diagnostic's range) is the JSON string `name`: only then may a fix replace it. */
function namesValue(text: string, name: string): boolean {
  try {
    return JSON.parse(text) === name;
  } catch {
    return false;
  }
}

function formattingOf(document: vscode.TextDocument): { tabSize: number; insertSpaces: boolean; eol: string } {
  const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document === document);
  const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 2;
  const insertSpaces = typeof editor?.options.insertSpaces === 'boolean' ? editor.options.insertSpaces : true;
  return { tabSize, insertSpaces, eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' };
}
