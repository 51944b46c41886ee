// The typed messages between the extension host and the chat webview. Both sides import this file,
// so a message that one side sends and the other does not understand is a compile error.
import type { SessionInfo, TranscriptEntry, UserInput } from './chat/transcript.js';

/** Messages the webview posts to the host. */
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; requestId: number; input: UserInput }
  | { type: 'retry'; entryId: string }
  | { type: 'newSession' }
  | { type: 'restartSession' }
  | { type: 'saveAsTest' }
  | { type: 'setApiKey' }
  | { type: 'export'; format: 'json' | 'markdown' }
  | { type: 'copy'; text: string; what: string }
  | { type: 'openLink'; url: string }
  | { type: 'revealState'; state: string }
  | { type: 'log'; level: 'error' | 'warn'; text: string };

/** Messages the host posts to the webview. */
export type HostToWebview =
  /** The whole panel: sent on ready and whenever the page was recreated. */
  | { type: 'init'; panelId: string; session: SessionInfo; entries: TranscriptEntry[]; readOnly: boolean }
  /** One more entry; the page appends it without re-rendering the rest. */
  | { type: 'append'; entry: TranscriptEntry }
  | { type: 'session'; session: SessionInfo }
  /** The bot is working on a reply (typing indicator); `note` says why it takes long (rate limit). */
  | { type: 'busy'; busy: boolean; note?: string }
  /** The outcome of a `send`: on failure the page keeps the typed text in the box. */
  | { type: 'sendResult'; requestId: number; ok: boolean };

/** What the page keeps across hide/show and reloads through `setState`: the author's own input. */
export interface ChatViewState {
  panelId: string;
  draft: string;
  history: string[];
}

/** The subset of the VS Code webview API the page uses; injected by VS Code, faked in tests. */
export interface VsCodeApi<State> {
  postMessage(message: WebviewToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}

/**
 * The longest message the Chat API accepts, counted as the service counts (code points): the page
 * refuses longer text before sending, with the same count as the client.
 */
export { characterCount, MAX_MESSAGE_LENGTH } from './sarufi/endpoints.js';
