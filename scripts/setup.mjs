// Installs what the browser and VS Code tests need beyond `npm ci`: Debian's chromium,
// libkrb5-dev and ripgrep (apt-get, as root), then code-server into .vscode-test/code-server/.
// test.mjs and start.mjs call the same functions; run this alone to prepare a machine.
//   node scripts/setup.mjs            everything
//   node scripts/setup.mjs --browser  only Chromium
import { BROWSER_PACKAGES, CODE_SERVER_PACKAGES, ensureCodeServer, ensureDebianPackages, SetupError } from './lib/deps.mjs';

try {
  if (process.argv.includes('--browser')) {
    ensureDebianPackages(BROWSER_PACKAGES);
  } else {
    ensureDebianPackages([...BROWSER_PACKAGES, ...CODE_SERVER_PACKAGES]);
    ensureCodeServer();
  }
  console.log('setup: ready');
} catch (error) {
  if (!(error instanceof SetupError)) {
    throw error;
  }
  console.error(`setup: ${error.message}`);
  process.exitCode = 1;
}
