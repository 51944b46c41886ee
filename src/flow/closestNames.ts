// "Did you mean …?": the known names closest to a misspelt one, for quick fixes and notes that
// offer the fix an author most likely meant (`opening_hourz` → `opening_hours`).
import leven from 'leven';

/**
 * Up to `limit` of `known` within a typo's reach of `name`, closest first (ties in the order
 * given). A name counts as within reach when at most a third of its letters (at least one, at
 * most four) differ, or when it differs only in case, spaces, `-` and `_`.
 */
export function closestNames(name: string, known: Iterable<string>, limit = 3): string[] {
  const loose = looseSpelling(name);
  const reach = Math.min(4, Math.max(1, Math.floor(name.length / 3)));
  const scored: { candidate: string; score: number; order: number }[] = [];
  let order = 0;
  for (const candidate of known) {
    order += 1;
    if (candidate === name) {
      continue;
    }
    const score = looseSpelling(candidate) === loose ? 0 : leven(name, candidate);
    if (score <= reach) {
      scored.push({ candidate, score, order });
    }
  }
  scored.sort((a, b) => a.score - b.score || a.order - b.order);
  return scored.slice(0, limit).map((entry) => entry.candidate);
}

function looseSpelling(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}
