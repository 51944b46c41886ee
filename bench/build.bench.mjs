// Sizes of what ships: the extension bundle, the webview bundles and the .vsix, raw and gzipped
// (gzip is roughly what a download costs). Assumes the production build (scripts/bench.mjs runs it).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../scripts/lib/paths.mjs';

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

function row(label, files) {
  const present = files.filter((file) => existsSync(file));
  if (present.length === 0) {
    return `| ${label} | missing | |`;
  }
  const raw = present.reduce((sum, file) => sum + statSync(file).size, 0);
  const gzip = present.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
  return `| ${label} | ${kib(raw)} | ${kib(gzip)} |`;
}

const webviewDir = join(ROOT, 'dist', 'webview');
const webviewFiles = (ext) =>
  existsSync(webviewDir)
    ? readdirSync(webviewDir)
        .filter((file) => file.endsWith(ext))
        .map((file) => join(webviewDir, file))
    : [];

const rows = [
  row('dist/extension.js (loaded at activation; target ≤ 150 KiB)', [join(ROOT, 'dist', 'extension.js')]),
  row('dist/sandbox.js (loaded on first offline chat)', [join(ROOT, 'dist', 'sandbox.js')]),
  row('dist/conversationTests.js (loaded on first test file, with yaml)', [join(ROOT, 'dist', 'conversationTests.js')]),
  row('dist/webview/*.js', webviewFiles('.js')),
  row('dist/webview/*.css', webviewFiles('.css')),
];

// The .vsix through the project's own script, so this is the size a release has.
const vsix = join(ROOT, 'sarufi-vscode.vsix');
const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
if (packaged.status === 0 && existsSync(vsix)) {
  // A zip is already compressed; its size is what a user downloads.
  rows.push(`| sarufi-vscode.vsix | ${kib(statSync(vsix).size)} | (zip) |`);
} else {
  const reason = `${packaged.stderr}\n${packaged.stdout}`.split('\n').find((line) => /error/i.test(line))?.trim() ?? `exit ${packaged.status}`;
  rows.push(`| sarufi-vscode.vsix | not built: ${reason.replaceAll('|', '\\|')} | |`);
  process.exitCode = 1;
}

console.log('| artifact (production build) | size | gzip -9 |');
console.log('| --- | ---: | ---: |');
for (const line of rows) {
  console.log(line);
}
