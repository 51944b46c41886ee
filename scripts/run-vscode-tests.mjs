// Runs the mocha suites of test/vscode/suite/ inside the extension host of a real VS Code.
//   node scripts/run-vscode-tests.mjs [--host code-server|electron] [--grep PATTERN] [--timeout SECONDS]
// code-server (the default, what CI uses) works offline: VS Code 1.100.3 from npm, its workbench
// opened in Debian's Chromium. electron goes through @vscode/test-electron, which downloads VS Code
// desktop unless VSCODE_EXECUTABLE_PATH names one.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { launchChromium } from './lib/chromium.mjs';
import { exposeAutomationHooks, startCodeServer } from './lib/codeServer.mjs';
import { EXAMPLES_DIR, ROOT, TEST_RESULTS_DIR } from './lib/paths.mjs';

const OUT_DIR = join(ROOT, 'out', 'test', 'vscode');
const ENTRY = join(OUT_DIR, 'index.js');
const TAG = '\u2063sarufi-test\u2063';

const { values: options } = parseArgs({
  options: {
    host: { type: 'string', default: 'code-server' },
    grep: { type: 'string' },
    timeout: { type: 'string', default: '300' },
  },
});

/** Compiles the entry and each suite to its own CJS file; `vscode` comes from the host, mocha from node_modules. */
async function buildTests() {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const suiteDir = join(ROOT, 'test', 'vscode', 'suite');
  const suites = readdirSync(suiteDir)
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => join(suiteDir, file));
  await esbuild.build({
    entryPoints: [join(ROOT, 'test', 'vscode', 'index.ts'), ...suites],
    outbase: join(ROOT, 'test', 'vscode'),
    outdir: OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return suites.length;
}

/** Prints the run's closing line and returns the exit code. */
function finish(label, resultFile, exitCode, reason) {
  let result;
  try {
    result = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch {
    // No result file: the entry never ran to the end.
  }
  if (!result) {
    console.log(`vscode (${label}): could not run: ${reason ?? `exit code ${exitCode}, no result written`}`);
    console.log('0 passed, 1 failed');
    return exitCode === 0 ? 1 : exitCode;
  }
  console.log(`${result.passes} passed, ${result.failures} failed${result.pending ? `, ${result.pending} skipped` : ''}`);
  return exitCode === 0 && result.failures > 0 ? 1 : exitCode;
}

async function runInCodeServer(resultFile, timeoutSeconds) {
  mkdirSync(TEST_RESULTS_DIR, { recursive: true });
  const logPath = join(TEST_RESULTS_DIR, 'vscode-code-server.log');
  const workbenchLog = [];
  let server;
  let browser;
  try {
    server = await startCodeServer({ folder: EXAMPLES_DIR });
    browser = await launchChromium();
    const page = await browser.newPage();
    const { exit } = await exposeAutomationHooks(page, {
      onLog: (type, args) => {
        const line = format(...(Array.isArray(args) ? args : [args]));
        if (line.startsWith(TAG)) {
          console.log(line.slice(TAG.length));
        } else {
          workbenchLog.push(`[${type}] ${line}`);
        }
      },
    });
    page.on('pageerror', (error) => workbenchLog.push(`[pageerror] ${error.message}`));
    await page.goto(server.workbenchUrl({ extensionDevelopmentPath: ROOT, extensionTestsPath: ENTRY }));
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000);
    });
    const code = await Promise.race([exit, timedOut]);
    clearTimeout(timer);
    if (code === 'timeout') {
      await page.screenshot({ path: join(TEST_RESULTS_DIR, 'vscode-code-server-timeout.png') }).catch(() => undefined);
      printErrors(workbenchLog);
      return { code: 1, reason: `no result from the workbench within ${timeoutSeconds} s (see ${logPath})` };
    }
    if (code !== 0) {
      printErrors(workbenchLog);
    }
    return { code };
  } catch (error) {
    return { code: 1, reason: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  } finally {
    await browser?.close();
    if (server) {
      workbenchLog.push('--- code-server log (tail) ---', server.logTail());
      await server.stop();
    }
    writeFileSync(logPath, `${workbenchLog.join('\n')}\n`);
  }
}

/** The workbench's last error lines: where a test entry that fails to load says why. */
function printErrors(workbenchLog) {
  const errors = workbenchLog.filter((line) => line.startsWith('[error]') || line.startsWith('[pageerror]')).slice(-10);
  if (errors.length > 0) {
    console.log('last errors the workbench logged:');
    for (const line of errors) {
      console.log(`  ${line.split('\n')[0]}`);
    }
  }
}

async function runInElectron(resultFile) {
  const { runTests } = await import('@vscode/test-electron');
  const userDataDir = mkdtempSync(join(tmpdir(), 'sarufi-vscode-electron-'));
  try {
    await runTests({
      version: '1.100.3',
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: ENTRY,
      launchArgs: [EXAMPLES_DIR, '--disable-extensions', `--user-data-dir=${userDataDir}`],
      extensionTestsEnv: { SARUFI_TEST_RESULT_FILE: resultFile },
    });
    return { code: 0 };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { code: 1, reason: existsSync(resultFile) ? undefined : message };
  } finally {
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

async function main() {
  const host = options.host;
  if (host !== 'code-server' && host !== 'electron') {
    console.error(`unknown --host ${host}: use code-server or electron`);
    return 2;
  }
  const timeoutSeconds = Number(options.timeout);
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    console.log(`vscode (${host}): could not run: dist/extension.js is missing; run \`npm run build\` first`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const resultDir = mkdtempSync(join(tmpdir(), 'sarufi-vscode-result-'));
  const resultFile = join(resultDir, 'result.json');
  // The extension host inherits code-server's environment, which inherits this one.
  process.env.SARUFI_TEST_RESULT_FILE = resultFile;
  if (options.grep) {
    process.env.SARUFI_TEST_GREP = options.grep;
  }
  try {
    try {
      const count = await buildTests();
      if (count === 0) {
        throw new Error('no suite under test/vscode/suite/');
      }
    } catch (error) {
      return finish(host, resultFile, 1, `could not build the suites: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
    }
    if (host === 'code-server') {
      process.env.SARUFI_TEST_OUTPUT_TAG = TAG;
      const { code, reason } = await runInCodeServer(resultFile, timeoutSeconds);
      return finish(host, resultFile, code, reason);
    }
    const { code, reason } = await runInElectron(resultFile);
    return finish(host, resultFile, code, reason);
  } finally {
    rmSync(resultDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
