// The validator's warning on a regex trigger that can backtrack catastrophically, from verdicts
// reached elsewhere: by regexSafety.ts in this thread (the sandbox's process), or in the regex
// worker for the editor (src/lazy/regexSafety.ts), which must not run the detectors itself.
import { childPath } from './flowPaths.js';
import type { IssueCollector } from './flowPaths.js';
import type { StateModel } from './flowTypes.js';

export const CATASTROPHIC_REGEX_WARNING =
  'This regex can backtrack catastrophically: on some messages (often a long run of one character followed by a mismatch) testing it takes seconds or more, and the sandbox stops the turn. Avoid nested or overlapping repetition such as (a+)+, (a{1,30}){1,30} or (a|a)*.';

/** What is known of a pattern: judged, or stopped because judging or running it ran past the regex budget. */
export type RegexVerdict = 'safe' | 'catastrophic' | { stopped: string };

/** One key per pattern (flags and source), for caches of verdicts and answers. */
export const patternKey = (pattern: { source: string; flags: string }): string => `${pattern.flags}/${pattern.source}`;

/** `verdictOf` returns undefined for a pattern not judged yet, which gets no warning this time. */
export function checkRegexSafetyWith(verdictOf: (pattern: RegExp) => RegexVerdict | undefined): (state: StateModel, issues: IssueCollector) => void {
  return (state, issues) => {
    const regexPath = childPath(childPath(state.path, 'transitions'), 'regex');
    for (const rule of state.transitions.regex) {
      const verdict = verdictOf(rule.pattern);
      if (verdict === 'catastrophic') {
        issues.warn(childPath(regexPath, rule.key), CATASTROPHIC_REGEX_WARNING);
      } else if (typeof verdict === 'object') {
        issues.warn(childPath(regexPath, rule.key), `This regex could not be checked: ${verdict.stopped}. Treat it as one that can backtrack catastrophically.`);
      }
    }
  };
}
