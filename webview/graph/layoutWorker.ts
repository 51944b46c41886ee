// The graph's layout, off the page's main thread: dagre's layered layout (the one Mermaid uses too)
// of the nodes and edges the page sends. Bundled into the page as text and started from a blob
// (src/host/webviewHtml.ts allows `worker-src blob:`), so nothing is fetched.
import { layoutGraph } from './dagreLayout';
import type { LayoutRequest } from './layoutTypes';

const scope = self as unknown as { onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null; postMessage(message: unknown): void };

scope.onmessage = (event) => {
  try {
    scope.postMessage(layoutGraph(event.data));
  } catch (error) {
    scope.postMessage({ id: event.data.id, error: error instanceof Error ? error.message : String(error) });
  }
};
