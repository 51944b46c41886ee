import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseTestFile, TestFileError } from '../../src/conversationTests/format.js';
import { runConversationTests } from '../../src/conversationTests/runner.js';
import type { SuiteResult } from '../../src/conversationTests/runner.js';
import { startRecordingServer, sendJson } from './sandboxTestKit.js';
import type { RecordingServer } from './sandboxTestKit.js';

const SUPPORT_FLOW = join(__dirname, '..', '..', 'examples', 'support-bot.flow.json');

const HEAD = `target: {flow: support.flow.json}
steps:
  - button: track
    expect: {state: ask_order_id}
`;

const MOCKED = `name: Delivered, then a ticket that fails only in its own step
target: {flow: support.flow.json}
mocks:
  orders:
    /orders/*:
      status: 200
      body: {id: "1042", status: delivered, item: Pizza, delivered_at: "2026-07-14 13:05"}
    POST /tickets:
      status: 201
      body: {id: T-0001}
steps:
  - button: track
    expect: {state: ask_order_id}
  - send: "1042"
    expect:
      state: delivered
      contains: Order #1042 (Pizza) was delivered on 2026-07-14 13:05.
  - button: report
    expect: {state: describe_problem}
  - send: The box was empty
    mocks:
      orders:
        POST /tickets: {status: 503, body: {detail: Ticket desk is closed.}}
    expect:
      state: order_error
      contains: Ticket desk is closed.
`;

const STRICT = `name: An unmocked call under strict_mocks
target: {flow: support.flow.json}
strict_mocks: true
mocks:
  orders:
    /orders/1042: {body: {id: "1042", status: in_transit, item: Pizza, eta: soon}}
steps:
  - send: "track"
  - send: "1042"
    expect: {state: in_transit}
  - button: notify
    expect: {state: subscribed}
`;

const LOOSE = `name: An unmocked call without strict_mocks takes the failure path
target: {flow: support.flow.json}
mocks: {}
steps:
  - button: track
  - send: "1043"
    expect:
      state: order_error
      contains: "not mocked: GET /orders/1043 on integration"
`;

describe('conversation tests with mocks', () => {
  let backend: RecordingServer;
  let dir: string;
  let suite: SuiteResult;

  before(async () => {
    // The real backend answers everything with an order: any request reaching it would show.
    backend = await startRecordingServer((_request, response) => sendJson(response, 200, { id: '1042', status: 'cancelled' }));
    dir = mkdtempSync(join(tmpdir(), 'sarufi-mocks-'));
    writeFileSync(join(dir, 'support.flow.json'), readFileSync(SUPPORT_FLOW));
    writeFileSync(join(dir, 'sarufi.sandbox.json'), JSON.stringify({ integrations: { orders: { baseUrl: backend.url } } }));
    const files = { 'mocked.sarufi-test.yaml': MOCKED, 'strict.sarufi-test.yaml': STRICT, 'loose.sarufi-test.yaml': LOOSE };
    const tests = Object.entries(files).map(([name, text]) => {
      writeFileSync(join(dir, name), text);
      return parseTestFile(text, join(dir, name));
    });
    suite = await runConversationTests(tests, { env: {} });
  });

  after(async () => {
    await backend.close();
  });

  it('the backend counts 0 requests: every API_CALL of a mocked test is answered by the mocks', () => {
    assert.equal(backend.requests.length, 0);
  });

  it('serves the test mocks, and a step mock overrides the same path for that step only', () => {
    const mocked = suite.tests[0];
    assert.equal(mocked?.status, 'passed', JSON.stringify(mocked?.steps.map((step) => step.failures)));
    assert.equal(mocked?.steps.length, 5);
  });

  it('strict_mocks fails the step whose flow calls an unmocked path, naming the call', () => {
    const strict = suite.tests[1];
    assert.equal(strict?.status, 'error');
    const notify = strict?.steps.find((step) => step.step.label === '3: button notify');
    assert.equal(notify?.status, 'error');
    assert.match(notify?.failures.join('\n') ?? '', /strict_mocks: no mock answers POST \/orders\/1042\/subscribe on integration "orders"/);
    assert.deepEqual(strict?.steps.slice(0, 3).map((step) => step.status), ['passed', 'passed', 'passed']);
  });

  it('without strict_mocks an unmocked call gets a 501 that the flow sees as a failure', () => {
    assert.equal(suite.tests[2]?.status, 'passed', JSON.stringify(suite.tests[2]?.steps.map((step) => step.failures)));
  });
});

describe('the mocks: keys of a test file', () => {
  const parse = (text: string) => parseTestFile(text, '/tmp/x.sarufi-test.yaml');

  it('reads integration paths, URLs, status, body, delay and strict_mocks', () => {
    const test = parse(`target: {flow: a.flow.json}
strict_mocks: true
mocks:
  orders:
    GET /orders/*: {status: 404, body: {detail: no}, delay_ms: 20}
  https://api.example.com/rates: {body: "1.5"}
steps:
  - send: hi
    mocks:
      POST https://api.example.com/rates: {status: 500}
`);
    assert.deepEqual(test.mocks, {
      integrations: { orders: { 'GET /orders/*': { status: 404, body: { detail: 'no' }, delayMs: 20 } } },
      urls: { 'https://api.example.com/rates': { status: 200, body: '1.5', delayMs: 0 } },
      strict: true,
    });
    assert.deepEqual(test.steps[1]?.mocks, { integrations: {}, urls: { 'POST https://api.example.com/rates': { status: 500, body: null, delayMs: 0 } } });
  });

  it('a test without mocks or strict_mocks has null mocks, so its API_CALLs go out', () => {
    assert.equal(parse(HEAD).mocks, null);
  });

  it('names the line of a bad path, a bad status, an unknown reply key and a step mock without test mocks', () => {
    const failure = (text: string): string => {
      try {
        parse(text);
      } catch (error) {
        assert.ok(error instanceof TestFileError);
        return `${error.line + 1}: ${error.detail}`;
      }
      return 'parsed';
    };
    assert.match(failure(`target: {flow: a.flow.json}\nmocks:\n  orders:\n    orders/1: {status: 200}\nsteps: []\n`), /^4: the path "orders\/1" of integration "orders" must start with "\/"/);
    assert.match(failure(`target: {flow: a.flow.json}\nmocks:\n  https://x.test/a: {status: 42}\nsteps: []\n`), /^3: .*status must be an HTTP status from 200 to 599, not 42/);
    assert.match(failure(`target: {flow: a.flow.json}\nmocks:\n  https://x.test/a: {stat: 200}\nsteps: []\n`), /^3: unknown key "stat"/);
    assert.match(failure(`target: {flow: a.flow.json}\nsteps:\n  - send: hi\n    mocks: {}\n`), /^3: a step has "mocks" but the test has none/);
    assert.match(failure(`target: {flow: a.flow.json}\nstrict_mocks: yes please\nsteps: []\n`), /^2: "strict_mocks" must be true or false/);
  });
});
