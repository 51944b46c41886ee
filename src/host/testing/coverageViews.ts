// Where conversation-test coverage shows in VS Code, from the one model of
// src/conversationTests/coverage.ts: the Test Coverage view and the editor's gutter (a state is a
// statement, each way out of it a branch), and the report of Show Conversation Test Coverage, a
// read-only document whose lines link to the flow file.
import * as vscode from 'vscode';
import type { FlowCoverage, StateDetail } from '../../conversationTests/coverage.js';

const REPORT_SCHEME = 'sarufi-coverage';
const REPORT_URI = vscode.Uri.from({ scheme: REPORT_SCHEME, path: '/Conversation test coverage.txt' });

/** A flow's coverage as VS Code counts it: states as statements, their transitions as branches. */
export function fileCoverageOf(coverage: FlowCoverage, details: readonly StateDetail[]): { file: vscode.FileCoverage; statements: vscode.StatementCoverage[] } {
  const lineRange = (line: number): vscode.Range => new vscode.Range(line, 0, line, 10_000);
  const statements = details.map(
    (state) =>
      new vscode.StatementCoverage(
        state.reached ? 1 : 0,
        lineRange(state.line),
        state.transitions.map((edge) => new vscode.BranchCoverage(edge.reached ? 1 : 0, lineRange(edge.line), `${edge.label} → ${edge.to}`)),
      ),
  );
  return { file: vscode.FileCoverage.fromDetails(vscode.Uri.file(coverage.flowPath), statements), statements };
}

export interface CoverageReportDeps {
  coverages(): readonly FlowCoverage[];
  /** The report's text (the lazy bundle's coverageReport). */
  report(coverages: readonly FlowCoverage[]): Promise<string>;
}

/**
 * Show Conversation Test Coverage: the report of the last run with coverage, in a read-only
 * document (nothing to save on close) where each `(line N)` opens the flow file there.
 */
export function registerCoverageReport(deps: CoverageReportDeps): vscode.Disposable {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let text = '';
  /** Each report line's flow file, by line number of the report. */
  let files: (string | undefined)[] = [];
  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, { onDidChange: changed.event, provideTextDocumentContent: () => text }),
    vscode.languages.registerDocumentLinkProvider(
      { scheme: REPORT_SCHEME },
      {
        provideDocumentLinks: (document) =>
          document
            .getText()
            .split('\n')
            .flatMap((line, index) => {
              const file = files[index];
              const match = /\(line (\d+)\)$/.exec(line);
              if (!file || !match) {
                return [];
              }
              const start = line.length - match[0].length + 1;
              const link = new vscode.DocumentLink(new vscode.Range(index, start, index, line.length - 1), vscode.Uri.file(file).with({ fragment: `L${match[1]}` }));
              link.tooltip = 'Open the flow file at this line';
              return [link];
            }),
      },
    ),
    vscode.commands.registerCommand('sarufi.conversationTests.coverageReport', async (): Promise<vscode.Uri | undefined> => {
      const coverages = deps.coverages();
      if (coverages.length === 0) {
        void vscode.window.showInformationMessage('No coverage yet: run the conversation tests with "Run with coverage" in the Test Explorer.');
        return undefined;
      }
      text = await deps.report(coverages);
      files = linesToFiles(text, coverages);
      changed.fire(REPORT_URI);
      const document = await vscode.workspace.openTextDocument(REPORT_URI);
      await vscode.window.showTextDocument(document, { preview: false });
      return REPORT_URI;
    }),
  );
}

/** The report is a heading line per flow, then its indented lines: each line belongs to the flow above it. */
function linesToFiles(text: string, coverages: readonly FlowCoverage[]): (string | undefined)[] {
  let flow = -1;
  return text.split('\n').map((line) => {
    if (line !== '' && !line.startsWith(' ')) {
      flow += 1;
    }
    return coverages[flow]?.flowPath;
  });
}
