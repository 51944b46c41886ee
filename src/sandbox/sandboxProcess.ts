// Starts the sandbox in a child process of its own (the bundled dist/sandbox.js, or cli.ts from
// the sources) and drives it over the IPC channel: the extension host, the conversation test
// runner and the sarufi-test CLI all start it this way, so no flow runs in their thread.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundledScript, FROM_SOURCES } from './bundlePaths.js';
import type { RunningSandbox, SandboxChatbotInfo, SandboxOptions } from './server.js';

/** What can cross to the child: every option but the clock; `log` comes back as messages. */
export type SandboxProcessOptions = Omit<SandboxOptions, 'clock'>;

export type ParentMessage =
  | { type: 'start'; options: Omit<SandboxProcessOptions, 'log'> & { log: boolean } }
  | { type: 'reload'; id: number }
  | { type: 'close' };

export type ChildMessage =
  | { type: 'listening'; baseUrl: string; apiKey: string; host: string; port: number; chatbots: SandboxChatbotInfo[] }
  | { type: 'start-failed'; message: string }
  | { type: 'log'; line: string }
  | { type: 'chatbots'; id: number; chatbots: SandboxChatbotInfo[] };

export interface SandboxProcess extends RunningSandbox {
  readonly pid: number | undefined;
  /** Called once if the process ends without close() (a crash, a kill, an out-of-memory). */
  onUnexpectedExit(listener: (reason: string) => void): void;
}

/** How long close() waits for the child to stop on its own before killing it. */
const CLOSE_GRACE_MS = 2000;

/** Only the sources need it; a name, not a literal, so that bundlers leave it to run time. */
export const TSX_PACKAGE = 'tsx';

export interface SandboxEntry {
  script: string;
  execArgv: string[];
}

/** dist/sandbox.js when running from a bundle; cli.ts through tsx when running from the sources. */
export function defaultEntry(): SandboxEntry {
  if (FROM_SOURCES) {
    return { script: join(__dirname, 'cli.ts'), execArgv: ['--import', pathToFileURL(require.resolve(TSX_PACKAGE)).href] };
  }
  return { script: bundledScript('sandbox.js'), execArgv: [] };
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `it was stopped by ${signal}` : `it exited with code ${code ?? 'unknown'}`;
}

/** `entry` picks the script: the benchmark forks the shipped bundle from the sources. */
export async function forkSandbox(options: SandboxProcessOptions, entry: SandboxEntry = defaultEntry()): Promise<SandboxProcess> {
  const { script, execArgv } = entry;
  const child: ChildProcess = fork(script, ['--ipc'], {
    execArgv,
    // Inside VS Code, process.execPath is Electron: this makes it behave as plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  const { log, ...rest } = options;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    for (const line of text.split('\n').filter((part) => part.trim() !== '')) {
      log?.(`stderr: ${line}`);
    }
  });

  let chatbots: SandboxChatbotInfo[] = [];
  let closing = false;
  let nextId = 1;
  const reloads = new Map<number, () => void>();
  const exitListeners: ((reason: string) => void)[] = [];
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      const reason = describeExit(code, signal);
      for (const done of reloads.values()) {
        done();
      }
      reloads.clear();
      if (!closing) {
        for (const listener of exitListeners) {
          listener(reason);
        }
      }
      resolve(reason);
    });
  });

  const listening = new Promise<Extract<ChildMessage, { type: 'listening' }>>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      switch (message.type) {
        case 'listening':
          chatbots = message.chatbots;
          resolve(message);
          return;
        case 'start-failed':
          reject(new Error(message.message));
          return;
        case 'log':
          log?.(message.line);
          return;
        case 'chatbots':
          chatbots = message.chatbots;
          reloads.get(message.id)?.();
          reloads.delete(message.id);
      }
    });
    child.once('error', reject);
    void exited.then((reason) => reject(new Error(`the sandbox process stopped before it listened: ${reason}`)));
  });
  const send = (message: ParentMessage): void => {
    if (child.connected) {
      child.send(message);
    }
  };
  send({ type: 'start', options: { ...rest, log: log !== undefined } });
  const started = await listening.catch((error: unknown) => {
    child.kill();
    throw error;
  });

  return {
    baseUrl: started.baseUrl,
    apiKey: started.apiKey,
    host: started.host,
    port: started.port,
    pid: child.pid,
    chatbots: () => chatbots,
    reload: () =>
      new Promise<void>((resolve) => {
        const id = nextId++;
        reloads.set(id, resolve);
        send({ type: 'reload', id });
      }),
    close: async () => {
      closing = true;
      send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
    onUnexpectedExit: (listener) => {
      exitListeners.push(listener);
    },
  };
}
