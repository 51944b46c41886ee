// Maps an issue path of the validator or of Sarufi's validate endpoint (`states.menu.message.buttons[3]`,
// `states["ask-name"].transitions.keywords["yes|ndiyo"]`) to the range of the offending key in the
// flow file's text, with jsonc-parser's syntax tree (which keeps offsets; JSON.parse does not).
import { findNodeAtLocation } from 'jsonc-parser';
import type { Node as JsonNode } from 'jsonc-parser';
import { scanOutsideStrings } from '../flow/jsonText.js';

export type PathSegment = string | number;

/**
 * Splits an issue path into keys and indexes. Unparseable tails are kept as one key, so a path
 * in a spelling this project does not know still lands on its nearest known ancestor.
 */
export function parseIssuePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let index = 0;
  while (index < path.length) {
    const char = path[index];
    if (char === '.') {
      index += 1;
      continue;
    }
    if (char === '[') {
      const close = findBracketEnd(path, index);
      if (close === -1) {
        segments.push(path.slice(index));
        break;
      }
      const inner = path.slice(index + 1, close);
      if (/^\d+$/.test(inner)) {
        segments.push(Number(inner));
      } else if (inner.startsWith('"')) {
        try {
          segments.push(JSON.parse(inner) as string);
        } catch {
          segments.push(inner);
        }
      } else {
        // Other services may write `['key']` or `[key]`.
        segments.push(inner.replace(/^'(.*)'$/, '$1'));
      }
      index = close + 1;
      continue;
    }
    let end = index;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') {
      end += 1;
    }
    segments.push(path.slice(index, end));
    index = end;
  }
  return segments;
}

/** The index of the `]` that closes the bracket at `open`, skipping brackets inside a JSON string. */
function findBracketEnd(path: string, open: number): number {
  return scanOutsideStrings(path, open + 1, (char) => char === ']');
}

/**
 * Issue paths always start with `states.`, whichever shape the file has; in the map-shaped flow
 * (no top-level "states" key) the states are at the top level, so that first key goes.
 */
export function documentPath(root: JsonNode | undefined, segments: PathSegment[]): PathSegment[] {
  if (segments[0] !== 'states' || !root || root.type !== 'object') {
    return segments;
  }
  const wrapped = findNodeAtLocation(root, ['states']) !== undefined;
  return wrapped ? segments : segments.slice(1);
}

export interface LocatedPath {
  /** Offset and length of the highlighted text: the key of a property, or an array element. */
  offset: number;
  length: number;
  /** False when the path went further than the file (the range is its nearest existing ancestor). */
  exact: boolean;
  /** The node the path names (or its nearest ancestor): the value, not the key. */
  node: JsonNode | undefined;
}

/** Where an issue path points in a parsed file; the whole first character when nothing matches. */
export function locateIssuePath(root: JsonNode | undefined, path: string): LocatedPath {
  if (!root) {
    return { offset: 0, length: 0, exact: false, node: undefined };
  }
  const segments = documentPath(root, parseIssuePath(path));
  let found: JsonNode | undefined;
  let depth = segments.length;
  for (; depth >= 0; depth -= 1) {
    found = depth === 0 ? root : findNodeAtLocation(root, segments.slice(0, depth));
    if (found) {
      break;
    }
  }
  const node = found ?? root;
  const exact = depth === segments.length;
  const parent = node.parent;
  if (parent?.type === 'property') {
    // The key of `"default": "nowhere"` is what the author looks for in the Problems panel.
    const key = parent.children?.[0];
    if (key) {
      return { offset: key.offset, length: key.length, exact, node };
    }
  }
  if (node === root) {
    // The whole file would underline everything; its opening brace says "the flow itself".
    return { offset: root.offset, length: Math.min(1, root.length), exact, node };
  }
  return { offset: node.offset, length: node.length, exact, node };
}
