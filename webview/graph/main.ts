// Entry point of the flow graph's page. It draws what the host sends and never edits the flow
// itself; the layout runs in a worker started from the page's own bundled code.
import type { GraphHostToWebview, GraphViewState, GraphWebviewToHost, VsCodeApi } from '../../src/protocol';
import layoutWorkerSource from 'inline-worker:./layoutWorker';
import { GraphApp } from './graphApp';
import type { LayoutRequest, LayoutResult } from './layoutTypes';
import './graph.css';

declare function acquireVsCodeApi(): VsCodeApi<GraphViewState, GraphWebviewToHost>;

/** Every type the host posts: a type added to the protocol and missing here does not compile. */
const HOST_MESSAGES: Readonly<Record<GraphHostToWebview['type'], true>> = { init: true, graph: true, problem: true, select: true, locked: true, live: true, coverage: true, failing: true, batch: true };

const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;

/** One worker for the page's life; each answer settles the request with its id. */
function startLayoutWorker(): (request: LayoutRequest) => Promise<LayoutResult> {
  const url = URL.createObjectURL(new Blob([layoutWorkerSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  const waiting = new Map<number, { resolve: (result: LayoutResult) => void; reject: (error: Error) => void }>();
  worker.onmessage = (event: MessageEvent<LayoutResult | { id: number; error: string }>) => {
    const settle = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    if ('error' in event.data) {
      settle?.reject(new Error(event.data.error));
    } else {
      settle?.resolve(event.data);
    }
  };
  worker.onerror = (event) => {
    vscode.postMessage({ type: 'log', level: 'error', text: `Flow graph layout worker: ${event.message}` });
  };
  return (request) => new Promise((resolve, reject) => {
    waiting.set(request.id, { resolve, reject });
    worker.postMessage(request);
  });
}

function start(): GraphApp | undefined {
  try {
    const layout = startLayoutWorker();
    return new GraphApp(root, vscode, (request) =>
      layout(request).catch((error: unknown) => {
        vscode.postMessage({ type: 'log', level: 'error', text: `Flow graph layout failed: ${String(error)}` });
        throw error;
      }),
    );
  } catch (error) {
    vscode.postMessage({ type: 'log', level: 'error', text: `Flow graph could not start: ${describe(error)}` });
    return undefined;
  }
}

const app = start();

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!app || typeof message !== 'object' || message === null || !Object.hasOwn(HOST_MESSAGES, String((message as { type?: unknown }).type))) {
    return;
  }
  try {
    app.handle(message as GraphHostToWebview);
  } catch (error) {
    vscode.postMessage({ type: 'log', level: 'error', text: `Flow graph failed on '${String((message as { type?: unknown }).type)}': ${describe(error)}` });
  }
});

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}

if (app) {
  vscode.postMessage({ type: 'ready' });
}
