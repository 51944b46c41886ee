// Entry point of the chat panel's page. It only renders what the host sends; it never talks to
// Sarufi itself and never sees the API key.
import type { ChatViewState, HostToWebview, VsCodeApi } from '../../src/protocol';
import { bootPage } from '../shared/pageBoot';
import { ChatApp } from './chatApp';
import './chat.css';

declare function acquireVsCodeApi(): VsCodeApi<ChatViewState>;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;

bootPage<HostToWebview>({
  name: 'Chat panel',
  // A type added to the protocol and missing here does not compile.
  known: { init: true, append: true, session: true, busy: true, sendResult: true, exchange: true, earlierEntries: true, trace: true, replay: true, batch: true },
  post: (message) => vscode.postMessage(message),
  start: () => new ChatApp(root, vscode),
});
