// The extension's activation time in a real VS Code (code-server 4.100.3, VS Code 1.100.3): the
// time from `getExtension().activate()` to its promise resolving (loading dist/extension.js and
// running activate()), measured inside the extension host, each run in a fresh code-server and
// workbench; beside it, timed the same way in the same run, an empty extension whose activate()
// is one line, so the figure is read against what VS Code itself costs. Prints the medians of 5
// runs each; the target is at most 2x the empty one. The workbench opens an empty folder: examples/ holds
// flow files, whose `workspaceContains` activation event would activate the extension at startup,
// before the bench could time it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../scripts/lib/chromium.mjs';
import { exposeAutomationHooks, startCodeServer } from '../scripts/lib/codeServer.mjs';
import { ensureCodeServer } from '../scripts/lib/deps.mjs';
import { ROOT } from '../scripts/lib/paths.mjs';
import { buildForExtensionHost } from './extensionHostBuild.mjs';

const RUNS = 5;
const entry = join(ROOT, 'out', 'bench', 'activationEntry.js');

await buildForExtensionHost(join(ROOT, 'bench', 'activationEntry.ts'), entry);
ensureCodeServer();

const workDir = mkdtempSync(join(tmpdir(), 'sarufi-bench-'));
const resultFile = join(workDir, 'result.json');
const emptyFolder = join(workDir, 'empty-workspace');
// The extension host inherits code-server's environment.
process.env.SARUFI_BENCH_RESULT_FILE = resultFile;

// The peer: a one-line extension, activated by the same entry under its own id.
const emptyExtension = join(workDir, 'empty-extension');
mkdirSync(emptyExtension, { recursive: true });
writeFileSync(
  join(emptyExtension, 'package.json'),
  JSON.stringify({ name: 'empty', publisher: 'bench', version: '0.0.1', engines: { vscode: '^1.100.0' }, main: './extension.js', activationEvents: [] }),
);
writeFileSync(join(emptyExtension, 'extension.js'), 'exports.activate = () => undefined;\n');
const subjects = [
  { name: 'Sarufi', path: ROOT, id: 'sarufi-community.sarufi-vscode', samples: [] },
  { name: 'empty extension', path: emptyExtension, id: 'bench.empty', samples: [] },
];

const browser = await launchChromium();
try {
  // Alternating, so a busy moment of the machine falls on both alike.
  for (let i = 0; i < RUNS * subjects.length; i++) {
    const subject = subjects[i % subjects.length];
    process.env.SARUFI_BENCH_EXTENSION_ID = subject.id;
    rmSync(resultFile, { force: true });
    const server = await startCodeServer({ folder: emptyFolder, install: false });
    const page = await browser.newPage();
    try {
      const { exit } = await exposeAutomationHooks(page, { onLog: () => undefined });
      await page.goto(server.workbenchUrl({ extensionDevelopmentPath: subject.path, extensionTestsPath: entry }));
      let timer;
      const code = await Promise.race([exit, new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), 120_000)))]).finally(
        // A pending timer would keep the bench alive for two minutes after its table.
        () => clearTimeout(timer),
      );
      if (code !== 0) {
        throw new Error(`run ${i + 1}: the workbench ended with ${code}`);
      }
      const { ms, wasActive } = JSON.parse(readFileSync(resultFile, 'utf8'));
      if (wasActive) {
        // Something activated it eagerly (`*`, onStartupFinished): that is a finding, not a figure.
        throw new Error('the extension was already active in an empty workspace before the bench activated it');
      }
      subject.samples.push(ms);
    } finally {
      await page.close();
      await server.stop();
    }
  }
} finally {
  await browser.close();
  rmSync(workDir, { recursive: true, force: true });
}

const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const [sarufi, empty] = subjects.map((subject) => median(subject.samples));
console.log('| activation in an empty workspace (VS Code 1.100.3 via code-server, production build) | Sarufi | empty extension | ratio (target ≤ 2x) |');
console.log('| --- | ---: | ---: | ---: |');
console.log(`| median of ${RUNS} fresh workbenches | ${sarufi.toFixed(0)} ms | ${empty.toFixed(0)} ms | ${(sarufi / empty).toFixed(2)}x |`);
console.log(`| runs | ${subjects[0].samples.map((ms) => ms.toFixed(0)).join(', ')} ms | ${subjects[1].samples.map((ms) => ms.toFixed(0)).join(', ')} ms | |`);
