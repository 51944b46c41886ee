// `sarufi-sandbox` (the npm package's bin, cli-package/) and `npm run sandbox -- --flows examples
// --port 8787` in a clone: the sandbox outside VS Code, for curl, CI, a custom chat UI and anyone
// who wants to try a flow file from a terminal. Options: cliOptions.ts. With `--ipc` (the only
// argument), it is the process that sandboxProcess.ts forks and drives.
import { ownVersion } from './bundlePaths.js';
import { parseCliArgs, USAGE } from './cliOptions.js';
import { serveOverIpc } from './ipcChild.js';
import type { SandboxOptions } from './server.js';
import { startSandbox } from './server.js';

async function main(): Promise<void> {
  if (process.argv.slice(2).includes('--version')) {
    console.log(ownVersion());
    return;
  }
  let options: SandboxOptions | null;
  try {
    options = parseCliArgs(process.argv.slice(2), (line) => console.error(`[sandbox] ${line}`));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!options) {
    console.log(USAGE);
    return;
  }
  const sandbox = await startSandbox(options);
  // Ctrl+C in a terminal, SIGTERM from a CI service or `concurrently --kill-others`: both exit 0.
  // Set before the banner: whoever waits for "listening" may send the signal at once.
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    void sandbox.close().then(() => {
      console.log('Sandbox stopped.');
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  stopWithNpmLauncher(stop);
  console.log(`Sarufi sandbox listening at ${sandbox.baseUrl}`);
  // The terminal's owner chose or accepted this key; printing it is how they learn it.
  console.log(`API key: ${sandbox.apiKey}`);
  console.log(`Flow folders: ${options.flowDirs.join(', ')}`);
  for (const chatbot of sandbox.chatbots()) {
    console.log(`  ${chatbot.id}  ${chatbot.name}${chatbot.problem ? `  (not published: ${chatbot.problem})` : ''}`);
  }
}

/**
 * `npx sarufi-sandbox` and `npm run` start this under `npm` and `sh -c`. A SIGTERM to npm (`kill`
 * on the pid of `npx sarufi-sandbox &`) ends npm and the shell, but dash does not pass it on, so
 * the sandbox would be left holding its port with no one to stop it: it stops when its launcher
 * goes. Only under npm, so that a sandbox detached on purpose (`nohup node …/sandbox.js &`) stays.
 */
function stopWithNpmLauncher(stop: () => void): void {
  if (process.env.npm_command === undefined) {
    return;
  }
  const launcher = process.ppid;
  setInterval(() => {
    if (process.ppid !== launcher) {
      stop();
    }
  }, 500).unref();
}

if (process.argv[2] === '--ipc' && process.send) {
  serveOverIpc();
} else {
  main().catch((error: unknown) => {
    console.error(`Could not start the sandbox: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
