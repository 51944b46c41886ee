// The price of running the regexes of flows and tests in the regex worker (off the calling thread,
// under a budget) against running them in the calling thread as before: a test run's regex
// expectations, and coverage inference over 2,000 sent texts and 20 regex triggers. Side by side
// in one run, so only the ratio counts on a noisy machine.
import { RegexBudget } from '../src/sandbox/regexBudget.js';

const PATTERNS = Array.from({ length: 20 }, (_, index) => new RegExp(`^(?:order|ORDER)-${index}\\d{2,4}$`, 'u'));
const TEXTS = Array.from({ length: 2000 }, (_, index) => `order-${index % 20}${1000 + index}`);
const PAIRS = PATTERNS.flatMap((pattern) => TEXTS.map((text) => ({ pattern, text })));

async function main(): Promise<void> {
  const budget = new RegexBudget();
  // Loading the worker is paid once per process: measured apart from the jobs.
  let started = performance.now();
  await budget.test({ source: '^warm$', flags: '' }, 'warm');
  const startMs = performance.now() - started;

  const rows = ['| What | Regex tests | In the calling thread | In the regex worker | Ratio |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const [name, pairs] of [
    ['one step\'s regex expectations (one at a time)', PAIRS.slice(0, 50)],
    ['coverage inference (all at once)', PAIRS],
  ] as const) {
    started = performance.now();
    let matched = 0;
    for (const { pattern, text } of pairs) {
      matched += pattern.test(text) ? 1 : 0;
    }
    const inThread = performance.now() - started;
    started = performance.now();
    let workerMatched = 0;
    if (pairs.length <= 50) {
      for (const { pattern, text } of pairs) {
        workerMatched += (await budget.test(pattern, text)) ? 1 : 0;
      }
    } else {
      workerMatched = (await Promise.all(pairs.map(({ pattern, text }) => budget.test(pattern, text)))).filter(Boolean).length;
    }
    const inWorker = performance.now() - started;
    if (matched !== workerMatched) {
      throw new Error(`the worker answered ${workerMatched} matches, the thread ${matched}`);
    }
    rows.push(`| ${name} | ${pairs.length} | ${inThread.toFixed(1)} ms | ${inWorker.toFixed(1)} ms | ${(inWorker / Math.max(inThread, 0.01)).toFixed(0)}× |`);
  }
  rows.push(`| starting the worker (once per process) | 1 | – | ${startMs.toFixed(0)} ms | – |`);
  console.log(rows.join('\n'));
  await budget.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
