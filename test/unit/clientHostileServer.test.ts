// A server that tries to pull the key or the message elsewhere: redirects to other origins, and
// echoes of the key spelled so that a plain search would miss them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SarufiClient } from '../../src/sarufi/client.js';
import { endpoints } from '../../src/sarufi/endpoints.js';
import { isSarufiError } from '../../src/sarufi/errors.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import { createScrubber, REDACTED, scrubSecrets } from '../../src/sarufi/redaction.js';
import { createKeyScrubber } from '../../src/sandbox/secrets.js';
import { API_PREFIX, startFakeServer } from './clientFakeServer.js';
import type { FakeServer } from './clientFakeServer.js';
import { API_KEY, me } from './clientFixtures.js';

/** Every character as a JSON `\u` escape, as some servers echo strings. */
function unicodeEscaped(text: string): string {
  return [...text].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
}

/** Every character percent-encoded, then the `%` encoded once more. */
function doublePercentEncoded(text: string): string {
  return [...text].map((char) => `%25${char.charCodeAt(0).toString(16).toUpperCase()}`).join('');
}

describe('redirects', () => {
  let server: FakeServer;
  let elsewhere: FakeServer;
  let exchanges: Exchange[];
  let client: SarufiClient;
  before(async () => {
    server = await startFakeServer();
    elsewhere = await startFakeServer(() => ({ json: me }));
    exchanges = [];
    client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY, onExchange: (exchange) => exchanges.push(exchange), maxRetries: 0 });
  });
  after(async () => {
    await server.close();
    await elsewhere.close();
  });

  it('a redirect to another origin is not followed: kind redirected, nothing reaches the other server', async () => {
    server.queue({ status: 307, headers: { Location: `${elsewhere.baseUrl}/chatbots/1/chat/sessions/s/messages` } });
    const error: unknown = await client.sendMessage('1', 's', { message: 'my card number' }).catch((caught: unknown) => caught);
    assert.ok(isSarufiError(error));
    assert.equal(error.kind, 'redirected');
    assert.equal(error.status, 307);
    assert.match(error.message, new RegExp(`with a redirect to another server, http://127\\.0\\.0\\.1:${elsewhere.port} \\(307\\), so it was not followed`));
    assert.equal(elsewhere.requests.length, 0);
    assert.equal(exchanges.at(-1)?.status, 307);
  });

  it('a same-origin redirect is followed, and the exchange shows the URL that answered', async () => {
    server.queue({ status: 308, headers: { Location: `${API_PREFIX}/me/` } }, { json: me });
    const answer = await client.call(endpoints.me());
    assert.equal(answer.exchange.status, 200);
    assert.equal(answer.exchange.url, `${server.baseUrl}/me/`);
    assert.equal(server.requests.at(-1)?.path, '/me/');
  });
});

describe('scrubbing decoded spellings of the key', () => {
  it('createScrubber catches JSON \\u-escaped, URL-encoded, double-encoded and mixed spellings', () => {
    const scrub = createScrubber(API_KEY);
    for (const spelling of [
      API_KEY,
      unicodeEscaped(API_KEY),
      unicodeEscaped(API_KEY).replace(/\\/g, '\\\\'),
      encodeURIComponent(API_KEY).replace(/s/, '%73'),
      doublePercentEncoded(API_KEY),
      `${unicodeEscaped(API_KEY.slice(0, 5))}${API_KEY.slice(5)}`,
    ]) {
      assert.equal(scrub(`echo: ${spelling}.`), `echo: ${REDACTED}.`, spelling);
    }
  });

  it('scrubSecrets (exports, JUnit) catches a double-encoded echo', () => {
    assert.equal(scrubSecrets(`<failure>${doublePercentEncoded('hunter22')}</failure>`, ['hunter22']), `<failure>${REDACTED}</failure>`);
  });

  it('the sandbox log scrubber catches a URL-encoded key', () => {
    const scrub = createKeyScrubber('sk-live-0123456789abcdef');
    assert.equal(scrub(`GET /me?key=%73k-live-0123456789abcdef 200`), 'GET /me?key=sk-…cdef 200');
  });

  it('a server echoing the key \\u-escaped leaves it in no exchange or error', async () => {
    const server = await startFakeServer();
    try {
      const exchanges: Exchange[] = [];
      const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY, onExchange: (exchange) => exchanges.push(exchange), maxRetries: 0 });
      server.queue({ status: 400, text: `{"detail":"bad key ${unicodeEscaped(API_KEY)}"}`, headers: { 'Content-Type': 'application/json' } });
      const error: unknown = await client.me().catch((caught: unknown) => caught);
      assert.ok(isSarufiError(error));
      const kept = `${JSON.stringify(exchanges)} ${error.message} ${error.detail}`;
      assert.ok(!kept.includes(API_KEY) && !kept.includes(unicodeEscaped(API_KEY)));
      assert.match(error.detail, /bad key \[redacted\]/);
    } finally {
      await server.close();
    }
  });
});
