// What the graph page and its layout worker say to each other.

export interface LayoutRequest {
  id: number;
  nodes: { id: string; width: number; height: number }[];
  edges: { id: string; from: string; to: string; labelWidth: number }[];
}

export interface Point {
  x: number;
  y: number;
}

export interface LayoutResult {
  id: number;
  /** Node centres. */
  nodes: Record<string, Point>;
  /** Each edge's route, source to target, and where its label goes. */
  edges: Record<string, { points: Point[]; label: Point | null }>;
  width: number;
  height: number;
}
