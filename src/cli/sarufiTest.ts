// `sarufi-test <files or folders…>`: runs conversation tests outside VS Code, for CI. Against the
// local sandbox (flow-file targets, `--flows`), or a server (`--base-url`, `--chatbot`, the key in
// SARUFI_API_KEY, never on the command line where `ps` would show it). bin/sarufi-test.mjs runs
// this file through tsx; see the README's "Conversation tests".
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { coverageReport, suiteCoverage } from '../conversationTests/coverage.js';
import { lineDiff } from '../conversationTests/expectations.js';
import { parseTestFile, TEST_FILE_SUFFIX, TestFileError } from '../conversationTests/format.js';
import type { ConversationTest } from '../conversationTests/format.js';
import { toJUnit } from '../conversationTests/junit.js';
import { scrubSecrets } from '../sarufi/redaction.js';
import { runConversationTests } from '../conversationTests/runner.js';
import type { RunOptions, TestResult } from '../conversationTests/runner.js';
import { SANDBOX_API_KEY } from '../sandbox/sandboxKeys.js';

export const USAGE = `Usage: sarufi-test [options] <test files or folders…>

Runs *.sarufi-test.yaml conversation tests. Exit code 0 when all pass, 1 when any fails,
2 for bad arguments or test files.

Options:
  --flows <folder>     Flow folder for the local sandbox (repeatable). Default: the folders of
                       the tests' flow files.
  --rate-limits        Make the sandbox answer 429 like Sarufi (reads 1/s, writes 1 per 2 s);
                       the runner then paces itself to those limits.
  --base-url <url>     Run against this server instead (e.g. https://developers.sarufi.io/api/dev/v1).
                       The key comes from the SARUFI_API_KEY environment variable.
  --chatbot <id>       With --base-url: run every test against this chatbot (a flow test then
                       checks the chatbot's published flow).
  --junit <file>       Write a JUnit XML report.
  --coverage           Print which states and transitions of the flow files were reached.
  --jobs <n>           Tests run at once (default 4).
  -h, --help           Show this help.`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
};

class UsageError extends Error {}

/** Files as given, and every test file under folders (node_modules and dot-folders skipped). */
export function findTestFiles(paths: string[], cwd: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') {
        continue;
      }
      const full = resolve(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile() && entry.name.endsWith(TEST_FILE_SUFFIX)) {
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
        junit: { type: 'string' },
        coverage: { type: 'boolean' },
        jobs: { type: 'string' },
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
  const say = (line: string): void => io.out(scrubSecrets(line, secrets));
  const rel = (path: string): string => relative(io.cwd, path) || path;

  let tests: ConversationTest[];
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
    const jobs = values.jobs === undefined ? 4 : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) {
      throw new UsageError(`--jobs must be a whole number of 1 or more, not "${values.jobs}"`);
    }
    const files = findTestFiles(positionals, io.cwd);
    if (files.length === 0) {
      throw new UsageError(`no *${TEST_FILE_SUFFIX} files in ${positionals.join(', ')}`);
    }
    tests = files.map((file) => {
      const test = parseTestFile(readFileSync(file, 'utf8'), file);
      return values.chatbot ? { ...test, target: { kind: 'chatbot' as const, chatbot: values.chatbot, environment: null } } : test;
    });
    if (!values['base-url'] && tests.some((test) => test.target.kind === 'chatbot') && !values.flows) {
      throw new UsageError('tests with a chatbot target need --base-url (or --flows, for chatbots of the sandbox)');
    }
    const options: RunOptions = {
      concurrency: jobs,
      env: io.env,
      sandbox: { ...(values.flows ? { flowDirs: values.flows.map((dir) => resolve(io.cwd, dir)) } : {}), rateLimits: values['rate-limits'] ?? false },
      ...(values['base-url'] ? { service: { baseUrl: values['base-url'], apiKey } } : {}),
      onTestEnd: (result) => report(result, say, rel),
    };
    const suite = await runConversationTests(tests, options);
    say(`\n${suite.passed} passed, ${suite.failed} failed (${suite.tests.length} tests, ${suite.stepsRun} steps, ${(suite.durationMs / 1000).toFixed(1)} s)`);
    if (values.junit) {
      writeFileSync(resolve(io.cwd, values.junit), toJUnit(suite, rel, secrets));
      say(`JUnit report: ${values.junit}`);
    }
    if (values.coverage) {
      const coverages = suiteCoverage(suite.tests, (path) => readFileSync(path, 'utf8'));
      say(coverages.length === 0 ? 'Coverage: no test targets a flow file.' : `\nCoverage\n${coverageReport(coverages, rel)}`);
    }
    return suite.failed === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`sarufi-test: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof TestFileError) {
      io.err(scrubSecrets(`sarufi-test: ${rel(error.file)}:${error.line + 1}: ${error.detail}`, secrets));
      return 2;
    }
    io.err(scrubSecrets(`sarufi-test: ${error instanceof Error ? error.message : String(error)}`, secrets));
    return 2;
  }
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
}
