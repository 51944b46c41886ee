// Warns about regex triggers that can backtrack catastrophically (`^(a+)+$` against 'aaaa…a!'),
// on the line of the pattern, before a user's message makes the sandbox stop the turn. Unbounded
// repetition is redos-detector's to judge (it walks the pattern's possible paths); it calls nested
// *bounded* repetition safe (`^(a{1,30}){1,30}(?=b)`, 30^30 ways to split a run of a's), so that
// case is ours: a repeated group that is nothing but a repetition of variable length.
import { isSafe } from 'redos-detector';
import tokenizer, { types } from 'ret';
import type { Token } from 'ret';
import { setCapped } from './cappedCache.js';
import { patternKey } from './regexWarnings.js';

/** How long one pattern may be studied; a pattern too complex to judge in time gets no warning. */
const CHECK_TIMEOUT_MS = 250;
/** Verdicts kept, so an editor re-validating on each keystroke checks each pattern once. */
const VERDICTS_KEPT = 500;
/** Ways to split one run of text (as a power of ten) from which nested bounded repetition is flagged. */
const NESTED_WAYS_LOG10 = 4;

const verdicts = new Map<string, boolean>();

function detectorFlags(pattern: RegExp): boolean {
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

const isLookaround = (token: Token): boolean => token.type === types.GROUP && (token.followedBy === true || token.notFollowedBy === true || token.lookBehind === true);

function alternativesOf(token: { stack?: Token[]; options?: Token[][] }): Token[][] {
  return token.options ?? [token.stack ?? []];
}

/** True when the token can match the empty string (so it cannot tell two splits of a run apart). */
function canBeEmpty(token: Token): boolean {
  switch (token.type) {
    case types.POSITION:
      return true;
    case types.REPETITION:
      return token.min === 0 || canBeEmpty(token.value);
    case types.GROUP:
      return isLookaround(token) || alternativesOf(token).some((sequence) => sequence.every(canBeEmpty));
    default:
      return false;
  }
}

/** For a token that is, at heart, one repetition of variable length: how many lengths it can take. */
function variableLengths(token: Token): number | null {
  if (token.type === types.REPETITION) {
    return token.min < token.max ? Math.min(token.max, 1000) - token.min + 1 : variableLengths(token.value);
  }
  if (token.type !== types.GROUP || isLookaround(token)) {
    return null;
  }
  let most: number | null = null;
  for (const sequence of alternativesOf(token)) {
    const solid = sequence.filter((item) => !canBeEmpty(item));
    const core = solid.length === 1 ? (solid[0] as Token) : solid.length === 0 ? sequence.find((item) => item.type === types.REPETITION || item.type === types.GROUP) : undefined;
    const lengths = core === undefined ? null : variableLengths(core);
    if (lengths !== null) {
      most = Math.max(most ?? 0, lengths);
    }
  }
  return most;
}

/** A repeated group whose body is one variable-length repetition: `(a{1,30}){1,30}`, `(a?){30}`. */
function hasNestedVariableRepetition(token: Token | { stack?: Token[]; options?: Token[][] }): boolean {
  const children = (item: Token | { stack?: Token[]; options?: Token[][] }): Token[] => {
    if ('type' in item && item.type === types.REPETITION) {
      return [item.value];
    }
    if (!('type' in item) || item.type === types.GROUP || (item.type as number) === types.ROOT) {
      return alternativesOf(item as { stack?: Token[]; options?: Token[][] }).flat();
    }
    return [];
  };
  if ('type' in token && token.type === types.REPETITION && token.max >= 2) {
    const inner = variableLengths(token.value);
    if (inner !== null && inner > 1 && Math.min(token.max, 1000) * Math.log10(inner) >= NESTED_WAYS_LOG10) {
      return true;
    }
  }
  return children(token).some(hasNestedVariableRepetition);
}

function nestedBoundedRepetition(pattern: RegExp): boolean {
  try {
    return hasNestedVariableRepetition(tokenizer(pattern.source));
  } catch {
    // Syntax ret does not read (some `u` escapes): redos-detector's verdict stands alone.
    return false;
  }
}

/**
 * Runs the flow's pattern only through the detectors (no text is matched), but a detector can
 * still take its time: it runs in the regex worker (src/sandbox/regexBudget.ts), for the editor
 * and the sandbox's validate route alike (src/sandbox/regexSafetyCheck.ts).
 */
export function canBacktrackCatastrophically(pattern: RegExp): boolean {
  const key = patternKey(pattern);
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = nestedBoundedRepetition(pattern) || detectorFlags(pattern);
    setCapped(verdicts, key, verdict, VERDICTS_KEPT);
  }
  return verdict;
}
