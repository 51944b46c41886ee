// The bench's own page (bundled by flowGraph.bench.ts, never shipped): the two peers of the flow
// graph's first paint, in the same browser: dagre alone on the very request the graph's page sends
// its worker, and Mermaid rendering the exported stateDiagram-v2 into the page.
import mermaid from 'mermaid';
import type { FlowGraph } from '../src/protocol';
import { layoutGraph } from '../webview/graph/dagreLayout';
import { layoutRequest } from '../webview/graph/graphApp';

declare global {
  interface Window {
    benchLayout(graph: FlowGraph): number;
    benchMermaid(text: string): Promise<number>;
  }
}

let renders = 0;
mermaid.initialize({ startOnLoad: false, maxEdges: 1_000_000, maxTextSize: 100_000_000, securityLevel: 'strict' });

window.benchLayout = (graph) => {
  const started = performance.now();
  layoutGraph(layoutRequest(graph, 1));
  return performance.now() - started;
};

window.benchMermaid = async (text) => {
  const container = document.getElementById('mermaid') as HTMLElement;
  const started = performance.now();
  const { svg } = await mermaid.render(`m${++renders}`, text);
  container.innerHTML = svg;
  await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  return performance.now() - started;
};
