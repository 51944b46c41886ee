// The sandbox process's side of sandboxProcess.ts: starts the server with the options its parent
// sends, answers reloads, and stops when told to or when the parent goes away.
import type { ChildMessage, ParentMessage } from './sandboxProcess.js';
import { startSandbox } from './server.js';
import type { RunningSandbox } from './server.js';

export function serveOverIpc(): void {
  const send = (message: ChildMessage): void => {
    if (process.connected) {
      process.send?.(message);
    }
  };
  let sandbox: Promise<RunningSandbox> | null = null;
  const stop = (): void => {
    void (sandbox ?? Promise.resolve(null))
      .then((running) => running?.close())
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on('message', (message: ParentMessage) => {
    switch (message.type) {
      case 'start': {
        const { log, ...options } = message.options;
        sandbox = startSandbox({ ...options, log: log ? (line) => send({ type: 'log', line }) : undefined });
        sandbox.then(
          (running) =>
            send({ type: 'listening', baseUrl: running.baseUrl, apiKey: running.apiKey, host: running.host, port: running.port, chatbots: running.chatbots() }),
          (error: unknown) => {
            send({ type: 'start-failed', message: error instanceof Error ? error.message : String(error) });
            process.exit(1);
          },
        );
        return;
      }
      case 'reload':
        void sandbox
          ?.then(async (running) => {
            await running.reload();
            send({ type: 'chatbots', id: message.id, chatbots: running.chatbots() });
          })
          .catch(() => undefined);
        return;
      case 'close':
        stop();
    }
  });
  // The parent (an editor window, a test run) went away: nothing would ever stop this process.
  process.on('disconnect', stop);
}
