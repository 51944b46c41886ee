// Installs what the tests need from outside npm's dependency tree: Debian packages (Chromium for the
// browser side, the headers and ripgrep that code-server's install needs) and code-server itself.
// Each step does nothing when its target is already there, so every test run can call it.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VSCODE_TEST_DIR } from './paths.mjs';

/** The newest code-server that runs on Node 20 (4.103+ wants Node 22); it ships VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_DIR = join(VSCODE_TEST_DIR, 'code-server');
export const CODE_SERVER_ENTRY = join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Written last by a successful install, so that an interrupted one is redone instead of trusted. */
const CODE_SERVER_MARKER = join(CODE_SERVER_DIR, `installed-${CODE_SERVER_VERSION}`);

/** Debian packages: Chromium for every browser-side test; the other two only for installing code-server. */
export const BROWSER_PACKAGES = ['chromium'];
export const CODE_SERVER_PACKAGES = ['libkrb5-dev', 'ripgrep'];

/** Thrown when something cannot be installed; `message` is the one line to show. */
export class SetupError extends Error {}

function isInstalled(pkg) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) {
    throw new SetupError(`${command} could not run: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new SetupError(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

/** Installs the missing ones of `packages` with apt-get when running as root; otherwise says what to run. */
export function ensureDebianPackages(packages) {
  if (!existsSync('/usr/bin/dpkg-query')) {
    // Not Debian: the caller fails later with its own reason if the program is really missing.
    return;
  }
  const missing = packages.filter((pkg) => !isInstalled(pkg));
  if (missing.length === 0) {
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new SetupError(`missing Debian packages; run: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  console.log(`setup: installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

/**
 * @vscode/ripgrep downloads rg from GitHub during its post-install unless it finds its archive in
 * this cache; GitHub is out of reach here, so the cache gets Debian's rg, packed the way it expects.
 */
function seedRipgrepCache() {
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (!target) {
    throw new SetupError(`no ripgrep archive name known for ${process.arch}`);
  }
  const cacheDir = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = join(cacheDir, `ripgrep-v13.0.0-10-${target}.tar.gz`);
  if (existsSync(archive)) {
    return;
  }
  if (!existsSync('/usr/bin/rg')) {
    throw new SetupError('ripgrep is not installed (/usr/bin/rg missing); run: apt-get install -y ripgrep');
  }
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-staging-'));
  try {
    copyFileSync('/usr/bin/rg', join(staging, 'rg'));
    chmodSync(join(staging, 'rg'), 0o755);
    run('tar', ['-czf', archive, '-C', staging, 'rg']);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Installs code-server into .vscode-test/code-server when it is not there yet; returns its entry script. */
export function ensureCodeServer() {
  if (existsSync(CODE_SERVER_MARKER) && existsSync(CODE_SERVER_ENTRY)) {
    return CODE_SERVER_ENTRY;
  }
  ensureDebianPackages(CODE_SERVER_PACKAGES);
  seedRipgrepCache();
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  // A package.json of its own keeps npm from treating the project as the install root.
  writeFileSync(join(CODE_SERVER_DIR, 'package.json'), `${JSON.stringify({ name: 'code-server-for-tests', private: true }, null, 2)}\n`);
  console.log(`setup: installing code-server@${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (about a minute)`);
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--unsafe-perm', '--no-audit', '--no-fund', '--no-save', '--loglevel=error'], {
    cwd: CODE_SERVER_DIR,
    // A nested `npx node-gyp` in node-pty's post-install would otherwise wait on a prompt nobody answers.
    env: { ...process.env, npm_config_yes: 'true' },
  });
  if (!existsSync(CODE_SERVER_ENTRY)) {
    throw new SetupError(`code-server installed but ${CODE_SERVER_ENTRY} is missing`);
  }
  writeFileSync(CODE_SERVER_MARKER, `${new Date().toISOString()}\n`);
  return CODE_SERVER_ENTRY;
}

/** The version recorded by the install, for messages. */
export function installedCodeServerVersion() {
  const pkg = join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'package.json');
  return existsSync(pkg) ? JSON.parse(readFileSync(pkg, 'utf8')).version : undefined;
}
