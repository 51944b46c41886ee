// `npm test`: builds, type-checks and lints, then runs the four test layers in order and closes
// with one line, `N passed, N failed`, summed over the layers. Exits non-zero when anything failed
// or a layer could not run.
//   unit     node --test over test/unit/**/*.test.ts (plain Node, no editor)
//   webview  node --test over test/webview/*.test.ts (the chat page in Debian's Chromium)
//   vscode   mocha suites of test/vscode/suite/ inside a real VS Code extension host (code-server)
//   e2e      node --test over test/e2e/*.test.ts (VS Code's UI driven by Playwright)
// Options:
//   --layer unit,webview   run only these layers (the build and the checks still run)
//   --skip-build           use dist/ as it is
//   --skip-checks          no typecheck and lint
//   --keep-going           run the layers even when the build or the checks failed
//   --host electron        the host for the vscode layer (default code-server)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { BROWSER_PACKAGES, CODE_SERVER_PACKAGES, ensureCodeServer, ensureDebianPackages, SetupError } from './lib/deps.mjs';
import { ROOT } from './lib/paths.mjs';

const LAYERS = ['unit', 'webview', 'vscode', 'e2e'];
const MINUTE = 60_000;

const { values: options } = parseArgs({
  options: {
    layer: { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    'skip-checks': { type: 'boolean', default: false },
    'keep-going': { type: 'boolean', default: false },
    host: { type: 'string', default: 'code-server' },
  },
});

const selected = options.layer ? options.layer.split(',').map((name) => name.trim()) : LAYERS;
for (const name of selected) {
  if (!LAYERS.includes(name)) {
    console.error(`unknown layer "${name}": choose from ${LAYERS.join(', ')}`);
    process.exit(2);
  }
}

/** One line per step and layer for the closing table. */
const summary = [];
let passed = 0;
let failed = 0;

function heading(text) {
  console.log(`\n=== ${text} ${'='.repeat(Math.max(3, 76 - text.length))}`);
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** The process group of the step running now, ended with this script on Ctrl+C. */
let currentGroup;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (currentGroup !== undefined) {
      try {
        process.kill(-currentGroup, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    process.exit(130);
  });
}

/**
 * Runs a command with its output shown as it comes and also kept, to read the counts from.
 * Resolves with the exit code (or the reason it did not finish in time) and the output.
 */
function run(command, args, { timeoutMs = 10 * MINUTE, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that a timeout also ends what it started (browsers, servers).
      detached: true,
    });
    currentGroup = child.pid;
    let output = '';
    const keep = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', keep(process.stdout));
    child.stderr.on('data', keep(process.stderr));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 1, output, reason: `${command} could not start: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      currentGroup = undefined;
      const reason = timedOut ? `did not finish within ${timeoutMs / MINUTE} min` : undefined;
      resolve({ code: code ?? (signal ? 1 : 0), output, reason });
    });
  });
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Counts from node --test's spec reporter summary (`ℹ pass 3`, `ℹ fail 0`, `ℹ cancelled 0`). */
function nodeTestCounts(output) {
  const text = output.replace(ANSI, '');
  const count = (name) => {
    const matches = [...text.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))];
    return matches.length > 0 ? Number(matches[matches.length - 1][1]) : undefined;
  };
  const pass = count('pass');
  const fail = count('fail');
  if (pass === undefined || fail === undefined) {
    return undefined;
  }
  return { passed: pass, failed: fail + (count('cancelled') ?? 0) };
}

/** Counts from the closing `N passed, N failed` line of scripts/run-vscode-tests.mjs. */
function plainCounts(output) {
  const matches = [...output.replace(ANSI, '').matchAll(/^(\d+) passed, (\d+) failed/gm)];
  const last = matches[matches.length - 1];
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
}

function record(name, result, started) {
  passed += result.passed;
  failed += result.failed;
  const note = result.note ? `  (${result.note})` : '';
  summary.push(`${name.padEnd(8)} ${`${result.passed} passed, ${result.failed} failed`.padEnd(24)} ${seconds(started).padStart(8)}${note}`);
}

/** A layer that could not run counts as one failure, so the closing line can never look green. */
function couldNotRun(name, reason, started) {
  console.log(`${name}: could not run: ${reason}`);
  record(name, { passed: 0, failed: 1, note: `could not run: ${reason}` }, started);
}

function findTests(dir, recursive) {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        return recursive ? findTests(path, true) : [];
      }
      return entry.name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

async function nodeTestLayer(name, files, timeoutMs) {
  heading(`${name}: ${files.length} file(s)`);
  const started = Date.now();
  if (files.length === 0) {
    couldNotRun(name, 'no test files found', started);
    return;
  }
  const { code, output, reason } = await run(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=120000', ...files.map((file) => relative(ROOT, file))],
    { timeoutMs },
  );
  const counts = nodeTestCounts(output);
  if (reason || !counts) {
    couldNotRun(name, reason ?? `exit code ${code} and no test summary`, started);
  } else if (code !== 0 && counts.failed === 0) {
    record(name, { ...counts, failed: 1, note: `exit code ${code}` }, started);
  } else {
    record(name, counts, started);
  }
}

async function vscodeLayer(timeoutMs) {
  heading(`vscode: suites in a real VS Code extension host (${options.host})`);
  const started = Date.now();
  const { code, output, reason } = await run(process.execPath, ['scripts/run-vscode-tests.mjs', '--host', options.host], { timeoutMs });
  const counts = plainCounts(output);
  if (reason || !counts) {
    couldNotRun('vscode', reason ?? `exit code ${code} and no test summary`, started);
  } else if (code !== 0 && counts.failed === 0) {
    record('vscode', { ...counts, failed: 1, note: `exit code ${code}` }, started);
  } else {
    record('vscode', counts, started);
  }
}

/** Runs one npm script as a step; returns whether it passed. */
async function step(name, script) {
  heading(name);
  const started = Date.now();
  const { code, reason } = await run('npm', ['run', '--silent', script], { timeoutMs: 10 * MINUTE });
  const ok = code === 0 && !reason;
  summary.push(`${name.padEnd(8)} ${(ok ? 'ok' : `FAILED${reason ? `: ${reason}` : ''}`).padEnd(24)} ${seconds(started).padStart(8)}`);
  if (!ok) {
    failed += 1;
  }
  return ok;
}

/** Installs the browser and code-server when a selected layer needs them; returns why not, if not. */
function setup() {
  const needsBrowser = selected.some((name) => name !== 'unit');
  const needsCodeServer = selected.includes('e2e') || (selected.includes('vscode') && options.host === 'code-server');
  const missing = {};
  if (!needsBrowser) {
    return missing;
  }
  heading('setup');
  const started = Date.now();
  try {
    ensureDebianPackages(needsCodeServer ? [...BROWSER_PACKAGES, ...CODE_SERVER_PACKAGES] : BROWSER_PACKAGES);
  } catch (error) {
    if (!(error instanceof SetupError)) {
      throw error;
    }
    missing.browser = error.message;
    missing.codeServer = error.message;
  }
  if (needsCodeServer && !missing.codeServer) {
    try {
      ensureCodeServer();
    } catch (error) {
      if (!(error instanceof SetupError)) {
        throw error;
      }
      missing.codeServer = error.message;
    }
  }
  const problems = [...new Set(Object.values(missing))];
  console.log(problems.length === 0 ? `setup: ready (${seconds(started)})` : `setup: ${problems.join('; ')}`);
  return missing;
}

function finish() {
  heading('summary');
  for (const line of summary) {
    console.log(line);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

async function main() {
  const totalStarted = Date.now();
  const missing = setup();

  // The production bundle, so every layer tests what ships (and the package test packs it).
  const built = options['skip-build'] ? true : await step('build', 'build');
  let checked = true;
  if (!options['skip-checks']) {
    checked = (await step('typecheck', 'typecheck')) && checked;
    checked = (await step('lint', 'lint')) && checked;
  }
  if ((!built || !checked) && !options['keep-going']) {
    console.log(`\n${!built ? 'the build' : 'typecheck or lint'} failed: no test layer ran (use --keep-going to run them anyway)`);
    finish();
    return;
  }

  for (const name of selected) {
    const started = Date.now();
    if (name === 'unit') {
      await nodeTestLayer('unit', findTests(join(ROOT, 'test', 'unit'), true), 10 * MINUTE);
    } else if (name === 'webview') {
      if (missing.browser) {
        couldNotRun('webview', missing.browser, started);
      } else {
        await nodeTestLayer('webview', findTests(join(ROOT, 'test', 'webview'), false), 10 * MINUTE);
      }
    } else if (name === 'vscode') {
      if (options.host === 'code-server' && (missing.codeServer || missing.browser)) {
        couldNotRun('vscode', missing.codeServer ?? missing.browser, started);
      } else {
        await vscodeLayer(10 * MINUTE);
      }
    } else if (name === 'e2e') {
      if (missing.codeServer || missing.browser) {
        couldNotRun('e2e', missing.codeServer ?? missing.browser, started);
      } else {
        await nodeTestLayer('e2e', findTests(join(ROOT, 'test', 'e2e'), false), 10 * MINUTE);
      }
    }
  }
  summary.push(`${'total'.padEnd(8)} ${''.padEnd(24)} ${seconds(totalStarted).padStart(8)}`);
  finish();
}

await main();
