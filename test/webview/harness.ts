// Shows a webview bundle from dist/webview/ in real Chromium the way VS Code shows it: the page
// comes from the extension's own renderPage() with its real CSP, assets come from a separate
// origin that stands in for `webview.cspSource`, and `acquireVsCodeApi` is a fake that records what
// the page posts. Everything that would show up as a problem in VS Code's webview devtools
// (console errors, uncaught exceptions, CSP violations, requests leaving the test server) is
// collected so that a test can assert there is none.
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { ROOT } from '../../scripts/lib/paths.mjs';
import { entryTrace } from '../../src/chat/entryTrace.js';
import { shownEntry, shownWindow } from '../../src/chat/shownEntry.js';
import type { TranscriptEntry } from '../../src/chat/transcript.js';
import { renderPage } from '../../src/host/webviewHtml.js';
import type { HostToWebview, ReplayProgress, SendState, StartForm, WebviewToHost } from '../../src/protocol.js';
import type { Exchange } from '../../src/sarufi/exchange.js';

export const WEBVIEW_DIST = join(ROOT, 'dist', 'webview');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/**
 * What a test posts: host messages whose entries still hold their exchanges, as the host keeps
 * them, and an `init` whose busy state and sends default to none. The harness plays the host's
 * part: the page gets what ChatPanel sends (`shownEntry`), its `inspect` is answered, its `trace`
 * too (from the exchange's `sandbox_trace`), and so is its `earlier`, from `earlier`: the entries
 * the host holds before the ones `init` shows.
 */
export type TestHostMessage =
  | Exclude<HostToWebview, { type: 'init' | 'append' }>
  | (Omit<Extract<HostToWebview, { type: 'init' }>, 'entries' | 'hasEarlier' | 'busy' | 'sends' | 'replay' | 'startForm'> & {
      entries: TranscriptEntry[];
      earlier?: TranscriptEntry[];
      busy?: { busy: boolean; note?: string };
      sends?: SendState[];
      replay?: ReplayProgress | null;
      startForm?: StartForm | null;
    })
  | { type: 'append'; entry: TranscriptEntry };

/** What the harness holds as the host: the exchanges the page may ask for, and the transcript. */
export interface HeldByHost {
  exchanges: Map<string, Exchange>;
  transcript: TranscriptEntry[];
}

/** The message the page gets for `message`; `held` learns what the page may then ask for. */
export function toHostMessage(message: TestHostMessage, held: HeldByHost = { exchanges: new Map(), transcript: [] }): HostToWebview {
  const keep = (entry: TranscriptEntry) => {
    if (entry.kind !== 'divider' && entry.exchange) {
      held.exchanges.set(entry.id, entry.exchange);
    }
    return shownEntry(entry);
  };
  switch (message.type) {
    case 'init': {
      const { earlier = [], ...init } = message;
      earlier.forEach(keep);
      held.transcript = [...earlier, ...message.entries];
      return { ...init, entries: message.entries.map(keep), hasEarlier: earlier.length > 0, busy: message.busy ?? { busy: false }, sends: message.sends ?? [], replay: message.replay ?? null, startForm: message.startForm ?? null };
    }
    case 'append':
      held.transcript.push(message.entry);
      return { type: 'append', entry: keep(message.entry) };
    default:
      return message;
  }
}

export interface CspViolation {
  directive: string;
  blockedURI: string;
  sample: string;
}

export interface OpenOptions {
  /** The bundle's name under dist/webview/ (chat.js + chat.css). */
  bundle?: string;
  title?: string;
  /** What `getState()` returns before the page calls `setState`, as when VS Code restores a webview. */
  state?: unknown;
  /** The page starts a Web Worker from a blob (the flow graph): the CSP allows it, as the graph panel's does. */
  workers?: boolean;
  /** Installs Playwright's fake clock, paused at this time (ms since the epoch), before the page's scripts run: the test moves time with `page.clock`, the wall clock plays no part. */
  clockAt?: number;
}

export interface WebviewPage {
  readonly page: Page;
  /** Every message the page posted through `acquireVsCodeApi().postMessage`, in order. */
  readonly messages: readonly WebviewToHost[];
  readonly consoleErrors: readonly string[];
  readonly pageErrors: readonly string[];
  readonly cspViolations: readonly CspViolation[];
  /** Requests to any origin but the test server's; they are aborted, never sent. */
  readonly blockedRequests: readonly string[];
  /** The last value the page gave `setState` (or the initial state). */
  readonly state: unknown;
  /** Delivers a host message the way VS Code does: a `message` event on the page's window. */
  post(message: TestHostMessage): Promise<void>;
  /** Resolves with the first message of `type` the page posted (now or later). */
  waitForMessage<T extends WebviewToHost['type']>(type: T, timeoutMs?: number): Promise<Extract<WebviewToHost, { type: T }>>;
  /** Resolves once `check()` holds, polling the collected records; rejects after `timeoutMs`. */
  waitFor(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** One line per console error, uncaught exception and CSP violation; empty for a healthy page. */
  problems(): string[];
  /** Closes this page and shows the same bundle again with the saved state, as VS Code does when a hidden webview comes back. */
  reopen(): Promise<WebviewPage>;
  close(): Promise<void>;
}

export interface WebviewHarness {
  /** The origin that serves dist/webview/ and stands in for `webview.cspSource`. */
  readonly assetOrigin: string;
  open(options?: OpenOptions): Promise<WebviewPage>;
  close(): Promise<void>;
}

/** Starts the asset server and Chromium; one per test file, shared by its tests. */
export async function startWebviewHarness(): Promise<WebviewHarness> {
  const pages = new Map<string, string>();
  const server = createServer((request, response) => {
    void serve(pages, request.url ?? '/').then(({ status, type, body }) => {
      // The page loads its module script and fonts cross-origin, which needs CORS (VS Code's
      // resource loader answers the same way).
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The page and its assets on different origins, as in VS Code (vscode-webview:// vs. the
  // vscode-cdn resource origin): a CSP that only works because both share one origin is caught.
  const pageOrigin = `http://127.0.0.1:${port}`;
  const assetOrigin = `http://localhost:${port}`;

  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    server.close();
    throw error;
  }

  let pageCount = 0;
  const open = async (options: OpenOptions = {}): Promise<WebviewPage> => {
    const { bundle = 'chat', title = 'Sarufi Chat', state, workers = false } = options;
    const id = `page-${++pageCount}`;
    pages.set(
      id,
      renderPage({ cspSource: assetOrigin, assetUrl: (file) => `${assetOrigin}/${file}`, bundle, title, workers }),
    );
    const page = await browser.newPage();
    if (options.clockAt !== undefined) {
      await page.clock.install({ time: options.clockAt });
      await page.clock.pauseAt(options.clockAt);
    }
    const view = await instrument(page, pageOrigin, assetOrigin, state, () => open({ ...options, state: view.state }));
    await page.goto(`${pageOrigin}/__page/${id}`, { waitUntil: 'load' });
    return view;
  };

  return {
    assetOrigin,
    open,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serve(pages: Map<string, string>, url: string): Promise<{ status: number; type: string; body: string | Buffer }> {
  const path = decodeURIComponent(new URL(url, 'http://x').pathname);
  if (path.startsWith('/__page/')) {
    const html = pages.get(path.slice('/__page/'.length));
    return html === undefined ? notFound() : { status: 200, type: CONTENT_TYPES['.html'] ?? 'text/html', body: html };
  }
  const file = normalize(join(WEBVIEW_DIST, path));
  if (!file.startsWith(WEBVIEW_DIST + sep)) {
    return notFound();
  }
  try {
    return { status: 200, type: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
  } catch {
    return notFound();
  }
}

function notFound(): { status: number; type: string; body: string } {
  return { status: 404, type: 'text/plain', body: 'not found' };
}

/** Installs the fake VS Code API and the problem collectors before any of the page's code runs. */
async function instrument(
  page: Page,
  pageOrigin: string,
  assetOrigin: string,
  initialState: unknown,
  reopen: () => Promise<WebviewPage>,
): Promise<WebviewPage> {
  const messages: WebviewToHost[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const cspViolations: CspViolation[] = [];
  const blockedRequests: string[] = [];
  const changed = new EventEmitter();
  let state = initialState;
  const held: HeldByHost = { exchanges: new Map(), transcript: [] };
  const dispatch = (data: HostToWebview) =>
    page.evaluate((message) => {
      window.dispatchEvent(new MessageEvent('message', { data: message }));
    }, data);

  page.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push(message.text());
      changed.emit('change');
    }
  });
  page.on('pageerror', (error) => {
    pageErrors.push(error.stack ?? error.message);
    changed.emit('change');
  });
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${pageOrigin}/`) || url.startsWith(`${assetOrigin}/`)) {
      await route.continue();
    } else {
      blockedRequests.push(url);
      changed.emit('change');
      await route.abort('blockedbyclient');
    }
  });
  await page.exposeBinding('__harnessPost', async (_source, message: WebviewToHost) => {
    messages.push(message);
    changed.emit('change');
    if (message.type === 'inspect') {
      await dispatch({ type: 'exchange', requestId: message.requestId, exchange: held.exchanges.get(message.entryId) ?? null });
    }
    if (message.type === 'trace') {
      // Through the host's own reader (src/host/chatPanel.ts answers with entryTrace), so the page
      // is tested on what VS Code would hand it, not on the raw reply.
      const entry = held.transcript.find((candidate) => candidate.id === message.entryId);
      await dispatch({ type: 'trace', requestId: message.requestId, trace: entryTrace(entry) });
    }
    if (message.type === 'earlier') {
      await dispatch({ type: 'earlierEntries', requestId: message.requestId, ...shownWindow(held.transcript, message.beforeId) });
    }
  });
  await page.exposeBinding('__harnessSetState', (_source, value: unknown) => {
    state = value;
    changed.emit('change');
  });
  await page.exposeBinding('__harnessCspViolation', (_source, violation: CspViolation) => {
    cspViolations.push(violation);
    changed.emit('change');
  });
  await page.addInitScript({ content: fakeVsCodeApiScript(initialState) });

  const waitFor = async (check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> => {
    if (check()) {
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        changed.off('change', onChange);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; problems: ${JSON.stringify(view.problems())}`));
      }, timeoutMs);
      const onChange = (): void => {
        if (check()) {
          clearTimeout(timer);
          changed.off('change', onChange);
          resolve();
        }
      };
      changed.on('change', onChange);
    });
  };

  const view: WebviewPage = {
    page,
    messages,
    consoleErrors,
    pageErrors,
    cspViolations,
    blockedRequests,
    get state() {
      return state;
    },
    async post(message) {
      await dispatch(toHostMessage(message, held));
    },
    async waitForMessage(type, timeoutMs = 5_000) {
      const find = (): WebviewToHost | undefined => messages.find((message) => message.type === type);
      await waitFor(() => find() !== undefined, `the page to post '${type}'`, timeoutMs);
      return find() as Extract<WebviewToHost, { type: typeof type }>;
    },
    waitFor,
    problems() {
      return [
        ...consoleErrors.map((text) => `console error: ${text}`),
        ...pageErrors.map((text) => `uncaught: ${text}`),
        ...cspViolations.map((v) => `CSP violation: ${v.directive} blocked ${v.blockedURI || '(inline)'} ${v.sample}`.trim()),
      ];
    },
    async reopen() {
      await page.close();
      return reopen();
    },
    async close() {
      await page.close();
    },
  };
  return view;
}

/**
 * The page-side half of the harness, as source text: tsx compiles functions with esbuild's
 * keepNames, which wraps them in a `__name()` helper that does not exist in the page.
 */
function fakeVsCodeApiScript(initialState: unknown): string {
  return `(() => {
  let acquired = false;
  let current = ${JSON.stringify(initialState ?? null)} ?? undefined;
  const api = Object.freeze({
    // A JSON round trip stands in for the structured clone of VS Code's postMessage: what cannot
    // cross that boundary should not pass here either.
    postMessage(message) {
      window.__harnessPost(JSON.parse(JSON.stringify(message)));
    },
    getState() {
      return current;
    },
    setState(value) {
      current = value;
      window.__harnessSetState(value);
      return value;
    },
  });
  // Reachable by tests through page.evaluate, to act as the page would without a second acquire.
  Object.defineProperty(window, '__harnessVsCodeApi', { value: api, enumerable: false });
  window.acquireVsCodeApi = () => {
    // VS Code allows one call per page and throws on the next; so does the fake.
    if (acquired) {
      throw new Error('An instance of the VS Code API has already been acquired');
    }
    acquired = true;
    return api;
  };
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__harnessCspViolation({ directive: event.effectiveDirective, blockedURI: event.blockedURI, sample: event.sample });
  });
})();`;
}
