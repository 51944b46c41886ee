// Entry point of the chat panel's page. It only renders what the host sends; it never talks to
// Sarufi itself and never sees the API key.
import type { ChatViewState, HostToWebview, VsCodeApi } from '../../src/protocol';
import { ChatApp } from './chatApp';
import './chat.css';

declare function acquireVsCodeApi(): VsCodeApi<ChatViewState>;

/** Every type the host posts: a type added to the protocol and missing here does not compile. */
const HOST_MESSAGES: Readonly<Record<HostToWebview['type'], true>> = { init: true, append: true, session: true, busy: true, sendResult: true, exchange: true, earlierEntries: true, trace: true, replay: true, batch: true };

const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;
const app = start();

window.addEventListener('message', (event: MessageEvent<unknown>) => deliver(event.data));

/** The page's app, or undefined when it could not start: the host is told why and, without a `ready`, loads the page again. */
function start(): ChatApp | undefined {
  try {
    return new ChatApp(root, vscode);
  } catch (error) {
    vscode.postMessage({ type: 'log', level: 'error', text: `Chat panel could not start: ${describe(error)}` });
    return undefined;
  }
}

function deliver(message: unknown): void {
  if (!app || typeof message !== 'object' || message === null || !Object.hasOwn(HOST_MESSAGES, String((message as { type?: unknown }).type))) {
    return;
  }
  if ((message as HostToWebview).type === 'batch') {
    const { messages } = message as Extract<HostToWebview, { type: 'batch' }>;
    (Array.isArray(messages) ? messages : []).forEach(deliver);
    return;
  }
  try {
    app.handle(message as HostToWebview);
  } catch (error) {
    // The host logs it; the page stays usable for the next message.
    vscode.postMessage({ type: 'log', level: 'error', text: `Chat panel failed on '${String((message as { type?: unknown }).type)}': ${describe(error)}` });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}

if (app) {
  vscode.postMessage({ type: 'ready' });
}
