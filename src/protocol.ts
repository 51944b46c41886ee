// The typed messages between the extension host and the chat webview. Both sides import this file,
// so a message that one side sends and the other does not understand is a compile error.

/** Messages the webview posts to the host. */
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'log'; level: 'error' | 'warn'; text: string };

/** Messages the host posts to the webview. */
export type HostToWebview = { type: 'hello'; title: string };

/** The subset of the VS Code webview API the page uses; injected by VS Code, faked in tests. */
export interface VsCodeApi<State> {
  postMessage(message: WebviewToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}
