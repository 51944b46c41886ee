// Conversation tests: steps per second of a 1,000-step suite against the local sandbox (files in
// parallel), and, against a sandbox that imitates Sarufi's rate limits, how close the runner gets
// to the limit (1 write per 2 s) and how many 429s it meets (the goal: none).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseTestFile } from '../src/conversationTests/format.js';
import type { ConversationTest } from '../src/conversationTests/format.js';
import { runConversationTests } from '../src/conversationTests/runner.js';

// The bench runner starts every bench in the project's root.
const EXAMPLES = resolve('examples');
const SUITE_STEPS = 1000;
const RATE_LIMITED_TESTS = 3;

function loadExamples(): ConversationTest[] {
  return ['pizza-order.sarufi-test.yaml', 'pizza-order-wrong-input.sarufi-test.yaml', 'support-bot.sarufi-test.yaml'].map((name) => {
    const path = resolve(EXAMPLES, name);
    return parseTestFile(readFileSync(path, 'utf8'), path);
  });
}

/** Copies of the example tests until the suite has at least `steps` steps (greetings included). */
function suiteOf(steps: number): ConversationTest[] {
  const examples = loadExamples();
  const suite: ConversationTest[] = [];
  let total = 0;
  for (let i = 0; total < steps; i += 1) {
    const test = examples[i % examples.length] as ConversationTest;
    suite.push({ ...test, name: `${test.name} #${i}` });
    total += test.steps.length;
  }
  return suite;
}

async function main(): Promise<void> {
  const rows: string[] = ['| Run | Tests | Steps | Time | Steps/s | Writes/s | 429s | Result |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |'];

  for (const concurrency of [1, 8]) {
    const tests = suiteOf(SUITE_STEPS);
    const suite = await runConversationTests(tests, { concurrency });
    const seconds = suite.durationMs / 1000;
    rows.push(
      `| sandbox, ${concurrency} at once | ${tests.length} | ${suite.stepsRun} | ${seconds.toFixed(2)} s | ${Math.round(suite.stepsRun / seconds)} | — | — | ${suite.passed} passed, ${suite.failed} failed |`,
    );
    if (suite.failed > 0) {
      process.exitCode = 1;
    }
  }

  // Every step is a write (a session, then one message per step): the limit is 0.5 writes/s.
  const limited = loadExamples().slice(0, 1);
  const tests = Array.from({ length: RATE_LIMITED_TESTS }, (_, i) => ({ ...(limited[0] as ConversationTest), name: `rate-limited #${i}` }));
  let tooMany = 0;
  let writes = 0;
  const suite = await runConversationTests(tests, {
    concurrency: RATE_LIMITED_TESTS,
    sandbox: { rateLimits: true },
    client: {
      onExchange: (exchange) => {
        writes += 1;
        if (exchange.status === 429) {
          tooMany += 1;
        }
      },
    },
  });
  const seconds = suite.durationMs / 1000;
  rows.push(
    `| sandbox with Sarufi's limits, ${RATE_LIMITED_TESTS} at once | ${tests.length} | ${suite.stepsRun} | ${seconds.toFixed(1)} s | ${(suite.stepsRun / seconds).toFixed(2)} | ${(writes / seconds).toFixed(3)} (limit 0.5) | ${tooMany} | ${suite.passed} passed, ${suite.failed} failed |`,
  );
  if (tooMany > 0 || suite.failed > 0) {
    process.exitCode = 1;
  }
  console.log(rows.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
