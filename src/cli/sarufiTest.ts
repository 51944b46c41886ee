// `sarufi-test <files or folders…>`: runs conversation tests outside VS Code, for CI. Against the
// local sandbox (flow-file targets, `--flows`), or a server (`--base-url`, `--chatbot`, the key in
// SARUFI_API_KEY, never on the command line where `ps` would show it). bin/sarufi-test.mjs runs
// this file through tsx; see the README's "Conversation tests".
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runConvert } from './convertCommand.js';
import { coverageReport, suiteCoverage } from '../conversationTests/coverage.js';
import type { FlowCoverage } from '../conversationTests/coverage.js';
import { generateTestsForFlow } from '../conversationTests/generate.js';
import { lineDiff } from '../conversationTests/expectations.js';
import { parseTestFile, TEST_FILE_SUFFIX, TestFileError } from '../conversationTests/format.js';
import type { ConversationTest } from '../conversationTests/format.js';
import { toJUnit } from '../conversationTests/junit.js';
import { toJsonReport, toTap } from '../conversationTests/reporters.js';
import { parseShard, shardFiles } from '../conversationTests/shard.js';
import type { Shard } from '../conversationTests/shard.js';
import { watchAndRerun } from '../conversationTests/watch.js';
import type { FolderWatcher, Timers } from '../conversationTests/watch.js';
import { scrubSecrets } from '../sarufi/redaction.js';
import { runConversationTests } from '../conversationTests/runner.js';
import type { RunOptions, SuiteResult, TestResult } from '../conversationTests/runner.js';
import { oneLine } from '../flow/oneLine.js';
import { SANDBOX_API_KEY } from '../sandbox/sandboxKeys.js';
import { checkWritableFile } from './outputFile.js';
import { runReplay } from './replayCommand.js';

export const USAGE = `Usage: sarufi-test [options] <test files or folders…>
       sarufi-test generate [--tests <folder>] <flow files…>
       sarufi-test replay <bug report>.sarufi-bug.json
       sarufi-test convert <folder or file> [-o <file>]

Runs *.sarufi-test.yaml conversation tests.

Exit codes: 0 every test passed; 1 a test failed (or had an error, or differs from its golden
run); 2 bad arguments or a test
file that cannot be read (nothing was run).

Options:
  --flows <folder>     Flow folder for the local sandbox (repeatable). Default: the folders of
                       the tests' flow files.
  --rate-limits        Make the sandbox answer 429 like Sarufi (reads 1/s, writes 1 per 2 s);
                       the runner then paces itself to those limits.
  --base-url <url>     Run against this server instead (e.g. https://developers.sarufi.io/api/dev/v1).
                       The key comes from the SARUFI_API_KEY environment variable.
  --chatbot <id>       With --base-url: run every test against this chatbot (a flow test then
                       checks the chatbot's published flow).
  --shard <i/n>        Run the i-th of n deterministic slices of the test files (CI matrices).
  --reporter <name>    junit, json or tap: print that report on stdout (the progress lines then
                       go to stderr), or write it to --output.
  --output <file>      With --reporter: write the report to this file.
  --junit <file>       Write a JUnit XML report (the same as --reporter junit --output <file>).
  --coverage           Print which states and transitions of the flow files were reached.
  --jobs <n>           Tests run at once (default 4).
  --update             Approve every passing run as golden: write <test>.golden.txt beside it.
                       Without it, a run that differs from its golden file fails.
  --watch              Run again whenever a flow, test or sarufi.sandbox.json file changes.
  -h, --help           Show this help.

generate: explores each flow (a folder stands for every *.flow.json in it) in the sandbox's engine
(mocking its API_CALLs) and writes one test per path that the existing tests (in --tests, default
the flow's folder and below) do not reach, into --tests, default a folder <flow>.generated/
beside the flow, as <flow>.generated-NN.sarufi-test.yaml (a name already taken, by any file or
link, is never written: the next number is used). Each test is named by the inputs it sends and
expects what the bot says; they are run, and coverage before and after is printed, with what no
input reaches. Exit code 1 when a generated test fails.

replay: runs the chat of a bug report (Sarufi: Export Bug Report) again in the sandbox, with its
mocks, and says where the new run first differs from the replies in the report. Exit code 0
when every reply is the same, 1 when one differs.

convert: writes a dev/v1 flow from an existing Sarufi bot (a folder, or its flow.json, flows.yaml,
dialog.yaml, "<bot name> flow.json", intents or metadata file; or a state-list flow file) beside
it, or to -o <file>, as Sarufi: Convert v1 Flow does, and prints what to check by hand. Exit code
0 when written, 1 when the input is not a bot the converter reads, 2 for bad arguments.`;

const REPORTERS = ['junit', 'json', 'tap'] as const;
type ReporterName = (typeof REPORTERS)[number];

const REPORTS: Record<ReporterName, (suite: SuiteResult, relative: (path: string) => string, secrets: readonly string[]) => string> = {
  junit: toJUnit,
  json: toJsonReport,
  tap: toTap,
};

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Stops --watch; without it, --watch runs until the process is stopped. */
  signal?: AbortSignal;
  /** For --watch: what notices changes, and the timer that lets a burst of them settle. */
  watcher?: FolderWatcher;
  timers?: Timers;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
};

class UsageError extends Error {}

/** Files as given, and every test file (or file ending in `suffix`) under folders (node_modules and dot-folders skipped). */
export function findTestFiles(paths: string[], cwd: string, suffix = TEST_FILE_SUFFIX): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') {
        continue;
      }
      const full = resolve(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile() && entry.name.endsWith(suffix)) {
        found.push(full);
      }
    }
  };
  for (const path of paths) {
    const full = resolve(cwd, path);
    let stats;
    try {
      stats = statSync(full);
    } catch {
      throw new UsageError(`${path}: no such file or folder`);
    }
    if (stats.isDirectory()) {
      walk(full);
    } else {
      found.push(full);
    }
  }
  return found;
}

export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  if (argv[0] === 'generate') {
    return runGenerate(argv.slice(1), io);
  }
  if (argv[0] === 'replay') {
    return runReplay(argv.slice(1), io, USAGE);
  }
  if (argv[0] === 'convert') {
    return runConvert(argv.slice(1), io, USAGE);
  }
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        flows: { type: 'string', multiple: true },
        'rate-limits': { type: 'boolean' },
        'base-url': { type: 'string' },
        chatbot: { type: 'string' },
        shard: { type: 'string' },
        reporter: { type: 'string' },
        output: { type: 'string' },
        junit: { type: 'string' },
        coverage: { type: 'boolean' },
        jobs: { type: 'string' },
        watch: { type: 'boolean' },
        update: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const apiKey = io.env.SARUFI_API_KEY ?? '';
  const secrets = [apiKey].filter((key) => key !== '' && key !== SANDBOX_API_KEY);
  const rel = (path: string): string => relative(io.cwd, path) || path;
  // A report on stdout must stay parsable: the progress lines go to stderr then.
  const reportOnStdout = values.reporter !== undefined && values.output === undefined;
  const say = (line: string): void => (reportOnStdout ? io.err : io.out)(scrubSecrets(line, secrets));
  const fail = (error: unknown): number => {
    if (error instanceof UsageError) {
      io.err(`sarufi-test: ${error.message}\n\n${USAGE}`);
    } else if (error instanceof TestFileError) {
      io.err(scrubSecrets(`sarufi-test: ${rel(error.file)}:${error.line + 1}: ${error.detail}`, secrets));
    } else {
      io.err(scrubSecrets(`sarufi-test: ${error instanceof Error ? error.message : String(error)}`, secrets));
    }
    return 2;
  };

  let jobs: number;
  let shard: Shard | null;
  let reporter: ReporterName | null;
  try {
    if (positionals.length === 0) {
      throw new UsageError('name at least one test file or folder');
    }
    if (values.chatbot && !values['base-url']) {
      throw new UsageError('--chatbot needs --base-url');
    }
    if (values['base-url'] && apiKey === '') {
      throw new UsageError('--base-url needs the API key in the SARUFI_API_KEY environment variable');
    }
    jobs = values.jobs === undefined ? 4 : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) {
      throw new UsageError(`--jobs must be a whole number of 1 or more, not "${values.jobs}"`);
    }
    shard = values.shard === undefined ? null : parseShardOption(values.shard);
    reporter = values.reporter === undefined ? null : reporterNamed(values.reporter);
    if (values.output !== undefined && reporter === null) {
      throw new UsageError('--output goes with --reporter junit|json|tap');
    }
    for (const [option, file] of [['--output', values.output], ['--junit', values.junit]] as const) {
      if (file !== undefined) {
        checkWritableFile(resolve(io.cwd, file), option);
      }
    }
  } catch (error) {
    return fail(error);
  }

  const flowDirs = values.flows?.map((dir) => resolve(io.cwd, dir));
  const loadTests = (): ConversationTest[] => {
    const found = findTestFiles(positionals, io.cwd);
    const files = shard === null ? found : shardFiles(found, shard, rel);
    if (found.length === 0) {
      throw new UsageError(`no *${TEST_FILE_SUFFIX} files in ${positionals.join(', ')}`);
    }
    const tests = files.map((file) => {
      const test = parseTestFile(readFileSync(file, 'utf8'), file);
      return values.chatbot ? { ...test, target: { kind: 'chatbot' as const, chatbot: values.chatbot, environment: null } } : test;
    });
    if (!values['base-url'] && tests.some((test) => test.target.kind === 'chatbot') && !flowDirs) {
      throw new UsageError('tests with a chatbot target need --base-url (or --flows, for chatbots of the sandbox)');
    }
    return tests;
  };
  const watched = new Set<string>(flowDirs);

  const runOnce = async (): Promise<number> => {
    try {
      const tests = loadTests();
      for (const test of tests) {
        watched.add(dirname(test.path));
        if (test.target.kind === 'flow') {
          watched.add(dirname(test.target.flowPath));
        }
      }
      if (shard !== null) {
        say(`Shard ${shard.index}/${shard.count}: ${tests.length} test file${tests.length === 1 ? '' : 's'}`);
      }
      const options: RunOptions = {
        concurrency: jobs,
        env: io.env,
        sandbox: { ...(flowDirs ? { flowDirs } : {}), rateLimits: values['rate-limits'] ?? false },
        ...(values['base-url'] ? { service: { baseUrl: values['base-url'], apiKey } } : {}),
        onTestEnd: (result) => report(result, say, rel),
        golden: values.update ? 'update' : 'compare',
      };
      const suite = await runConversationTests(tests, options);
      say(`\n${suite.passed} passed, ${suite.failed} failed (${suite.tests.length} tests, ${suite.stepsRun} steps, ${(suite.durationMs / 1000).toFixed(1)} s)`);
      if (values.junit) {
        writeFileSync(resolve(io.cwd, values.junit), toJUnit(suite, rel, secrets));
        say(`JUnit report: ${values.junit}`);
      }
      if (reporter !== null) {
        const text = REPORTS[reporter](suite, rel, secrets);
        if (values.output === undefined) {
          io.out(text.replace(/\n$/, ''));
        } else {
          writeFileSync(resolve(io.cwd, values.output), text);
          say(`${reporter} report: ${values.output}`);
        }
      }
      if (values.coverage) {
        const coverages = await suiteCoverage(suite.tests, (path) => readFileSync(path, 'utf8'));
        say(coverages.length === 0 ? 'Coverage: no test targets a flow file.' : `\nCoverage\n${coverageReport(coverages, rel)}`);
      }
      return suite.failed === 0 ? 0 : 1;
    } catch (error) {
      return fail(error);
    }
  };

  if (!values.watch) {
    return runOnce();
  }
  for (const path of positionals) {
    const full = resolve(io.cwd, path);
    watched.add(full.endsWith(TEST_FILE_SUFFIX) ? dirname(full) : full);
  }
  let last = 2;
  await watchAndRerun({
    folders: () => [...watched],
    run: async () => {
      last = await runOnce();
    },
    onWaiting: () => say('\nWatching for changes to flow and test files (Ctrl-C stops).'),
    signal: io.signal ?? new AbortController().signal,
    ...(io.watcher ? { watcher: io.watcher } : {}),
    ...(io.timers ? { timers: io.timers } : {}),
  });
  return last;
}

async function runGenerate(argv: string[], io: CliIo): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { tests: { type: 'string' } } }));
    if (positionals.length === 0) {
      throw new UsageError('generate needs at least one *.flow.json file');
    }
  } catch (error) {
    io.err(`sarufi-test: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  // Names and descriptions come from flow files: on the terminal, their control characters are escaped.
  const rel = (path: string): string => oneLine(relative(io.cwd, path) || path);
  // Folders as the test runner takes them: every flow file in them. Then --tests must be a folder.
  let flowPaths: string[];
  let testsDir: string | undefined;
  try {
    flowPaths = findTestFiles(positionals, io.cwd, '.flow.json');
    if (flowPaths.length === 0) {
      throw new UsageError(`no *.flow.json files in ${positionals.join(', ')}`);
    }
    testsDir = values.tests === undefined ? undefined : resolve(io.cwd, values.tests);
    if (testsDir !== undefined && !isFolder(testsDir)) {
      throw new UsageError(`--tests ${values.tests}: no such folder`);
    }
  } catch (error) {
    io.err(`sarufi-test: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  let failed = false;
  for (const flowPath of flowPaths) {
    try {
      const testFiles = findTestFiles([testsDir ?? dirname(flowPath)], io.cwd);
      const summary = await generateTestsForFlow({ flowPath, testFiles, env: io.env, ...(testsDir === undefined ? {} : { testsDir }) });
      io.out(`${rel(flowPath)}: ${summary.written.length} test${summary.written.length === 1 ? '' : 's'} written in ${(summary.durationMs / 1000).toFixed(1)} s`);
      for (const [file, result] of summary.written.map((path, index) => [path, summary.generatedResults[index]] as const)) {
        io.out(`  ${result?.status === 'passed' ? 'PASS' : 'FAIL'} ${rel(file)}`);
        failed ||= result?.status !== 'passed';
      }
      io.out(`  coverage before: ${coverageLine(summary.before)}\n  coverage after:  ${coverageLine(summary.after)}`);
      for (const item of summary.unreached) {
        io.out(`  ${rel(flowPath)}:${item.line === null ? '?' : item.line + 1}  ${oneLine(item.description)}`);
      }
    } catch (error) {
      io.err(`sarufi-test: ${rel(flowPath)}: ${oneLine(error instanceof Error ? error.message : String(error))}`);
      return 2;
    }
  }
  return failed ? 1 : 0;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function coverageLine(coverage: FlowCoverage): string {
  const states = coverage.states.filter((state) => state.reached).length;
  const edges = coverage.transitions.filter((edge) => edge.reached).length;
  return `${states}/${coverage.states.length} states, ${edges}/${coverage.transitions.length} transitions`;
}

function parseShardOption(text: string): Shard {
  try {
    return parseShard(text);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function reporterNamed(name: string): ReporterName {
  if (!(REPORTERS as readonly string[]).includes(name)) {
    throw new UsageError(`--reporter must be one of ${REPORTERS.join(', ')}, not "${name}"`);
  }
  return name as ReporterName;
}

function report(result: TestResult, say: (line: string) => void, rel: (path: string) => string): void {
  const mark = result.status === 'passed' ? 'PASS' : 'FAIL';
  say(`${mark} ${rel(result.test.path)}  ${result.test.name}  (${result.steps.length} steps, ${Math.round(result.durationMs)} ms)`);
  for (const step of result.steps) {
    if (step.status === 'failed' || step.status === 'error') {
      say(`  ${rel(result.test.path)}:${step.step.line + 1}  step ${step.step.label}`);
      for (const failure of step.failures) {
        say(`    ${failure}`);
      }
      if (step.status === 'failed') {
        say('    --- expected\n    +++ actual');
        say(lineDiff(step.expected, step.actual).split('\n').map((line) => `    ${line}`).join('\n'));
      }
    }
  }
  const golden = result.golden;
  if (golden?.kind === 'different') {
    say(`  the run differs from its golden run ${rel(golden.path)} (approve it with --update)`);
    say('    --- golden\n    +++ actual');
    say(lineDiff(golden.golden, golden.actual).split('\n').map((line) => `    ${line}`).join('\n'));
  } else if (golden?.kind === 'approved') {
    say(`  approved as golden: ${rel(golden.path)}`);
  }
}
