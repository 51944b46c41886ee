// Warns about regex triggers that can backtrack catastrophically (`^(a+)+$` against 'aaaa…a!'),
// on the line of the pattern, before a user's message makes the sandbox stop the turn. The check
// is redos-detector's, which walks the pattern's possible paths, not a rule of thumb of ours.
import { isSafe } from 'redos-detector';
import { setCapped } from './cappedCache.js';
import { childPath } from './flowPaths.js';
import type { IssueCollector } from './flowPaths.js';
import type { StateModel } from './flowTypes.js';

/** How long one pattern may be studied; a pattern too complex to judge in time gets no warning. */
const CHECK_TIMEOUT_MS = 250;
/** Verdicts kept, so an editor re-validating on each keystroke checks each pattern once. */
const VERDICTS_KEPT = 500;
const verdicts = new Map<string, boolean>();

function judge(pattern: RegExp): boolean {
  const check = (regex: RegExp) => {
    const result = isSafe(regex, { timeout: CHECK_TIMEOUT_MS });
    return result.error === 'hitMaxScore' || (!result.safe && result.score.infinite);
  };
  try {
    return check(pattern);
  } catch {
    try {
      // The detector does not take `i` with `u`; case does not change how a pattern backtracks.
      return pattern.flags.includes('i') ? check(new RegExp(pattern.source, pattern.flags.replace('i', ''))) : false;
    } catch {
      // Syntax the detector does not know: no verdict rather than a false alarm.
      return false;
    }
  }
}

export function canBacktrackCatastrophically(pattern: RegExp): boolean {
  const key = `${pattern.flags}/${pattern.source}`;
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = judge(pattern);
    setCapped(verdicts, key, verdict, VERDICTS_KEPT);
  }
  return verdict;
}

export function checkRegexSafety(state: StateModel, issues: IssueCollector): void {
  const regexPath = childPath(childPath(state.path, 'transitions'), 'regex');
  for (const rule of state.transitions.regex) {
    if (canBacktrackCatastrophically(rule.pattern)) {
      issues.warn(
        childPath(regexPath, rule.key),
        `This regex can backtrack catastrophically: on some messages (often a long run of one character followed by a mismatch) testing it takes seconds or more, and the sandbox stops the turn. Avoid nested or overlapping repetition such as (a+)+ or (a|a)*.`,
      );
    }
  }
}
