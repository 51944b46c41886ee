// Conversation tests: steps per second of a 1,000-step suite against the local sandbox (files in
// parallel), and, against a sandbox that imitates Sarufi's rate limits, how close the runner gets
// to the limit (1 write per 2 s) and how many 429s it meets (the goal: none). Then `generate` on
// each example flow (its time, coverage before and after), and a 1,000-step suite of the generated
// tests, whose API_CALLs are all answered by mocks.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FlowCoverage } from '../src/conversationTests/coverage.js';
import { generateTestsForFlow } from '../src/conversationTests/generate.js';
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

/** Copies of the tests until the suite has at least `steps` steps (greetings included). */
function suiteOf(steps: number, examples: ConversationTest[] = loadExamples()): ConversationTest[] {
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
  console.log(`\n${await generated()}`);
}

function covered(coverage: FlowCoverage): string {
  const states = coverage.states.filter((state) => state.reached).length;
  const edges = coverage.transitions.filter((edge) => edge.reached).length;
  return `${states}/${coverage.states.length} states, ${edges}/${coverage.transitions.length} transitions`;
}

/** `generate` on a copy of the examples, then the generated (mocked) tests as a 1,000-step suite. */
async function generated(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sarufi-bench-generate-'));
  for (const name of readdirSync(EXAMPLES).filter((file) => file.endsWith('.flow.json') || file.endsWith('.sarufi-test.yaml') || file === 'sarufi.sandbox.json')) {
    copyFileSync(join(EXAMPLES, name), join(dir, name));
  }
  const testFiles = readdirSync(dir).filter((file) => file.endsWith('.sarufi-test.yaml')).map((file) => join(dir, file));
  const rows = ['| generate | Tests written | Time | Coverage before | Coverage after | Generated passing |', '| --- | ---: | ---: | --- | --- | --- |'];
  const mocked: ConversationTest[] = [];
  for (const flow of ['pizza-order.flow.json', 'support-bot.flow.json']) {
    const summary = await generateTestsForFlow({ flowPath: join(dir, flow), testFiles });
    const passing = summary.generatedResults.filter((result) => result.status === 'passed').length;
    rows.push(`| ${flow} | ${summary.written.length} | ${(summary.durationMs / 1000).toFixed(2)} s | ${covered(summary.before)} | ${covered(summary.after)} | ${passing}/${summary.written.length} |`);
    mocked.push(...summary.generatedResults.map((result) => result.test).filter((test) => test.mocks !== null));
  }
  rows.push('', '| Run | Tests | Steps | Time | Steps/s | Result |', '| --- | ---: | ---: | ---: | ---: | --- |');
  for (const concurrency of [1, 8]) {
    const tests = suiteOf(SUITE_STEPS, mocked);
    const suite = await runConversationTests(tests, { concurrency });
    const seconds = suite.durationMs / 1000;
    rows.push(`| sandbox with mocks, ${concurrency} at once | ${tests.length} | ${suite.stepsRun} | ${seconds.toFixed(2)} s | ${Math.round(suite.stepsRun / seconds)} | ${suite.passed} passed, ${suite.failed} failed |`);
    if (suite.failed > 0) {
      process.exitCode = 1;
    }
  }
  return rows.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
