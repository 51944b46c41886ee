import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Transcript, TurnEntry } from '../../src/chat/transcript.js';
import { runCli } from '../../src/cli/sarufiTest.js';
import type { CliIo } from '../../src/cli/sarufiTest.js';
import { coverageReport, flowLineLocator, pathSegments, suiteCoverage } from '../../src/conversationTests/coverage.js';
import { parseTestFile } from '../../src/conversationTests/format.js';
import { toJUnit } from '../../src/conversationTests/junit.js';
import { scrubSecrets } from '../../src/sarufi/redaction.js';
import { transcriptToTestYaml } from '../../src/conversationTests/fromTranscript.js';
import { runConversationTests } from '../../src/conversationTests/runner.js';
import { SarufiClient } from '../../src/sarufi/client.js';
import type { RateLimitWait } from '../../src/sarufi/client.js';
import { endpoints } from '../../src/sarufi/endpoints.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import { SANDBOX_API_KEY } from '../../src/sandbox/sandboxKeys.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { RunningSandbox } from '../../src/sandbox/server.js';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const PIZZA_FLOW = join(EXAMPLES, 'pizza-order.flow.json');
const EXAMPLE_TESTS = ['pizza-order.sarufi-test.yaml', 'pizza-order-wrong-input.sarufi-test.yaml', 'support-bot.sarufi-test.yaml'];

function loadExample(name: string) {
  const path = join(EXAMPLES, name);
  return parseTestFile(readFileSync(path, 'utf8'), path);
}

/** A test folder beside the examples' flows: the failing test file targets the pizza flow. */
function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sarufi-test-'));
  writeFileSync(join(dir, 'pizza.flow.json'), readFileSync(PIZZA_FLOW));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const FAILING = `name: Wrong size
target: {flow: pizza.flow.json}
variables: {area: Sinza}
steps:
  - button: order
    expect: {state: choose_pizza}
  - send: Margherita
    expect:
      state: ask_quantity
  - button: small
    expect: {state: ask_quantity}
`;

function captureIo(env: Record<string, string | undefined> = {}, cwd = EXAMPLES): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line), env, cwd };
}

describe('running conversation tests', () => {
  it('the examples pass against the sandbox, with current_state checked on every step', async () => {
    const tests = EXAMPLE_TESTS.map(loadExample);
    for (const test of tests) {
      assert.ok(test.steps.slice(1).every((step) => step.expect.state !== undefined), `${test.name} checks every state`);
    }
    const suite = await runConversationTests(tests);
    assert.deepEqual(
      suite.tests.map((result) => [result.test.name, result.status, result.steps.map((step) => step.failures.join('; ')).filter(Boolean)]),
      tests.map((test) => [test.name, 'passed', []]),
    );
    assert.equal(suite.stepsRun, tests.reduce((sum, test) => sum + test.steps.length, 0));
  });

  it('a failed step shows the mismatch as a diff and skips the steps after it', async () => {
    const dir = scratch({ 'wrong.sarufi-test.yaml': FAILING });
    const suite = await runConversationTests([parseTestFile(FAILING, join(dir, 'wrong.sarufi-test.yaml'))]);
    const result = suite.tests[0];
    assert.equal(result?.status, 'failed');
    assert.deepEqual(result?.steps.map((step) => step.status), ['passed', 'passed', 'failed', 'skipped']);
    const failed = result?.steps[2];
    assert.deepEqual(failed?.failures, ['expected current_state ask_quantity, got choose_size']);
    assert.match(failed?.expected ?? '', /^current_state: ask_quantity\n/);
    assert.match(failed?.actual ?? '', /^current_state: choose_size\nmessages:\n- type: buttons\n {2}text: "Margherita: ukubwa gani\? Which size\?"/);
    assert.deepEqual(failed?.sent, { message: 'Margherita' });
    assert.match(result?.steps[3]?.failures[0] ?? '', /not run: step 2: send "Margherita" failed/);
  });

  it('a click sends the title the bot showed, with the button id', async () => {
    const suite = await runConversationTests([loadExample('pizza-order.sarufi-test.yaml')]);
    assert.deepEqual(suite.tests[0]?.steps[1]?.sent, { message: 'Agiza / Order', buttonId: 'order' });
    assert.deepEqual(suite.tests[0]?.steps[2]?.sent, { message: 'Margherita', buttonId: 'margherita' });
  });

  it('a missing flow file is an error of the test, in words, not a crash', async () => {
    const dir = scratch({});
    const text = 'target: {flow: nowhere.flow.json}\nsteps: []\n';
    const suite = await runConversationTests([parseTestFile(text, join(dir, 'x.sarufi-test.yaml'))], { sandbox: { flowDirs: [dir] } });
    assert.equal(suite.tests[0]?.status, 'error');
    assert.match(suite.tests[0]?.steps[0]?.failures[0] ?? '', /nowhere\.flow\.json is not in the sandbox's flow folders/);
  });

  it(`the sandbox the runner starts uses a key of its own and refuses ${SANDBOX_API_KEY}`, async () => {
    const keys = new Set<string>();
    let wellKnownKeyStatus: number | null = null;
    const recording: typeof fetch = async (input, init) => {
      keys.add(new Headers(init?.headers).get('authorization') ?? '');
      if (wellKnownKeyStatus === null) {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${SANDBOX_API_KEY}`);
        const probe = await fetch(input, { ...init, headers });
        wellKnownKeyStatus = probe.status;
      }
      return fetch(input, init);
    };
    const suite = await runConversationTests([loadExample('pizza-order.sarufi-test.yaml')], { client: { fetch: recording } });
    assert.equal(suite.passed, 1);
    assert.equal(wellKnownKeyStatus, 401);
    assert.equal(keys.size, 1);
    assert.match([...keys][0] ?? '', /^Bearer sk-sandbox-[0-9a-f]{32}$/);
  });

  it('against a sandbox with the real rate limits, the runner paces itself: no 429', async () => {
    const exchanges: Exchange[] = [];
    const text = 'target: {flow: pizza.flow.json}\nsteps:\n  - button: order\n    expect: {state: choose_pizza}\n';
    const dir = scratch({});
    const tests = [0, 1].map((n) => parseTestFile(text, join(dir, `t${n}.sarufi-test.yaml`)));
    const waits: RateLimitWait[] = [];
    const suite = await runConversationTests(tests, {
      sandbox: { rateLimits: true },
      client: { onExchange: (exchange) => exchanges.push(exchange), onRateLimited: (_ms, wait) => waits.push(wait) },
    });
    assert.equal(suite.passed, 2);
    assert.equal(exchanges.length, 4, `two sessions and two messages, no retries: ${JSON.stringify(exchanges.map((e) => [e.method, e.url, e.status, e.durationMs]))}`);
    assert.ok(exchanges.every((exchange) => exchange.status !== 429));
    // Four writes at one per 2 s: each after the first waited for its slot, none for a 429.
    assert.deepEqual(waits.map((wait) => [wait.reason, wait.method]), [['pacing', 'POST'], ['pacing', 'POST'], ['pacing', 'POST']]);
  });
});

describe('coverage', () => {
  it('locates JSON paths of both flow shapes', () => {
    assert.deepEqual(pathSegments('states.main_menu.transitions.keywords["saa|hours|open"]'), ['states', 'main_menu', 'transitions', 'keywords', 'saa|hours|open']);
    assert.deepEqual(pathSegments('states.check_bulk.actions[0].then'), ['states', 'check_bulk', 'actions', 0, 'then']);
    const text = readFileSync(PIZZA_FLOW, 'utf8');
    const lines = text.split('\n');
    const line = flowLineLocator(text)('states.check_bulk.actions[0].else');
    assert.match(lines[line ?? -1] ?? '', /"else"|"then"/);
    const support = readFileSync(join(EXAMPLES, 'support-bot.flow.json'), 'utf8');
    const ask = flowLineLocator(support)('states.ask_order_id');
    assert.match(support.split('\n')[ask ?? -1] ?? '', /^\s*"ask_order_id": \{/);
  });

  it('the example suite reaches the bulk offer, and says what it never reached', async () => {
    const suite = await runConversationTests(EXAMPLE_TESTS.map(loadExample));
    const coverages = await suiteCoverage(suite.tests, (path) => readFileSync(path, 'utf8'));
    const pizza = coverages.find((coverage) => coverage.flowPath === PIZZA_FLOW);
    assert.ok(pizza);
    const reached = (name: string): boolean | undefined => pizza.states.find((state) => state.name === name)?.reached;
    assert.equal(reached('bulk_offer'), true, 'six pizzas take the CONDITION to the bulk offer');
    assert.equal(reached('menu_video'), false);
    const edge = pizza.transitions.find((candidate) => candidate.from === 'check_bulk' && candidate.to === 'bulk_offer');
    assert.equal(edge?.reached, true);
    assert.equal(pizza.transitions.find((candidate) => candidate.from === 'main_menu' && candidate.to === 'menu_video')?.reached, false);
    const report = coverageReport(coverages);
    // One set of numbers: the overall figure is what VS Code's Test Coverage view shows (states and transitions together).
    assert.match(report, /pizza-order\.flow\.json: 69\.81% of states and transitions \(as the Test Coverage view counts them\); states 15\/16 \(94%\), transitions 22\/37 \(59%\)/);
    assert.match(report, /state not reached: menu_video \(line \d+\)/);
    assert.match(report, /transition not taken: main_menu -> menu_video \[button menu_video\] \(line \d+\)/);
    const choices = report.split('\n').filter((line) => line.includes('choose_pizza -> choose_size'));
    assert.equal(new Set(choices).size, choices.length, `each way from choose_pizza to choose_size names its own trigger: ${choices.join(' | ')}`);
  });
});

describe('save a chat as a test', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ flowDirs: [EXAMPLES] });
  });
  after(() => sandbox.close());

  it('the saved YAML replays as a passing test, with the observed replies as its expectations', async () => {
    const bot = sandbox.chatbots().find((candidate) => candidate.name === 'Pizza Bahari');
    assert.ok(bot);
    const client = new SarufiClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey });
    const entries: TurnEntry[] = [];
    const created = await client.call(endpoints.createSession(bot.id));
    const turn = (sessionId: string, data: { messages: TurnEntry['messages']; current_state?: string | null }, exchange: Exchange, user?: TurnEntry['user']): TurnEntry => ({
      kind: 'turn', id: String(entries.length), sessionId, ...(user ? { user } : {}), messages: data.messages, currentState: data.current_state ?? null,
      messagesCount: null, at: new Date().toISOString(), durationMs: 1, status: 200, exchange,
    });
    const sessionId = created.data.session_id;
    entries.push(turn(sessionId, created.data, created.exchange));
    for (const user of [{ text: 'Agiza / Order', buttonId: 'order' }, { text: 'samaki' }, { text: 'Big', buttonId: 'large' }]) {
      const sent = await client.call(endpoints.sendMessage(bot.id, sessionId, user.buttonId ? { message: user.text, button_id: user.buttonId } : { message: user.text }));
      entries.push(turn(sessionId, sent.data, sent.exchange, user));
    }
    const transcript = { version: 1, session: { chatbotId: bot.id, chatbotName: 'Pizza Bahari', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: sandbox.baseUrl, sessionId, createdAt: null, messagesCount: null, expiresAt: null, trail: [], status: 'open' }, entries } as Transcript;
    const yaml = transcriptToTestYaml(transcript, { flow: 'pizza-order.flow.json' }, 'Saved chat');
    assert.match(yaml, /^# Saved from a chat with Pizza Bahari/);
    assert.match(yaml, /- button: order\n {4}expect:\n {6}state: choose_pizza/);
    // The click on "large" was sent with another text than the button's title: kept.
    assert.match(yaml, /- button: large\n {4}text: Big\n/);
    assert.doesNotMatch(yaml, new RegExp(sandbox.apiKey));
    const test = parseTestFile(yaml, join(EXAMPLES, 'saved.sarufi-test.yaml'));
    assert.equal(test.steps.length, 4);
    assert.deepEqual(test.steps[2]?.expect.messages, [{ type: 'text', text: 'Samahani, hiyo haipo kwenye menyu. Sorry, that is not on the menu: please pick from the list.' }, { type: 'list', text: 'Chagua pizza yako. Pick your pizza:', rows: ['margherita', 'pepperoni', 'veggie', 'mishkaki', 'kuku_pilipili', 'samaki'] }]);
    const suite = await runConversationTests([test], { sandbox: { running: sandbox } });
    assert.equal(suite.tests[0]?.status, 'passed', JSON.stringify(suite.tests[0]?.steps.map((step) => step.failures)));
  });
});

describe('the sarufi-test CLI', () => {
  it('runs the examples folder, writes JUnit and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sarufi-junit-'));
    const io = captureIo();
    const code = await runCli(['.', '--junit', join(dir, 'report.xml'), '--coverage'], io);
    assert.equal(code, 0, io.lines.join('\n'));
    assert.match(io.lines.join('\n'), /3 passed, 0 failed \(3 tests, 25 steps/);
    assert.match(io.lines.join('\n'), /Coverage\npizza-order\.flow\.json: 69\.81% of states and transitions .*; states 15\/16/);
    const xml = readFileSync(join(dir, 'report.xml'), 'utf8');
    assert.match(xml, /<testsuites name="sarufi-test" tests="25" failures="0" errors="0"/);
    assert.match(xml, /<testcase classname="pizza-order\.sarufi-test\.yaml" name="Order two margheritas › 1: button order" file="pizza-order\.sarufi-test\.yaml" line="\d+"/);
  });

  it('exits 1 on a failing test, with the file:line of the step and a diff; the key never shows', async () => {
    const key = 'sk-live-ci-secret-7f3a9c';
    // The key is typed as the delivery area, so the bot echoes it back in the failing reply.
    const leaky = `target: {flow: pizza.flow.json}
steps:
  - button: order
  - button: margherita
  - button: small
  - send: "3"
  - send: "{{env.SARUFI_API_KEY}}"
    expect:
      state: ask_area
`;
    const dir = scratch({ 'leaky.sarufi-test.yaml': leaky });
    const sandbox = await startSandbox({ flowDirs: [dir], apiKey: key });
    try {
      const bot = sandbox.chatbots()[0];
      assert.ok(bot);
      const io = captureIo({ SARUFI_API_KEY: key }, dir);
      const junit = join(dir, 'junit.xml');
      const code = await runCli(['leaky.sarufi-test.yaml', '--base-url', sandbox.baseUrl, '--chatbot', bot.id, '--junit', junit], io);
      const output = io.lines.join('\n');
      assert.equal(code, 1, output);
      assert.match(output, /FAIL leaky\.sarufi-test\.yaml/);
      assert.match(output, /leaky\.sarufi-test\.yaml:7 {2}step 5: send/);
      assert.match(output, /- current_state: ask_area\n\s*\+ current_state: confirm_order/);
      assert.doesNotMatch(output, new RegExp(key));
      const xml = readFileSync(junit, 'utf8');
      assert.match(xml, /<failure message="expected current_state ask_area, got confirm_order"/);
      assert.doesNotMatch(xml, new RegExp(key));
    } finally {
      await sandbox.close();
    }
  });

  it('JUnit and the CLI scrub a key that a server echoed in a reply', () => {
    const key = 'sk-echoed-by-a-careless-server-1234';
    const test = parseTestFile('target: {chatbot: bot}\nsteps:\n  - send: hi\n', join(EXAMPLES, 'echo.sarufi-test.yaml'));
    const step = test.steps[1];
    assert.ok(step);
    const result = {
      test, status: 'failed' as const, durationMs: 1, flowPath: null, observed: [], golden: null,
      steps: [{ step, status: 'failed' as const, failures: [`expected the text "x", got "${key}"`], expected: 'text: "x"\n', actual: `text: "${key}"\n`, durationMs: 1, currentState: null }],
    };
    const xml = toJUnit({ tests: [result], passed: 0, failed: 1, durationMs: 1, stepsRun: 1 }, (path) => path, [key]);
    assert.doesNotMatch(xml, new RegExp(key));
    assert.match(xml, /got &quot;\[redacted\]&quot;/);
    assert.equal(scrubSecrets(`a ${key} b ${key}`, [key]), 'a [redacted] b [redacted]');
  });

  it('exits 2 with the line of a malformed file, and for bad arguments', async () => {
    const dir = scratch({ 'broken.sarufi-test.yaml': 'target: {flow: pizza.flow.json}\nsteps:\n  - sned: hi\n' });
    const io = captureIo({}, dir);
    assert.equal(await runCli(['.'], io), 2);
    assert.match(io.lines.join('\n'), /^sarufi-test: broken\.sarufi-test\.yaml:3: unknown key "sned" in step 1/);
    const usage = captureIo({}, dir);
    assert.equal(await runCli(['.', '--base-url', 'http://127.0.0.1:1/api/dev/v1'], usage), 2);
    assert.match(usage.lines.join('\n'), /--base-url needs the API key in the SARUFI_API_KEY environment variable/);
  });
});
