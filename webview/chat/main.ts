// Entry point of the chat panel's page. It only renders what the host sends; it never talks to
// Sarufi itself and never sees the API key.
import type { HostToWebview, VsCodeApi } from '../../src/protocol';
import './chat.css';

declare function acquireVsCodeApi(): VsCodeApi<unknown>;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'hello' && root) {
    root.textContent = message.title;
  }
});

vscode.postMessage({ type: 'ready' });
