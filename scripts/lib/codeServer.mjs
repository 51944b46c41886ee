// Starts and stops code-server (VS Code 1.100.3's server and web workbench) on loopback for the
// integration tests, the end-to-end tests, the activation bench and `npm start`: VS Code desktop
// cannot be downloaded here, code-server installs from npm.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CODE_SERVER_ENTRY, ensureCodeServer } from './deps.mjs';
import { EXAMPLES_DIR } from './paths.mjs';

/** Without these a workspace-trust dialog and a welcome page cover the workbench. */
export const WORKBENCH_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  // The project's own git repository sits above examples/; VS Code would offer to open it.
  'git.openRepositoryInParentFolders': 'never',
};

const HOST = '127.0.0.1';

/** Asks the OS for a free loopback port (code-server does not report the port it got for `:0`). */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves to `preferred` when it is free, otherwise to any free port. */
export async function portOrFree(preferred) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(freePort()));
    server.listen(preferred, HOST, () => server.close(() => resolve(preferred)));
  });
}

/**
 * Starts code-server with a fresh user-data-dir, extensions dir and config in a temporary folder,
 * and waits until it answers. `stop()` ends it (its whole process group) and removes the folder.
 * `settings` are added to the user settings; `gallery: true` keeps the extension marketplace (for
 * `npm start`).
 */
export async function startCodeServer({ port, folder = EXAMPLES_DIR, install = true, gallery = false, settings = {} } = {}) {
  if (install) {
    ensureCodeServer();
  }
  // The folder may not exist yet: git keeps no empty folder, and the bench opens a new empty one.
  mkdirSync(folder, { recursive: true });
  const chosenPort = port ?? (await freePort());
  const home = mkdtempSync(join(tmpdir(), 'sarufi-code-server-'));
  const userDataDir = join(home, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify({ ...WORKBENCH_SETTINGS, ...settings }, null, 2)}\n`);
  const logFile = join(home, 'code-server.log');
  const out = openSync(logFile, 'a');

  const env = {
    // Variables of a VS Code that started this script would make code-server talk to that one instead.
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VSCODE_') || key === 'VSCODE_EXECUTABLE_PATH')),
    // code-server writes its config and logs under these; keep them in the temporary folder.
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    // Without a gallery the workbench does not query open-vsx.org, which tests cannot reach anyway
    // and whose failure would only add errors to the log.
    ...(gallery ? {} : { EXTENSIONS_GALLERY: '{}' }),
  };
  const args = [
    CODE_SERVER_ENTRY,
    '--auth', 'none',
    '--bind-addr', `${HOST}:${chosenPort}`,
    '--config', join(home, 'config.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', join(home, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    folder,
  ];
  // In the caller's process group, so that whoever ends that group (test.mjs on a timeout, Ctrl+C in
  // a terminal) ends code-server too; code-server ends its extension hosts itself on SIGTERM.
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', out, out] });
  // The child holds its own copy of the descriptor.
  closeSync(out);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const signal = (name) => {
    try {
      child.kill(name);
    } catch {
      // Already gone.
    }
  };
  // A caller that exits without stop() (an uncaught error) must not leave a server behind.
  const onExit = () => signal('SIGTERM');
  process.once('exit', onExit);

  const origin = `http://${HOST}:${chosenPort}`;
  const logTail = () => readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');

  const stop = async () => {
    process.off('exit', onExit);
    if (!exited) {
      signal('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) {
        await delay(100);
      }
      if (!exited) {
        signal('SIGKILL');
      }
    }
    rmSync(home, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const tail = logTail();
      await stop();
      throw new Error(`code-server exited before answering:\n${tail}`);
    }
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) {
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      const tail = logTail();
      await stop();
      throw new Error(`code-server did not answer on ${origin} within 60 s:\n${tail}`);
    }
    await delay(200);
  }

  return {
    origin,
    port: chosenPort,
    userDataDir,
    logFile,
    logTail,
    stop,
    /** The workbench on `folder`, with the extension and its tests loaded as VS Code's CLI flags would. */
    workbenchUrl({ folder: open = folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
      const payload = [];
      if (extensionDevelopmentPath) {
        payload.push(['extensionDevelopmentPath', remoteUri(chosenPort, extensionDevelopmentPath)]);
      }
      if (extensionTestsPath) {
        payload.push(['extensionTestsPath', remoteUri(chosenPort, extensionTestsPath)]);
      }
      const query = new URLSearchParams({ folder: open });
      if (payload.length > 0) {
        query.set('payload', JSON.stringify(payload));
      }
      return `${origin}/?${query.toString()}`;
    },
  };
}

/** A path on the code-server machine, as the web workbench names it. */
export function remoteUri(port, absolutePath) {
  return `vscode-remote://${HOST}:${port}${absolutePath}`;
}

/**
 * Before the workbench loads: the hooks through which VS Code's web workbench reports an extension
 * test run (as @vscode/test-web sets them). `exit` resolves with the exit code the run asks for
 * (wrapped in an object: an async function returning the bare promise would wait for it).
 */
export async function exposeAutomationHooks(page, { onLog = defaultLog } = {}) {
  let resolveExit;
  const exit = new Promise((resolve) => {
    resolveExit = resolve;
  });
  await page.exposeFunction('codeAutomationLog', (type, args) => onLog(type, args));
  await page.exposeFunction('codeAutomationExit', (code) => {
    resolveExit(typeof code === 'number' ? code : 1);
  });
  return { exit };
}

function defaultLog(type, args) {
  const line = Array.isArray(args) ? args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ') : String(args);
  if (type === 'error') {
    console.error(line);
  } else {
    console.log(line);
  }
}
