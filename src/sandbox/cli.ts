// `npm run sandbox -- --flows examples --port 8787`: the sandbox outside VS Code, for curl, CI
// and anyone who wants to try a flow file from a terminal. Options: cliOptions.ts. With `--ipc`
// (the only argument), it is the process that sandboxProcess.ts forks and drives.
import { parseCliArgs, USAGE } from './cliOptions.js';
import { serveOverIpc } from './ipcChild.js';
import type { SandboxOptions } from './server.js';
import { startSandbox } from './server.js';

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

async function main(): Promise<void> {
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
  console.log(`Sarufi sandbox listening at ${sandbox.baseUrl}`);
  // The terminal's owner chose or accepted this key; printing it is how they learn it.
  console.log(`API key: ${sandbox.apiKey}`);
  console.log(`Flow folders: ${options.flowDirs.join(', ')}`);
  for (const chatbot of sandbox.chatbots()) {
    console.log(`  ${chatbot.id}  ${chatbot.name}${chatbot.problem ? `  (not published: ${chatbot.problem})` : ''}`);
  }
  if (!LOOPBACK_HOSTS.includes(sandbox.host)) {
    console.warn(`Warning: listening on ${sandbox.host} lets other machines reach the sandbox.`);
  }
  const stop = (): void => {
    void sandbox.close().then(() => {
      console.log('Sandbox stopped.');
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[2] === '--ipc' && process.send) {
  serveOverIpc();
} else {
  main().catch((error: unknown) => {
    console.error(`Could not start the sandbox: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
