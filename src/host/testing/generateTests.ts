// Sarufi: Generate Tests for Uncovered Paths: for a flow file, writes a test per path that the
// workspace's tests do not reach (the lazy bundle's generator) into the flow's `<flow>.generated/`
// folder, runs them in the Test Explorer with coverage, and marks what no input reaches as
// diagnostics on the flow's states.
import * as vscode from 'vscode';
import { readSettings } from '../settings.js';

export const GENERATE_TESTS_COMMAND = 'sarufi.conversationTests.generate';

async function pickFlow(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && active.path.endsWith('.flow.json')) {
    return active;
  }
  const flows = await vscode.workspace.findFiles('**/*.flow.json', '**/node_modules/**');
  const picked = await vscode.window.showQuickPick(
    flows.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'The flow file to generate tests for' },
  );
  return picked?.uri;
}

/** `runWritten` finds the new test files and runs them in the Test Explorer. */
export function registerGenerateTests(runWritten: (files: readonly string[]) => Promise<void>, log: vscode.LogOutputChannel): vscode.Disposable {
  const unreachable = vscode.languages.createDiagnosticCollection('sarufi-unreachable');
  const command = vscode.commands.registerCommand(GENERATE_TESTS_COMMAND, async (given?: vscode.Uri) => {
    const flow = given ?? (await pickFlow());
    if (!flow) {
      return undefined;
    }
    const testFiles = (await vscode.workspace.findFiles('**/*.sarufi-test.yaml', '**/node_modules/**')).map((uri) => uri.fsPath);
    try {
      // The summary's wording lives in the lazy bundle with the generator, not in dist/extension.js.
      const { generateTestsForFlow, generationDetails, generationMessage } = await import('../../lazy/conversationTests.js');
      const summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Generating tests for ${vscode.workspace.asRelativePath(flow)}…` },
        () => generateTestsForFlow({ flowPath: flow.fsPath, testFiles, env: process.env, turnTimeoutMs: readSettings().sandboxTurnTimeoutMs }),
      );
      unreachable.set(
        flow,
        summary.unreached.map((item) => {
          const line = item.line ?? 0;
          const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, 10_000), item.description, vscode.DiagnosticSeverity.Warning);
          diagnostic.source = 'Sarufi tests';
          return diagnostic;
        }),
      );
      await runWritten(summary.written);
      // A notification holds a line or two: the details (each test, what no input reaches) go to the log.
      log.info(generationDetails(summary, (path) => vscode.workspace.asRelativePath(path)));
      void vscode.window.showInformationMessage(generationMessage(summary), 'Show Details').then((choice) => choice && log.show(true));
      return summary;
    } catch (error) {
      log.error(`Generate tests: ${String(error)}`);
      void vscode.window.showErrorMessage(`Could not generate tests: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  });
  return vscode.Disposable.from(unreachable, command);
}
