// One layered layout of a flow graph with dagre: top to bottom, labels given room on their edges,
// several edges between the same two states kept apart (a multigraph).
import dagre from '@dagrejs/dagre';
import type { LayoutRequest, LayoutResult, Point } from './layoutTypes';

export const LABEL_HEIGHT = 16;

export function layoutGraph(request: LayoutRequest): LayoutResult {
  const graph = new dagre.graphlib.Graph({ multigraph: true, directed: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, edgesep: 12, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of request.nodes) {
    graph.setNode(node.id, { width: node.width, height: node.height });
  }
  for (const edge of request.edges) {
    graph.setEdge(edge.from, edge.to, { width: edge.labelWidth, height: LABEL_HEIGHT, labelpos: 'c' }, edge.id);
  }
  dagre.layout(graph);
  const nodes: Record<string, Point> = {};
  for (const id of graph.nodes()) {
    const { x, y } = graph.node(id);
    nodes[id] = { x, y };
  }
  const edges: LayoutResult['edges'] = {};
  for (const key of graph.edges()) {
    const label = graph.edge(key) as { points?: Point[]; x?: number; y?: number };
    if (key.name !== undefined) {
      edges[key.name] = {
        points: (label.points ?? []).map(({ x, y }) => ({ x, y })),
        label: label.x === undefined || label.y === undefined ? null : { x: label.x, y: label.y },
      };
    }
  }
  const size = graph.graph();
  return { id: request.id, nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}
