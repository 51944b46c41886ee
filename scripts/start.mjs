// `npm start`: builds, then opens VS Code with this extension in development mode on examples/.
// Uses desktop VS Code (`code`) when it is on PATH; otherwise starts code-server on 127.0.0.1
// (port 8080, or a free one) and prints the URL to open, which loads the extension the same way.
// Run `npm run watch` beside it and reload the window (Developer: Reload Window) after a change.
import { spawn, spawnSync } from 'node:child_process';
import { ensureCodeServer, ensureDebianPackages, CODE_SERVER_PACKAGES, SetupError } from './lib/deps.mjs';
import { portOrFree, startCodeServer } from './lib/codeServer.mjs';
import { EXAMPLES_DIR, ROOT } from './lib/paths.mjs';

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const build = spawnSync('npm', ['run', '--silent', 'build:dev'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('start: the build failed');
  process.exit(1);
}

if (onPath('code') && !process.argv.includes('--code-server')) {
  console.log(`start: opening VS Code on ${EXAMPLES_DIR} with the extension in development mode`);
  const child = spawn('code', [`--extensionDevelopmentPath=${ROOT}`, EXAMPLES_DIR], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  try {
    // Only what code-server needs; the browser is the user's own.
    ensureDebianPackages(CODE_SERVER_PACKAGES);
    ensureCodeServer();
  } catch (error) {
    if (!(error instanceof SetupError)) {
      throw error;
    }
    console.error(`start: ${error.message}`);
    process.exit(1);
  }
  const server = await startCodeServer({ port: await portOrFree(8080), folder: EXAMPLES_DIR, install: false, gallery: true });
  console.log('\nVS Code (code-server) with Sarufi in development mode is ready. Open:\n');
  console.log(`  ${server.workbenchUrl({ extensionDevelopmentPath: ROOT })}\n`);
  console.log('It listens on 127.0.0.1 only, with a fresh profile. Ctrl+C stops it.');
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Keeps the process alive until a signal arrives.
  setInterval(() => undefined, 1 << 30);
}
