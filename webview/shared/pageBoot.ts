// The page side of the webview plumbing both panels share (the host side is
// src/host/webviewPageHost.ts): the page's app starts or tells the host why it could not (with no
// `ready`, the host's watchdog loads the page again); every message the host posts whose type the
// page knows reaches the app, a batch one by one; a message the app fails on is logged to the host
// and the page goes on; and `ready` goes out once the app runs.

/** A message the page posts that the host's plumbing reads, whatever the panel. */
type PlumbingMessage = { type: 'ready' } | { type: 'log'; level: 'error'; text: string };

interface HostMessage {
  type: string;
}

export interface PageBoot<M extends HostMessage> {
  /** The panel's name in log lines: "Chat panel", "Flow graph". */
  name: string;
  /** Every type the host posts, as a record so that a type missing from it does not compile. */
  known: Readonly<Record<M['type'], true>>;
  post(message: PlumbingMessage): void;
  /** Makes the page's app; a throw is logged and the page stays without one. */
  start(): { handle(message: M): void };
}

export function bootPage<M extends HostMessage>(boot: PageBoot<M>): void {
  const app = startApp(boot);
  const deliver = (message: unknown): void => {
    if (!app || typeof message !== 'object' || message === null || !Object.hasOwn(boot.known, String((message as { type?: unknown }).type))) {
      return;
    }
    const { type, messages } = message as { type: string; messages?: unknown };
    if (type === 'batch') {
      (Array.isArray(messages) ? messages : []).forEach(deliver);
      return;
    }
    try {
      app.handle(message as M);
    } catch (error) {
      // The host logs it; the page stays usable for the next message.
      boot.post({ type: 'log', level: 'error', text: `${boot.name} failed on '${type}': ${describe(error)}` });
    }
  };
  window.addEventListener('message', (event: MessageEvent<unknown>) => deliver(event.data));
  if (app) {
    boot.post({ type: 'ready' });
  }
}

function startApp<M extends HostMessage>(boot: PageBoot<M>): { handle(message: M): void } | undefined {
  try {
    return boot.start();
  } catch (error) {
    boot.post({ type: 'log', level: 'error', text: `${boot.name} could not start: ${describe(error)}` });
    return undefined;
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}
