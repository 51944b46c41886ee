// Entry point of the flow graph's page. It draws what the host sends and never edits the flow
// itself; the layout runs in a worker started from the page's own bundled code.
import type { GraphHostToWebview, GraphViewState, GraphWebviewToHost, VsCodeApi } from '../../src/protocol';
import layoutWorkerSource from 'inline-worker:./layoutWorker';
import { bootPage, describe } from '../shared/pageBoot';
import { GraphApp } from './graphApp';
import type { LayoutRequest, LayoutResult } from './layoutTypes';
import './graph.css';

declare function acquireVsCodeApi(): VsCodeApi<GraphViewState, GraphWebviewToHost>;

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

bootPage<GraphHostToWebview>({
  name: 'Flow graph',
  // A type added to the protocol and missing here does not compile.
  known: { init: true, graph: true, problem: true, select: true, locked: true, live: true, coverage: true, failing: true, batch: true },
  post: (message) => vscode.postMessage(message),
  start: () => {
    const layout = startLayoutWorker();
    return new GraphApp(root, vscode, (request) =>
      layout(request).catch((error: unknown) => {
        vscode.postMessage({ type: 'log', level: 'error', text: `Flow graph layout failed: ${describe(error)}` });
        throw error;
      }),
    );
  },
});
