// The host's half of a webview page, shared by the chat panel and the flow graph: the page under
// the strict CSP (renderPage), the `ready` handshake, posts batched per turn of the event loop,
// and the watchdog that loads a page again when it never says `ready`. A panel owns one of these
// and adds only what its page shows.
import * as vscode from 'vscode';
import { PageLoadWatchdog } from '../chat/pageLoadWatchdog.js';
import { renderPage } from './webviewHtml.js';

/** How long a page on screen may take to say `ready` before it is loaded again, and how often. */
export const PAGE_LOAD_WAIT_MS = 10_000;
export const PAGE_RELOADS = 2;

export interface WebviewPageHostOptions<Out> {
  panel: vscode.WebviewPanel;
  extensionUri: vscode.Uri;
  /** The bundle under dist/webview/ ("chat" for chat.js and chat.css). */
  bundle: string;
  title: string;
  /** Names the panel in the log, e.g. "Chat panel 'Pizza'". */
  label: string;
  log: vscode.LogOutputChannel;
  /** What the author is told when the page did not load after every retry. */
  didNotLoad: string;
  /** Wraps what was posted within one turn of the event loop into one message. */
  batch(messages: Out[]): Out;
  /** The page runs a Web Worker from a blob (the graph's layout). */
  workers?: boolean;
}

/** Scripts on, and local resources only from dist/ (the CSP of the design). */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

export class WebviewPageHost<Out> implements vscode.Disposable {
  /** True between the page's `ready` and its next unload (hidden panels drop their page). */
  private pageReady = false;
  private readyWaiters: (() => void)[] = [];
  private readonly pageLoad: PageLoadWatchdog;
  /** Messages for the page not yet posted, and the promise that settles when they are. */
  private readonly outbox: Out[] = [];
  private outboxSent: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly options: WebviewPageHostOptions<Out>) {
    const { panel, log, label } = options;
    this.pageLoad = new PageLoadWatchdog({
      waitMs: PAGE_LOAD_WAIT_MS,
      maxReloads: PAGE_RELOADS,
      reload: (attempt) => {
        log.warn(`${label}: the page did not say ready within ${PAGE_LOAD_WAIT_MS / 1000} s; loading it again (${attempt} of ${PAGE_RELOADS})`);
        this.load();
      },
      gaveUp: () => {
        log.error(`${label}: the page did not load after ${PAGE_RELOADS + 1} tries`);
        void vscode.window
          .showWarningMessage(options.didNotLoad, 'Reload Window')
          .then((choice) => choice && vscode.commands.executeCommand('workbench.action.reloadWindow'));
      },
    });
    this.load();
    if (panel.visible) {
      this.pageLoad.expect();
    }
    this.disposables.push(
      panel.onDidChangeViewState(() => {
        // A hidden panel's page is destroyed; it says `ready` again when shown and gets the whole state then.
        if (!panel.visible) {
          this.pageReady = false;
          this.outbox.length = 0;
          this.pageLoad.stop();
        } else if (!this.pageReady) {
          this.pageLoad.expect();
        }
      }),
    );
  }

  get isReady(): boolean {
    return this.pageReady;
  }

  /** Resolves once the page has loaded and said `ready`. */
  whenReady(): Promise<void> {
    return this.pageReady ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * The page said `ready`: it gets `init` (the whole state) at once. Whatever was queued for an
   * earlier page is dropped, since `init` holds it and, posted after it, it would show twice.
   */
  async ready(init: Out): Promise<void> {
    this.pageReady = true;
    this.pageLoad.ready();
    this.outbox.length = 0;
    await this.options.panel.webview.postMessage(init);
    for (const resolve of this.readyWaiters.splice(0)) {
      resolve();
    }
  }

  /**
   * Queues `message` for the page; what is posted in one turn of the event loop goes as one
   * batch, so a reply (its session, entry, busy and outcome) costs the page one trip, not four.
   * A page that is not there gets the whole state in `init` when it comes back: nothing is lost.
   */
  post(message: Out): Promise<void> {
    if (!this.pageReady) {
      return Promise.resolve();
    }
    this.outbox.push(message);
    this.outboxSent ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        const messages = this.outbox.splice(0);
        this.outboxSent = undefined;
        if (!this.pageReady || messages.length === 0) {
          resolve();
          return;
        }
        const posted = messages.length === 1 ? (messages[0] as Out) : this.options.batch(messages);
        try {
          void Promise.resolve(this.options.panel.webview.postMessage(posted)).then(() => resolve(), () => resolve());
        } catch {
          // The panel was closed since the messages were queued: there is no page left to tell.
          resolve();
        }
      });
    });
    return this.outboxSent;
  }

  dispose(): void {
    // Queued messages are for a page that is going away with the panel.
    this.pageReady = false;
    this.outbox.length = 0;
    this.pageLoad.stop();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  private load(): void {
    const { panel, extensionUri, bundle, title, workers } = this.options;
    const webview = panel.webview;
    webview.html = renderPage({
      cspSource: webview.cspSource,
      assetUrl: (file) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString(),
      bundle,
      title,
      ...(workers ? { workers } : {}),
    });
  }
}
