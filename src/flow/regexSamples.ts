// Strings that match a regex trigger (randexp), for the test generator's explorer. Both building a
// sample and checking it run the flow's own pattern, so callers run this in the regex worker
// (src/sandbox/regexBudget.ts), under its budget, never on the editor's or the CLI's thread.
import RandExp from 'randexp';

/** A sample longer than this is no message a user would type: it is dropped. */
const MAX_SAMPLE_LENGTH = 1000;

/** Up to `count` distinct strings that `pattern` matches, the same ones on every run. */
export function regexSamples(pattern: RegExp, count: number): string[] {
  const samples = new Set<string>();
  for (let seed = 1; seed <= count; seed += 1) {
    const generator = new RandExp(pattern);
    generator.max = 3;
    let state = seed * 7919;
    // A small LCG: deterministic, so generated tests do not change from one run to the next.
    generator.randInt = (from: number, to: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return from + (state % (to - from + 1));
    };
    const sample = generator.gen();
    if (sample.length <= MAX_SAMPLE_LENGTH && !/[\r\n]/.test(sample) && pattern.test(sample)) {
      samples.add(sample);
    }
  }
  return [...samples];
}
