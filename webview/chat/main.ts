// Entry point of the chat panel's page. It only renders what the host sends; it never talks to
// Sarufi itself and never sees the API key.
import type { ChatViewState, HostToWebview, VsCodeApi } from '../../src/protocol';
import { ChatApp } from './chatApp';
import './chat.css';

declare function acquireVsCodeApi(): VsCodeApi<ChatViewState>;

const HOST_MESSAGES: ReadonlySet<string> = new Set<HostToWebview['type']>(['init', 'append', 'session', 'busy', 'sendResult']);

const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;
const app = new ChatApp(root, vscode);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null || !HOST_MESSAGES.has(String((message as { type?: unknown }).type))) {
    return;
  }
  try {
    app.handle(message as HostToWebview);
  } catch (error) {
    // The host logs it; the page stays usable for the next message.
    vscode.postMessage({ type: 'log', level: 'error', text: `Chat panel failed on '${String((message as { type?: unknown }).type)}': ${describe(error)}` });
  }
});

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}

vscode.postMessage({ type: 'ready' });
