// The catastrophic-regex check of the validator, for the editor (dist/regexSafety.js) and the
// sandbox's validate route: the detectors run in the regex worker (regexBudget.ts), under its
// budget, never in the extension host's thread or the thread that answers the sandbox's HTTP.
import { setCapped } from '../flow/cappedCache.js';
import { checkRegexSafetyWith, patternKey } from '../flow/regexWarnings.js';
import type { RegexVerdict } from '../flow/regexWarnings.js';
import type { ValidateOptions } from '../flow/validator.js';
import { RegexStoppedError, sharedRegexBudget } from './regexBudget.js';
import type { RegexBudget } from './regexBudget.js';

/** Verdicts kept, so an editor re-validating on each keystroke judges each pattern once. */
const VERDICTS_KEPT = 500;
const known = new Map<string, RegexVerdict>();

/**
 * Runs `validate` with the regex check. Patterns not judged yet are judged in the worker between a
 * first pass (which finds them) and a second (which warns); a pattern past the budget is reported
 * as one that could not be checked, and is not judged again.
 */
export async function validateWithRegexSafety<T>(validate: (options: Pick<ValidateOptions, 'checkRegexSafety'>) => T, budget: RegexBudget = sharedRegexBudget()): Promise<T> {
  const unjudged = new Map<string, RegExp>();
  const checkRegexSafety = checkRegexSafetyWith((pattern) => {
    const verdict = known.get(patternKey(pattern));
    if (verdict === undefined) {
      unjudged.set(patternKey(pattern), pattern);
    }
    return verdict;
  });
  const first = validate({ checkRegexSafety });
  if (unjudged.size === 0) {
    return first;
  }
  await Promise.all(
    [...unjudged].map(async ([key, pattern]) => {
      let verdict: RegexVerdict;
      try {
        verdict = (await budget.judge(pattern)) ? 'catastrophic' : 'safe';
      } catch (error) {
        if (!(error instanceof RegexStoppedError)) {
          throw error;
        }
        verdict = { stopped: error.message };
      }
      setCapped(known, key, verdict, VERDICTS_KEPT);
    }),
  );
  return validate({ checkRegexSafety });
}
