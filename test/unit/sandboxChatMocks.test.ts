// Mocks for sandbox chats: sarufi.sandbox.json's `"mocks"` names a file in a conversation test's
// `mocks:` format; a call it answers never reaches the network and is `mocked: true` in the
// trace, a call it does not answer still goes out, and a bad file is reported, not fatal.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readTurnTrace } from '../../src/flow/turnTrace.js';
import { readMocksMapping } from '../../src/flow/mocks.js';
import { SarufiClient } from '../../src/sarufi/client.js';
import { sessionMocks } from '../../src/sandbox/mockApi.js';
import type { CreateSessionResponse } from '../../src/sarufi/types.js';
import { chatbotIdOf, removeTempDirs, sendJson, startRecordingServer, startTestSandbox } from './sandboxTestKit.js';
import type { FileSet, RecordingServer, TestSandbox } from './sandboxTestKit.js';

const FLOW = {
  name: 'Mocked bot',
  states: {
    lookup: {
      actions: [
        { type: 'API_CALL', integration: 'orders', path: '/orders/12', save_to: 'order' },
        { type: 'API_CALL', integration: 'rates', path: '/today', save_to: 'rate' },
      ],
      message: 'Order {{variables.order.status}}, rate {{variables.rate.value}}.',
    },
  },
};

const YAML_MOCKS = `orders:
  /orders/*:
    status: 200
    body: {status: mocked}
`;

let backend: RecordingServer;

before(async () => {
  backend = await startRecordingServer((request, response) => sendJson(response, 200, request.path.startsWith('/orders') ? { status: 'live' } : { value: 'live' }));
});

after(async () => {
  await backend.close();
  await removeTempDirs();
});

async function sandboxWith(mocksFile: string, files: FileSet): Promise<{ t: TestSandbox; greeting: CreateSessionResponse; text: string }> {
  const t = await startTestSandbox({
    'bot.flow.json': FLOW,
    'sarufi.sandbox.json': { integrations: { orders: { baseUrl: backend.url }, rates: { baseUrl: backend.url } }, mocks: mocksFile },
    ...files,
  });
  const response = await t.api('POST', `/chatbots/${chatbotIdOf(t.sandbox, 'bot.flow.json')}/chat/sessions`);
  assert.equal(response.status, 201, response.text);
  const greeting = response.body as CreateSessionResponse;
  return { t, greeting, text: (greeting.messages[0] as { text: string }).text };
}

describe('sandbox chat mocks (sarufi.sandbox.json "mocks")', () => {
  it('answers the calls the YAML file mocks without the network, marks them mocked, and lets the others go out', async () => {
    const before = backend.requests.length;
    const { t, greeting, text } = await sandboxWith('mocks/orders.yaml', { 'mocks/orders.yaml': YAML_MOCKS });
    try {
      assert.equal(text, 'Order mocked, rate live.');
      assert.deepEqual(backend.requests.slice(before).map((request) => request.path), ['/today'], 'only the unmocked call reached the backend');
      const calls = readTurnTrace(greeting)?.events.filter((event) => event.type === 'api_call') ?? [];
      assert.deepEqual(calls.map((event) => event.type === 'api_call' && [event.url.endsWith('/orders/12'), event.mocked]), [[true, true], [false, false]]);
    } finally {
      await t.close();
    }
  });

  it('reads a JSON mocks file too', async () => {
    const { t, text } = await sandboxWith('orders.mocks.json', { 'orders.mocks.json': { orders: { '/orders/12': { body: { status: 'from json' } } } } });
    try {
      assert.equal(text, 'Order from json, rate live.');
    } finally {
      await t.close();
    }
  });

  it('logs a mocks file it cannot use, naming it, and chats without mocks', async () => {
    const { t, text } = await sandboxWith('missing.yaml', {});
    try {
      assert.equal(text, 'Order live, rate live.');
      assert.ok(t.logs.some((line) => /sarufi\.sandbox\.json: mocks: cannot use missing\.yaml \(no such file\)/.test(line)), t.logs.join('\n'));
    } finally {
      await t.close();
    }
  });
});

describe("a sandbox chat session's mocks, for its bug report", () => {
  it('answers the mocks a session runs with (sarufi.sandbox.json\'s), null for one without, and 404 for an unknown session', async () => {
    const { t, greeting } = await sandboxWith('mocks/orders.yaml', { 'mocks/orders.yaml': YAML_MOCKS });
    try {
      const client = new SarufiClient({ baseUrl: t.sandbox.baseUrl, apiKey: t.sandbox.apiKey });
      const chatbotId = chatbotIdOf(t.sandbox, 'bot.flow.json');
      const read = await client.call(sessionMocks(chatbotId, greeting.session_id));
      assert.deepEqual(read.data, { ...readMocksMapping({ orders: { '/orders/*': { status: 200, body: { status: 'mocked' } } } }), strict: false });
      const unknown = await client.call(sessionMocks(chatbotId, 'no-such-session')).then(
        () => null,
        (error: unknown) => error,
      );
      assert.match(String((unknown as { status?: number } | null)?.status), /404/);
    } finally {
      await t.close();
    }
    const plain = await sandboxWith('missing.yaml', {});
    try {
      const client = new SarufiClient({ baseUrl: plain.t.sandbox.baseUrl, apiKey: plain.t.sandbox.apiKey });
      assert.equal((await client.call(sessionMocks(chatbotIdOf(plain.t.sandbox, 'bot.flow.json'), plain.greeting.session_id))).data, null);
    } finally {
      await plain.t.close();
    }
  });
});

describe('readMocksMapping', () => {
  it("reads a conversation test's mocks: integration paths and whole URLs, delay_ms and the default status", () => {
    assert.deepEqual(readMocksMapping({ orders: { 'POST /orders': { status: 201, body: { id: 1 }, delay_ms: 5 } }, 'https://x.example/r': { body: 'ok' } }), {
      integrations: { orders: { 'POST /orders': { status: 201, body: { id: 1 }, delayMs: 5 } } },
      urls: { 'https://x.example/r': { status: 200, body: 'ok', delayMs: 0 } },
    });
  });

  it('names the bad entry', () => {
    assert.throws(() => readMocksMapping([]), /the mocks must be a mapping/);
    assert.throws(() => readMocksMapping({ orders: { 'orders/1': {} } }), /the path "orders\/1" of integration "orders" must start with "\/"/);
    assert.throws(() => readMocksMapping({ orders: { '/a': { status: 99 } } }), /mocks\.orders\["\/a"\]\.status must be an HTTP status/);
    assert.throws(() => readMocksMapping({ orders: { '/a': { delay: 1 } } }), /unknown key "delay" in mocks\.orders\["\/a"\]/);
  });
});
