// Intent matching in the sandbox. Sarufi matches intents with its own NLU, which is not public;
// the sandbox uses a deterministic stand-in an author can predict instead: the Dice coefficient
// of normalised word sets, against each example phrase, with a fixed threshold.

/** A message matches an intent when it is at least this similar to one example phrase. */
export const INTENT_THRESHOLD = 0.5;

/** Lower case, accents dropped, split on anything that is not a letter or digit (any script). */
export function intentWords(text: string): Set<string> {
  const plain = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return new Set(plain.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== ''));
}

/** 2·|A∩B| / (|A|+|B|): 1 for the same words, 0 for none shared. */
export function diceSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) {
    return 0;
  }
  let shared = 0;
  for (const word of a) {
    if (b.has(word)) {
      shared += 1;
    }
  }
  return (2 * shared) / (a.size + b.size);
}

/** How close the message is to the intent: its best score against any example phrase. */
export function intentScore(examples: readonly string[], message: string): number {
  const words = intentWords(message);
  return Math.max(0, ...examples.map((example) => diceSimilarity(words, intentWords(example))));
}

/** The candidate intent the message is most similar to (the first on a tie), if any reaches the threshold. */
export function bestIntent(
  candidates: readonly string[],
  intents: ReadonlyMap<string, readonly string[]>,
  message: string,
): string | null {
  let best: string | null = null;
  let bestScore = INTENT_THRESHOLD;
  for (const intent of candidates) {
    const score = intentScore(intents.get(intent) ?? [], message);
    if (score > bestScore || (best === null && score >= bestScore)) {
      best = intent;
      bestScore = score;
    }
  }
  return best;
}
