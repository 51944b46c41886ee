// Turns the pure flow module's ranges and problems into VS Code's types.
import * as vscode from 'vscode';
import type { FlowProblem } from '../../flows/diagnostics.js';
import type { Range } from '../../flows/positions.js';

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** What `source` says in the Problems panel: which judge found it. */
export type ProblemSource = 'Sarufi sandbox' | 'Sarufi';

export function toDiagnostic(problem: FlowProblem, source: ProblemSource): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(
    toRange(problem.range),
    problem.message,
    problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = source;
  diagnostic.code = problem.code;
  if (problem.code === 'unreachable-state') {
    diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
  }
  return diagnostic;
}

/** `*.flow.json`, in a workspace file or a flow opened from Sarufi. */
export function isFlowDocument(document: vscode.TextDocument): boolean {
  return document.uri.path.endsWith('.flow.json') && (document.uri.scheme === 'file' || document.uri.scheme === 'sarufi' || document.uri.scheme === 'untitled');
}
