// The .vsix holds exactly what the extension needs at run time (the allow-list in .vscodeignore):
// no sources, no source maps, no tests, no node_modules, nothing of the CLI's npm package (whose
// own contents test/unit/cliPackage.test.ts checks).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from '../../scripts/lib/paths.mjs';

/** Where `npm run package` writes the package (git-ignored). */
const VSIX = join(ROOT, 'sarufi-vscode.vsix');
const WEBVIEW_DIST = join(ROOT, 'dist', 'webview');

/** Files every package holds whatever the webview bundles are; vsce renames the documents. */
const FIXED_ENTRIES = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/dist/conversationTests.js',
  'extension/dist/extension.js',
  'extension/dist/fileWriters.js',
  'extension/dist/flow.schema.json',
  'extension/dist/flowDebugAdapter.js',
  'extension/dist/flowEditing.js',
  'extension/dist/flowGraph.js',
  'extension/dist/flowLanguage.js',
  'extension/dist/regexSafety.js',
  'extension/dist/remoteFlows.js',
  'extension/dist/sandbox-debug.js',
  'extension/dist/sandbox-regex.js',
  'extension/dist/sandbox-turns.js',
  'extension/dist/sandbox.js',
  'extension/dist/sarufi-test.schema.json',
  'extension/dist/v1Conversion.js',
  'extension/media/icon.png',
  'extension/media/sarufi.svg',
  'extension/media/walkthrough/open-flow.md',
  'extension/media/walkthrough/preview-flow.md',
  'extension/media/walkthrough/run-tests.md',
  'extension/media/walkthrough/start-chat.md',
  'extension/package.json',
  'extension/readme.md',
];

let entries: string[];
/** A map file put into dist/webview/ when the build left none, so the map rule is always exercised. */
let placedMap: string | undefined;

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'extension.js')), 'dist/extension.js is missing: run `npm run build` first');
  if (!walk(WEBVIEW_DIST).some((file) => file.endsWith('.map'))) {
    placedMap = join(WEBVIEW_DIST, `package-test-${process.pid}.js.map`);
    writeFileSync(placedMap, '{}');
  }
  rmSync(VSIX, { force: true });
  // The project's own script (production build, then vsce), so the test packs what a release packs.
  try {
    await promisify(execFile)('npm', ['run', '--silent', 'package'], { cwd: ROOT });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const reason = `${stderr}\n${stdout}`.split('\n').find((line) => /error/i.test(line)) ?? (error as Error).message;
    throw new Error(`npm run package failed: ${reason.trim()}`);
  }
  entries = listZip(readFileSync(VSIX)).sort();
});

after(() => {
  if (placedMap) {
    rmSync(placedMap, { force: true });
  }
});

test('the package holds exactly the bundles, the manifest, the documents and the two icons', () => {
  const webviewFiles = walk(WEBVIEW_DIST)
    .filter((file) => !file.endsWith('.map'))
    .map((file) => `extension/dist/webview/${relative(WEBVIEW_DIST, file).split('\\').join('/')}`);
  assert.ok(webviewFiles.includes('extension/dist/webview/chat.js'), 'dist/webview/chat.js is built');
  assert.ok(webviewFiles.includes('extension/dist/webview/chat.css'), 'dist/webview/chat.css is built');
  assert.deepEqual(entries, [...FIXED_ENTRIES, ...webviewFiles].sort());
});

test('source maps in dist/ stay out of the package', () => {
  assert.deepEqual(
    entries.filter((entry) => entry.endsWith('.map')),
    [],
  );
});

test('the icons that package.json names are in the package', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    icon: string;
    contributes: { viewsContainers?: { activitybar?: { icon: string }[] } };
  };
  const named = [manifest.icon, ...(manifest.contributes.viewsContainers?.activitybar ?? []).map((container) => container.icon)];
  for (const icon of named) {
    assert.ok(entries.includes(`extension/${icon}`), `${icon} is named in package.json but not packaged`);
  }
});

test('nothing of the CLI package is in it: no cli-package/, no dist-cli/, no tarball, no sarufi-test bundle', () => {
  assert.deepEqual(
    entries.filter((entry) => /^extension\/(cli-package|dist-cli)\/|\.tgz$|sarufi-test\.js$/.test(entry)),
    [],
  );
});

test('dist/extension.js is at most 150 KiB: yaml, the sandbox, the test runner and the flow-editing code are not in it', () => {
  const bytes = statSync(join(ROOT, 'dist', 'extension.js')).size;
  assert.ok(bytes <= 150 * 1024, `dist/extension.js is ${(bytes / 1024).toFixed(1)} KiB`);
});

test('every bundle that dist/extension.js loads on first use, or that those load in turn, is in the package', () => {
  const requires = (bundle: string): string[] => [...readFileSync(join(ROOT, 'dist', bundle), 'utf8').matchAll(/require\("\.\/([\w-]+\.js)"\)/g)].map((match) => match[1] ?? '');
  const direct = [...new Set(requires('extension.js'))].sort();
  assert.deepEqual(direct, ['conversationTests.js', 'fileWriters.js', 'flowEditing.js', 'flowGraph.js', 'flowLanguage.js', 'regexSafety.js', 'remoteFlows.js']);
  const loaded = new Set(direct);
  for (const bundle of loaded) {
    requires(bundle).forEach((next) => loaded.add(next));
  }
  for (const bundle of loaded) {
    assert.ok(entries.includes(`extension/dist/${bundle}`), `${bundle} is loaded by the extension but not packaged`);
  }
});

test("the flow debugger's worker and its stdio adapter for other editors are in the package", () => {
  for (const bundle of ['extension/dist/sandbox-debug.js', 'extension/dist/flowDebugAdapter.js']) {
    assert.ok(entries.includes(bundle), `${bundle} is not packaged`);
  }
});

function walk(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Names of the entries of a zip archive, read from its central directory. */
function listZip(zip: Buffer): string[] {
  const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  const CENTRAL_FILE_HEADER = 0x02014b50;
  // The end record is 22 bytes plus a comment of at most 64 KiB, so search backwards from the end.
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) {
    end--;
  }
  assert.ok(end >= 0, 'not a zip archive: no end-of-central-directory record');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), CENTRAL_FILE_HEADER, 'corrupt central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

test("the Get Started walkthrough's steps are a flow, a chat, a preview and the tests, each with its page packaged and a Sarufi command that is contributed", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string }[]; walkthroughs: { steps: { id: string; description: string; media: { markdown: string } }[] }[] };
  };
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.ok(walkthrough);
  assert.deepEqual(walkthrough.steps.map((step) => step.id), ['openFlow', 'startChat', 'previewFlow', 'runTests']);
  const contributed = new Set(manifest.contributes.commands.map((entry) => entry.command));
  for (const step of walkthrough.steps) {
    assert.ok(entries.includes(`extension/${step.media.markdown}`), `${step.media.markdown} is packaged`);
    for (const [, command] of step.description.matchAll(/\(command:(sarufi\.[\w.]+)/g)) {
      assert.ok(contributed.has(command ?? ''), `${step.id} runs ${command}, which package.json contributes`);
    }
  }
});
