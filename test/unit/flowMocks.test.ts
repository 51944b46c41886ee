import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMockFetch, findMock, integrationsWithMocks, locateCall, mergeMocks, placeholderBaseUrl, readMockSet, UNMOCKED_STATUS } from '../../src/flow/mocks.js';
import type { MockedCall, MockSet } from '../../src/flow/mocks.js';

const reply = (status: number, body: unknown = null) => ({ status, body, delayMs: 0 });

const MOCKS: MockSet = {
  integrations: {
    orders: {
      '/orders/*': reply(200, { id: 'any' }),
      '/orders/1042': reply(200, { id: '1042' }),
      'POST /orders/*': reply(201, { created: true }),
    },
  },
  urls: { 'https://api.example.com/rates': reply(200, 'plain text') },
  strict: false,
};
const INTEGRATIONS = { orders: { baseUrl: 'http://127.0.0.1:9/api/' } };

describe('mock backends', () => {
  it('an exact path beats a wildcard, and a named method beats any method', () => {
    const get = locateCall('GET', 'http://127.0.0.1:9/api/orders/1042', INTEGRATIONS);
    assert.deepEqual(get, { method: 'GET', url: 'http://127.0.0.1:9/api/orders/1042', integration: 'orders', path: '/orders/1042' });
    assert.deepEqual(findMock(MOCKS, get)?.body, { id: '1042' });
    assert.deepEqual(findMock(MOCKS, locateCall('GET', 'http://127.0.0.1:9/api/orders/7?x=1', INTEGRATIONS))?.body, { id: 'any' });
    assert.deepEqual(findMock(MOCKS, locateCall('POST', 'http://127.0.0.1:9/api/orders/7', INTEGRATIONS))?.body, { created: true });
  });

  it('a wildcard stays within one path segment, and a URL mock matches the whole URL', () => {
    assert.equal(findMock(MOCKS, locateCall('GET', 'http://127.0.0.1:9/api/orders/7/subscribe', INTEGRATIONS)), null);
    assert.equal(findMock(MOCKS, locateCall('GET', 'https://api.example.com/rates', INTEGRATIONS))?.body, 'plain text');
    assert.equal(findMock(MOCKS, locateCall('GET', 'https://api.example.com/other', INTEGRATIONS)), null);
  });

  it('serves the reply as JSON or text, and answers an unmocked call with 501 after reporting it', async () => {
    const unmocked: MockedCall[] = [];
    const mockFetch = createMockFetch(MOCKS, INTEGRATIONS, (call) => unmocked.push(call));
    const json = await mockFetch('http://127.0.0.1:9/api/orders/1042');
    assert.equal(json.status, 200);
    assert.deepEqual(await json.json(), { id: '1042' });
    assert.equal(await (await mockFetch('https://api.example.com/rates')).text(), 'plain text');
    const missing = await mockFetch('http://127.0.0.1:9/api/tickets', { method: 'POST' });
    assert.equal(missing.status, UNMOCKED_STATUS);
    assert.deepEqual(unmocked.map((call) => `${call.method} ${call.integration ?? ''} ${call.path ?? ''}`), ['POST orders /tickets']);
  });

  it('a step layer replaces the same path and keeps the others; strictness comes from the base unless given', () => {
    const merged = mergeMocks({ ...MOCKS, strict: true }, { integrations: { orders: { '/orders/1042': reply(500) } } });
    assert.equal(merged.integrations.orders?.['/orders/1042']?.status, 500);
    assert.equal(merged.integrations.orders?.['/orders/*']?.status, 200);
    assert.equal(merged.strict, true);
    assert.equal(MOCKS.integrations.orders?.['/orders/1042']?.status, 200);
  });

  it('gives a mocked integration without a base URL one that can never resolve, and keeps configured ones', () => {
    const integrations = integrationsWithMocks({ integrations: { crm: {}, orders: {} }, urls: {}, strict: false }, INTEGRATIONS);
    assert.equal(integrations.crm?.baseUrl, placeholderBaseUrl('crm'));
    assert.match(placeholderBaseUrl('crm'), /\.invalid\//);
    assert.equal(integrations.orders?.baseUrl, INTEGRATIONS.orders.baseUrl);
  });

  it('reads a mock set from JSON, refusing a status outside 200–599 and a negative delay', () => {
    assert.deepEqual(readMockSet(JSON.parse(JSON.stringify(MOCKS))), MOCKS);
    assert.throws(() => readMockSet({ urls: { 'https://x': { status: 99 } } }), /status must be an HTTP status/);
    assert.throws(() => readMockSet({ urls: { 'https://x': { status: 200, delayMs: -1 } } }), /delayMs/);
    assert.throws(() => readMockSet({ integrations: [] }), /integrations must be an object/);
  });
});

describe('mock delays', () => {
  it('a delayed reply gives up when the call is aborted, as a real timeout would', async () => {
    const slow: MockSet = { integrations: {}, urls: { 'https://slow.test/': { status: 200, body: null, delayMs: 60_000 } }, strict: false };
    const mockFetch = createMockFetch(slow, {}, () => undefined);
    const controller = new AbortController();
    const pending = mockFetch('https://slow.test/', { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
  });
});
