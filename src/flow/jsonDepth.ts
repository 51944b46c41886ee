// How deeply a JSON value nests, found without recursion: a flow file or request body nested
// deeper than the call stack must be refused with words, not crash whatever walks it next.
import { scanOutsideStrings } from './jsonText.js';

/** Deepest nesting a flow file or request body may have; real ones stay under 15. */
export const MAX_JSON_DEPTH = 64;

/**
 * The keys and indexes down to the first array or object nested deeper than `limit` (the
 * outermost value is depth 1), or null when the whole value is within it.
 */
export function pathBeyondDepth(value: unknown, limit = MAX_JSON_DEPTH): (string | number)[] | null {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) {
      continue;
    }
    if (next.path.length >= limit) {
      return next.path;
    }
    const entries: [string | number, unknown][] = Array.isArray(next.value) ? [...next.value.entries()] : Object.entries(next.value);
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null) {
        pending.push({ value: child, path: [...next.path, key] });
      }
    }
  }
  return null;
}

/**
 * Where JSON text first opens an array or object deeper than `limit`, found without parsing it
 * (strings skipped), or -1 when it stays within: text too deep for a parser's stack is refused first.
 */
export function offsetBeyondDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  return scanOutsideStrings(text, 0, (char) => {
    if (char === '[' || char === '{') {
      depth += 1;
      return depth > limit;
    }
    if (char === ']' || char === '}') {
      depth -= 1;
    }
    return false;
  });
}
