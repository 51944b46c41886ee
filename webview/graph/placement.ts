// Keeps the picture stable across edits: a graph that differs from the last laid-out one by a few
// states keeps every known state where it was and places only the new ones, beside a state that
// leads to them; edges between unmoved states keep their routes. Only a larger change (or Tidy
// Layout) asks the worker for a whole new layout.
import type { LayoutResult, Point } from './layoutTypes';

export interface SizedNode {
  id: string;
  width: number;
  height: number;
}

export interface PlacedEdge {
  id: string;
  from: string;
  to: string;
}

/** How many new states an edit may bring before the whole graph is laid out again. */
export function incrementalLimit(nodeCount: number): number {
  return Math.max(3, Math.floor(nodeCount * 0.02));
}

/** True when `previous` can be kept and only the new nodes placed. */
export function canPlaceIncrementally(previous: LayoutResult | null, nodes: readonly SizedNode[]): boolean {
  if (!previous) {
    return false;
  }
  const added = nodes.filter((node) => !(node.id in previous.nodes)).length;
  const kept = nodes.length - added;
  return kept > 0 && added <= incrementalLimit(nodes.length);
}

const GAP_X = 40;
const GAP_Y = 70;

/** The previous layout with the new nodes placed and the edges whose ends moved (or are new) routed straight. */
export function placeIncrementally(previous: LayoutResult, nodes: readonly SizedNode[], edges: readonly PlacedEdge[], previousEdges: ReadonlyMap<string, PlacedEdge>): LayoutResult {
  const size = new Map(nodes.map((node) => [node.id, node]));
  const placed: Record<string, Point> = {};
  for (const node of nodes) {
    const at = previous.nodes[node.id];
    if (at) {
      placed[node.id] = at;
    }
  }
  /** Whether `id` at `at` would overlap a placed node; only the nodes in its row band are looked at. */
  const overlapsIn = (band: readonly [string, Point][], id: string, at: Point): boolean => {
    const own = size.get(id) as SizedNode;
    return band.some(([other, point]) => {
      const them = size.get(other);
      return them !== undefined && Math.abs(point.x - at.x) < (own.width + them.width) / 2 + GAP_X / 2;
    });
  };
  let bottom = Math.max(0, ...Object.entries(placed).map(([id, point]) => point.y + (size.get(id)?.height ?? 0) / 2));
  for (const node of nodes) {
    if (placed[node.id]) {
      continue;
    }
    const parent = edges.find((edge) => edge.to === node.id && placed[edge.from]);
    const parentAt = parent ? placed[parent.from] : undefined;
    let at: Point = parentAt
      ? { x: parentAt.x, y: parentAt.y + ((size.get(parent?.from ?? '')?.height ?? 0) + node.height) / 2 + GAP_Y }
      : { x: node.width / 2 + 20, y: bottom + GAP_Y + node.height / 2 };
    const row = at.y;
    const band = Object.entries(placed).filter(([other, point]) => Math.abs(point.y - row) < ((size.get(other)?.height ?? 0) + node.height) / 2 + GAP_Y / 2);
    while (overlapsIn(band, node.id, at)) {
      at = { x: at.x + node.width + GAP_X, y: row };
    }
    placed[node.id] = at;
    bottom = Math.max(bottom, at.y + node.height / 2);
  }
  const routed: LayoutResult['edges'] = {};
  for (const edge of edges) {
    const before = previous.edges[edge.id];
    const old = previousEdges.get(edge.id);
    const unmoved = old !== undefined && old.from === edge.from && old.to === edge.to && previous.nodes[edge.from] !== undefined && previous.nodes[edge.to] !== undefined;
    if (before && unmoved) {
      routed[edge.id] = before;
      continue;
    }
    const from = placed[edge.from];
    const to = placed[edge.to];
    if (from && to) {
      const fromSize = size.get(edge.from) as SizedNode;
      const toSize = size.get(edge.to) as SizedNode;
      const start = { x: from.x, y: from.y + (to.y >= from.y ? fromSize.height / 2 : -fromSize.height / 2) };
      const end = { x: to.x, y: to.y + (to.y >= from.y ? -toSize.height / 2 : toSize.height / 2) };
      routed[edge.id] = { points: [start, end], label: { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 } };
    }
  }
  const width = Math.max(previous.width, ...Object.entries(placed).map(([id, point]) => point.x + (size.get(id)?.width ?? 0) / 2 + 20));
  return { id: previous.id, nodes: placed, edges: routed, width, height: Math.max(previous.height, bottom + 20) };
}
