// The Test Explorer for conversation tests: finds *.sarufi-test.yaml files (and follows them with a
// file watcher), one item per file with one child per step at its line; runs them through the
// pure runner, shows a failed step as an expected/actual diff at the step, and, with the Coverage
// profile, marks the reached states and transitions of the flow files.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { FlowCoverage } from '../../conversationTests/coverage.js';
import { fileCoverageOf, registerCoverageReport } from './coverageViews.js';
import type { ConversationTest } from '../../conversationTests/format.js';
import type { GoldenMode, GoldenOutcome } from '../../conversationTests/golden.js';
import type { StepResult, TestResult } from '../../conversationTests/runner.js';
import type { EnvironmentId, Environments } from '../environments.js';
import { debugConversationTest } from './debugConversationTest.js';
import { registerGenerateTests } from './generateTests.js';

export const TEST_CONTROLLER_ID = 'sarufi.conversationTests';
/** The read-only documents that show a run beside its golden file in the diff editor. */
export const GOLDEN_RUN_SCHEME = 'sarufi-golden-run';
const GLOB = '**/*.sarufi-test.yaml';

export interface ConversationTestsDeps {
  environments: Environments;
  log: vscode.LogOutputChannel;
}

/** What integration tests and the report command can see. */
export interface ConversationTestsApi {
  controller: vscode.TestController;
  /** Re-reads every test file now. */
  discover(): Promise<void>;
  /** The run profiles: 'Run', 'Run with coverage', 'Approve as golden' and 'Debug'. */
  profiles: { run: vscode.TestRunProfile; coverage: vscode.TestRunProfile; approve: vscode.TestRunProfile; debug: vscode.TestRunProfile };
  /** Results and coverage of the last run. */
  lastResults(): readonly TestResult[];
  lastCoverage(): readonly FlowCoverage[];
  /** The same coverage as the Test Coverage view was given it. */
  lastFileCoverage(): readonly vscode.FileCoverage[];
  /** What the last Debug run found, test by test. */
  lastDebugOutcomes(): readonly { name: string; passed: boolean; failures: string[] }[];
  /** Fires when a run has ended and its results (and coverage) are the last ones. */
  onDidFinishRun: vscode.Event<void>;
}

export function registerConversationTests(deps: ConversationTestsDeps): vscode.Disposable & { api: ConversationTestsApi } {
  const controller = vscode.tests.createTestController(TEST_CONTROLLER_ID, 'Sarufi conversation tests');
  const disposables: vscode.Disposable[] = [controller];
  let results: TestResult[] = [];
  let coverages: FlowCoverage[] = [];
  let fileCoverages: vscode.FileCoverage[] = [];
  let debugOutcomes: { name: string; passed: boolean; failures: string[] }[] = [];
  const details = new WeakMap<vscode.FileCoverage, vscode.StatementCoverage[]>();
  const goldenRuns = new Map<string, string>();
  const goldenChanged = new vscode.EventEmitter<vscode.Uri>();
  const runFinished = new vscode.EventEmitter<void>();
  disposables.push(
    goldenChanged,
    runFinished,
    vscode.workspace.registerTextDocumentContentProvider(GOLDEN_RUN_SCHEME, {
      onDidChange: goldenChanged.event,
      provideTextDocumentContent: (uri) => goldenRuns.get(uri.toString()) ?? '',
    }),
  );
  /** A run that differs from its golden file opens beside it, as snapshot tools show a mismatch. */
  const showGoldenDifference = async (name: string, golden: Extract<GoldenOutcome, { kind: 'different' }>): Promise<void> => {
    const actual = vscode.Uri.from({ scheme: GOLDEN_RUN_SCHEME, path: `${golden.path}.this-run.txt` });
    goldenRuns.set(actual.toString(), golden.actual);
    goldenChanged.fire(actual);
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(golden.path), actual, `${name}: golden run ↔ this run`);
  };

  const refresh = async (uri: vscode.Uri): Promise<void> => {
    const { parseTestFile, TestFileError } = await import('../../lazy/conversationTests.js');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const item = controller.items.get(uri.toString()) ?? controller.createTestItem(uri.toString(), uri.path.split('/').pop() ?? uri.path, uri);
    controller.items.add(item);
    try {
      const test = parseTestFile(text, uri.fsPath);
      item.label = test.name;
      item.description = vscode.workspace.asRelativePath(uri);
      item.error = undefined;
      item.range = new vscode.Range(0, 0, 0, 0);
      item.children.replace(
        test.steps.map((step) => {
          const child = controller.createTestItem(`${uri.toString()}#${step.index}`, step.label, uri);
          child.range = new vscode.Range(step.line, 0, step.line, 0);
          return child;
        }),
      );
    } catch (error) {
      // A broken file stays in the tree with its reason, at its line.
      item.error = error instanceof TestFileError ? `Line ${error.line + 1}: ${error.detail}` : String(error);
      item.range = error instanceof TestFileError ? new vscode.Range(error.line, 0, error.line, 0) : undefined;
      item.children.replace([]);
    }
  };

  const discover = async (): Promise<void> => {
    const files = await vscode.workspace.findFiles(GLOB, '**/node_modules/**');
    const seen = new Set(files.map((file) => file.toString()));
    controller.items.forEach((item) => {
      if (!seen.has(item.id)) {
        controller.items.delete(item.id);
      }
    });
    await Promise.all(files.map((file) => refresh(file).catch((error: unknown) => deps.log.warn(`Conversation tests: ${String(error)}`))));
  };
  controller.resolveHandler = async (item) => {
    if (!item) {
      await discover();
    }
  };
  controller.refreshHandler = () => discover();

  const watcher = vscode.workspace.createFileSystemWatcher(GLOB);
  disposables.push(
    watcher,
    watcher.onDidCreate((uri) => void refresh(uri)),
    watcher.onDidChange((uri) => void refresh(uri)),
    watcher.onDidDelete((uri) => controller.items.delete(uri.toString())),
  );

  const run = async (request: vscode.TestRunRequest, token: vscode.CancellationToken, withCoverage: boolean, golden: GoldenMode = 'compare'): Promise<void> => {
    const testRun = controller.createTestRun(request);
    const files = new Map<string, vscode.TestItem>();
    const add = (item: vscode.TestItem): void => {
      // A step cannot run alone: its conversation starts at the greeting.
      const file = item.parent ?? item;
      if (!request.exclude?.some((excluded) => excluded.id === file.id)) {
        files.set(file.id, file);
      }
    };
    if (request.include) {
      request.include.forEach(add);
    } else {
      controller.items.forEach(add);
    }
    const { coverageDetails, parseTestFile, runConversationTests, suiteCoverage, TestFileError } = await import('../../lazy/conversationTests.js');
    const tests: ConversationTest[] = [];
    const itemsOf = new Map<string, vscode.TestItem>();
    for (const item of files.values()) {
      if (!item.uri) {
        continue;
      }
      try {
        const test = parseTestFile(new TextDecoder().decode(await vscode.workspace.fs.readFile(item.uri)), item.uri.fsPath);
        tests.push(test);
        itemsOf.set(test.path, item);
        testRun.enqueued(item);
      } catch (error) {
        const message = new vscode.TestMessage(error instanceof Error ? error.message : String(error));
        if (error instanceof TestFileError) {
          message.location = new vscode.Location(item.uri, new vscode.Position(error.line, 0));
        }
        testRun.errored(item, message);
      }
    }
    const abort = new AbortController();
    const cancelling = token.onCancellationRequested(() => abort.abort());
    try {
      const suite = await runConversationTests(tests, {
        signal: abort.signal,
        golden,
        service: async (test) => {
          const id = test.target.kind === 'chatbot' && test.target.environment ? test.target.environment : undefined;
          const environment = await deps.environments.resolve(id as EnvironmentId | undefined);
          if (!environment.apiKey) {
            throw new Error(`No API key is set for ${environment.label}. Run "Sarufi: Set API Key".`);
          }
          return { baseUrl: environment.baseUrl, apiKey: environment.apiKey };
        },
        onTestStart: (test) => {
          const item = itemsOf.get(test.path);
          if (item) {
            testRun.started(item);
          }
        },
        onStep: (test, step) => reportStep(testRun, itemsOf.get(test.path), step),
        onTestEnd: (result) => {
          const item = itemsOf.get(result.test.path);
          if (!item) {
            return;
          }
          if (result.status === 'passed') {
            testRun.passed(item, result.durationMs);
            if (result.golden?.kind === 'approved') {
              testRun.appendOutput(`Approved as golden: ${vscode.workspace.asRelativePath(result.golden.path)}\r\n`, undefined, item);
            }
          } else if (result.golden?.kind === 'different') {
            const message = vscode.TestMessage.diff(
              `The run differs from its golden run ${vscode.workspace.asRelativePath(result.golden.path)}: approve it with "Approve as golden"`,
              result.golden.golden,
              result.golden.actual,
            );
            testRun.failed(item, message, result.durationMs);
            void showGoldenDifference(result.test.name, result.golden);
          } else {
            const first = result.steps.find((step) => step.status === 'failed' || step.status === 'error');
            testRun.failed(item, new vscode.TestMessage(first ? `${first.step.label}: ${first.failures.join('; ')}` : 'failed'), result.durationMs);
          }
        },
      });
      results = suite.tests;
      if (withCoverage) {
        coverages = await suiteCoverage(suite.tests, (path) => readFileSync(path, 'utf8'));
        fileCoverages = coverages.map((coverage) => {
          const { file, statements } = fileCoverageOf(coverage, coverageDetails(coverage));
          details.set(file, statements);
          testRun.addCoverage(file);
          for (const stopped of coverage.stoppedRegexes) {
            // Its turns' transitions are guessed: the run's output says which trigger and why.
            const where = new vscode.Location(vscode.Uri.file(coverage.flowPath), new vscode.Position(stopped.line ?? 0, 0));
            testRun.appendOutput(`Coverage: the regex trigger of state '${stopped.state}' was not checked: ${stopped.reason}\r\n`, where);
          }
          return file;
        });
      }
    } catch (error) {
      deps.log.error(`Conversation tests: ${String(error)}`);
      for (const item of itemsOf.values()) {
        testRun.errored(item, new vscode.TestMessage(error instanceof Error ? error.message : String(error)));
      }
    } finally {
      cancelling.dispose();
      testRun.end();
      runFinished.fire();
    }
  };

  const runProfile = controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => run(request, token, false), true);
  const coverageProfile = controller.createRunProfile('Run with coverage', vscode.TestRunProfileKind.Coverage, (request, token) => run(request, token, true), true);
  coverageProfile.loadDetailedCoverage = (_run, fileCoverage) => Promise.resolve(details.get(fileCoverage) ?? []);
  // A profile rather than a command: it appears on every test in the Test Explorer's run menu.
  const approveProfile = controller.createRunProfile('Approve as golden', vscode.TestRunProfileKind.Run, (request, token) => run(request, token, false, 'update'), false);

  /** Debug: each test plays in the flow debugger, one after another; its turns are checked as a run checks them. */
  const debugRun = async (request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> => {
    const testRun = controller.createTestRun(request);
    debugOutcomes = [];
    const { checkReply, fillExpectation, parseTestFile, substitute } = await import('../../lazy/conversationTests.js');
    const files: vscode.TestItem[] = [];
    (request.include ?? [...collect(controller.items)]).forEach((item) => {
      const file = item.parent ?? item;
      if (!files.includes(file) && !request.exclude?.some((excluded) => excluded.id === file.id)) {
        files.push(file);
      }
    });
    try {
      for (const file of files) {
        if (!file.uri || token.isCancellationRequested) {
          continue;
        }
        const started = Date.now();
        try {
          const test = parseTestFile(new TextDecoder().decode(await vscode.workspace.fs.readFile(file.uri)), file.uri.fsPath);
          testRun.started(file);
          const failures: string[] = [];
          const passed = await debugConversationTest(
            test,
            {
              checkReply,
              substitute,
              fillExpectation,
              onStep: (step, check) => {
                failures.push(...('error' in check ? [`${step.label}: ${check.error}`] : check.failures.map((failure) => `${step.label}: ${failure}`)));
                reportStep(
                  testRun,
                  file,
                  'error' in check
                    ? { step, status: 'error', failures: [check.error], expected: '', actual: '', durationMs: 0, currentState: null }
                    : { step, status: check.passed ? 'passed' : 'failed', failures: check.failures, expected: check.expected, actual: check.actual, durationMs: 0, currentState: null },
                );
              },
            },
            token,
          );
          debugOutcomes.push({ name: test.name, passed, failures });
          if (passed) {
            testRun.passed(file, Date.now() - started);
          } else {
            testRun.failed(file, new vscode.TestMessage('The conversation did not go as the test expects (or the debug session ended first): see its steps.'), Date.now() - started);
          }
        } catch (error) {
          testRun.errored(file, new vscode.TestMessage(error instanceof Error ? error.message : String(error)));
        }
      }
    } finally {
      testRun.end();
    }
  };
  const debugProfile = controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, (request, token) => debugRun(request, token), true);

  const api: ConversationTestsApi = {
    controller,
    discover,
    profiles: { run: runProfile, coverage: coverageProfile, approve: approveProfile, debug: debugProfile },
    lastResults: () => results,
    lastCoverage: () => coverages,
    lastFileCoverage: () => fileCoverages,
    lastDebugOutcomes: () => debugOutcomes,
    onDidFinishRun: runFinished.event,
  };
  disposables.push(
    registerCoverageReport({
      coverages: () => coverages,
      report: async (all) => (await import('../../lazy/conversationTests.js')).coverageReport([...all], (path) => vscode.workspace.asRelativePath(path)),
    }),
  );
  // Generated tests are found, then run once with coverage, so that the Test Explorer and the
  // coverage view show their result rather than "not run".
  const runGenerated = async (files: readonly string[]): Promise<void> => {
    await discover();
    const items = files.map((file) => controller.items.get(vscode.Uri.file(file).toString())).filter((item): item is vscode.TestItem => item !== undefined);
    if (items.length > 0) {
      const cancel = new vscode.CancellationTokenSource();
      await Promise.resolve(coverageProfile.runHandler(new vscode.TestRunRequest(items, undefined, coverageProfile), cancel.token)).finally(() => cancel.dispose());
    }
  };
  disposables.push(registerGenerateTests(runGenerated, deps.log));
  void discover();

  return {
    api,
    dispose: () => disposables.forEach((disposable) => disposable.dispose()),
  };
}

function collect(items: vscode.TestItemCollection): vscode.TestItem[] {
  const all: vscode.TestItem[] = [];
  items.forEach((item) => all.push(item));
  return all;
}

function reportStep(testRun: vscode.TestRun, file: vscode.TestItem | undefined, result: StepResult): void {
  const item = file?.children.get(`${file.id}#${result.step.index}`);
  if (!item || !file?.uri) {
    return;
  }
  const location = new vscode.Location(file.uri, new vscode.Position(result.step.line, 0));
  switch (result.status) {
    case 'passed':
      testRun.passed(item, result.durationMs);
      return;
    case 'skipped':
      testRun.skipped(item);
      return;
    case 'error': {
      const message = new vscode.TestMessage(result.failures.join('\n'));
      message.location = location;
      testRun.errored(item, message, result.durationMs);
      return;
    }
    case 'failed': {
      const message = vscode.TestMessage.diff(result.failures.join('\n'), result.expected, result.actual);
      message.location = location;
      testRun.failed(item, message, result.durationMs);
      return;
    }
  }
}
