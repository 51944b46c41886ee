// The extension's activation time in a real VS Code (code-server 4.100.3, VS Code 1.100.3): the
// time from `getExtension().activate()` to its promise resolving (loading dist/extension.js and
// running activate()), measured inside the extension host, each run in a fresh code-server and
// workbench. Prints the median of 5 runs. The workbench opens an empty folder: examples/ holds
// flow files, whose `workspaceContains` activation event would activate the extension at startup,
// before the bench could time it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { launchChromium } from '../scripts/lib/chromium.mjs';
import { exposeAutomationHooks, startCodeServer } from '../scripts/lib/codeServer.mjs';
import { ensureCodeServer } from '../scripts/lib/deps.mjs';
import { ROOT } from '../scripts/lib/paths.mjs';

const RUNS = 5;
const entry = join(ROOT, 'out', 'bench', 'activationEntry.js');

await esbuild.build({
  entryPoints: [join(ROOT, 'bench', 'activationEntry.ts')],
  outfile: entry,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  logLevel: 'warning',
});
ensureCodeServer();

const workDir = mkdtempSync(join(tmpdir(), 'sarufi-bench-'));
const resultFile = join(workDir, 'result.json');
const emptyFolder = join(workDir, 'empty-workspace');
// The extension host inherits code-server's environment.
process.env.SARUFI_BENCH_RESULT_FILE = resultFile;

const samples = [];
const browser = await launchChromium();
try {
  for (let i = 0; i < RUNS; i++) {
    rmSync(resultFile, { force: true });
    const server = await startCodeServer({ folder: emptyFolder, install: false });
    const page = await browser.newPage();
    try {
      const { exit } = await exposeAutomationHooks(page, { onLog: () => undefined });
      await page.goto(server.workbenchUrl({ extensionDevelopmentPath: ROOT, extensionTestsPath: entry }));
      const code = await Promise.race([exit, new Promise((resolve) => setTimeout(() => resolve('timeout'), 120_000))]);
      if (code !== 0) {
        throw new Error(`run ${i + 1}: the workbench ended with ${code}`);
      }
      const { ms, wasActive } = JSON.parse(readFileSync(resultFile, 'utf8'));
      if (wasActive) {
        // Something activated it eagerly (`*`, onStartupFinished): that is a finding, not a figure.
        throw new Error('the extension was already active in an empty workspace before the bench activated it');
      }
      samples.push(ms);
    } finally {
      await page.close();
      await server.stop();
    }
  }
} finally {
  await browser.close();
  rmSync(workDir, { recursive: true, force: true });
}

const sorted = [...samples].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log('| activation in an empty workspace (VS Code 1.100.3 via code-server, production build) | value |');
console.log('| --- | ---: |');
console.log(`| activation, median of ${RUNS} fresh workbenches | ${median.toFixed(0)} ms |`);
console.log(`| min / max | ${sorted[0].toFixed(0)} / ${sorted[sorted.length - 1].toFixed(0)} ms |`);
console.log(`| runs | ${samples.map((ms) => ms.toFixed(0)).join(', ')} ms |`);
