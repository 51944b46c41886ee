// The entry VS Code's extension host loads as `extensionTestsPath` and whose run() it awaits: it
// runs every compiled suite under ./suite/ with mocha, inside the host, with the real `vscode` API.
// Built by scripts/run-vscode-tests.mjs into out/test/vscode/; mocha stays external and is
// required from the project's node_modules (its file loader does not survive bundling).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** What run() writes to $SARUFI_TEST_RESULT_FILE, for the runner's closing line. */
export interface RunResult {
  passes: number;
  failures: number;
  pending: number;
}

export async function run(): Promise<void> {
  // The web workbench forwards the host's console and its own log through one channel; the
  // runner sets a tag so it can print the test output and keep the workbench's chatter aside.
  const tag = process.env.SARUFI_TEST_OUTPUT_TAG ?? '';
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => console.log(tag + format(...data));
  let result: RunResult;
  try {
    result = await runSuites();
  } catch (error) {
    // Otherwise only the workbench's log would say why, and the runner keeps that aside.
    console.log(tag + format('vscode test run failed: %s', error instanceof Error ? (error.stack ?? error.message) : error));
    throw error;
  }
  // Mocha has printed the failures; this only makes the host report a failed run.
  if (result.failures > 0) {
    throw new Error(`${result.failures} of ${result.passes + result.failures} tests failed`);
  }
}

async function runSuites(): Promise<RunResult> {
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 30_000 });
  const grep = process.env.SARUFI_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  const suiteDir = join(__dirname, 'suite');
  const files = readdirSync(suiteDir)
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) {
    mocha.addFile(join(suiteDir, file));
  }

  const result = await new Promise<RunResult>((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const stats = runner.stats;
        resolve({ passes: stats?.passes ?? 0, failures: stats?.failures ?? 0, pending: stats?.pending ?? 0 });
      });
    } catch (error) {
      // A suite that throws while loading ends up here, before any test ran.
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });

  const resultFile = process.env.SARUFI_TEST_RESULT_FILE;
  if (resultFile) {
    writeFileSync(resultFile, JSON.stringify(result));
  }
  if (result.passes + result.failures === 0) {
    throw new Error(`no test ran (suites found: ${files.join(', ') || 'none'}${grep ? `, grep: ${grep}` : ''})`);
  }
  return result;
}
