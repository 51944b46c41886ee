// The API key never appears in an exchange record, an error (message, detail, inspection) or a log
// line, even when the server echoes it back; webhook secrets are hidden the same way.

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SarufiClient } from '../../src/sarufi/client.js';
import { endpoints } from '../../src/sarufi/endpoints.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import { createScrubber, scrubValue } from '../../src/sarufi/redaction.js';
import { startFakeServer } from './clientFakeServer.js';
import type { FakeServer } from './clientFakeServer.js';
import { API_KEY, chatbot, me, reply } from './clientFixtures.js';

describe('the API key stays secret', () => {
  let server: FakeServer;
  let exchanges: Exchange[];
  let logLines: string[];
  let errors: unknown[];
  let client: SarufiClient;

  before(async () => {
    server = await startFakeServer();
  });
  after(() => server.close());
  beforeEach(() => {
    exchanges = [];
    logLines = [];
    errors = [];
    client = new SarufiClient({
      baseUrl: server.baseUrl,
      apiKey: API_KEY,
      onExchange: (e) => exchanges.push(e),
      log: (line) => logLines.push(line),
      timeoutMs: 200,
    });
  });

  /** Everything the client produced in a test, as one text to search for the key. */
  function everything(): string {
    return [
      JSON.stringify(exchanges),
      ...logLines,
      ...errors.map((e) => `${inspect(e, { depth: 10 })} ${JSON.stringify(e)}`),
      ...errors.map((e) => (e instanceof Error ? `${e.message} ${(e as { detail?: string }).detail} ${e.stack}` : '')),
    ].join('\n');
  }

  async function run(promise: Promise<unknown>): Promise<unknown> {
    try {
      return await promise;
    } catch (error) {
      errors.push(error);
      return undefined;
    }
  }

  it('the key was really sent, so the checks below are meaningful', async () => {
    server.queue({ json: me });
    await run(client.me());
    assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${API_KEY}`);
    assert.equal(exchanges[0].requestHeaders.authorization, 'Bearer •••');
    assert.ok(logLines.length > 0, 'the log was used');
  });

  it('is scrubbed when the server echoes it in an error detail, a header and an HTML page', async () => {
    server.queue(
      { status: 401, json: { detail: `Invalid key ${API_KEY}.` }, headers: { 'x-echo': `Bearer ${API_KEY}` } },
      { status: 422, json: { detail: [{ loc: ['header', API_KEY], msg: `bad ${API_KEY}`, type: 'x' }] } },
      { status: 502, text: `<html>${API_KEY}</html>`, headers: { 'content-type': 'text/html' } },
      { status: 200, text: `not json ${API_KEY}` },
    );
    await run(client.me());
    await run(client.me());
    await run(client.me());
    await run(client.me());
    assert.equal(errors.length, 4);
    assert.equal(exchanges.length, 4, 'every answer was recorded, so the search below covers them');
    assert.ok(exchanges.every((exchange) => exchange.responseText.includes('[redacted]')), 'each recorded answer held the echo, replaced');
    assert.ok(everything().includes('[redacted]'), 'the echoes were replaced, not dropped');
    assert.ok(!everything().includes(API_KEY));
    assert.match((errors[0] as Error).message, /\(401: Invalid key \[redacted\]\.\)/);
  });

  it('is scrubbed from a successful answer, its data, and a message body the user typed', async () => {
    server.queue({ json: { ...me, api_key: { key: API_KEY, created_at: 'x', last_used_at: null } } }, { json: reply() });
    const data = await run(client.me());
    const { exchange } = await client.call(endpoints.sendMessage('bot', 'sess', { message: `my key is ${API_KEY}` }));
    assert.equal(server.requests.at(-1)?.body && (server.requests.at(-1)?.body as { message: string }).message, `my key is ${API_KEY}`);
    assert.deepEqual(exchange.requestBody, { message: 'my key is [redacted]', message_type: 'text' });
    assert.equal(exchanges.length, 2, 'both calls were recorded');
    assert.match(exchanges[0]?.responseText ?? '', /\[redacted\]/, "the answer's echo of the key was replaced in the record");
    assert.ok(!JSON.stringify(data).includes(API_KEY));
    assert.ok(!everything().includes(API_KEY));
  });

  it('is absent from network, timeout and refusal errors', async () => {
    server.queue({ destroy: true }, { delayMs: 1000, json: me });
    await run(client.me());
    await run(client.me());
    await run(client.sendMessage('bot', 's', { message: ' ' }));
    const badUrl = new SarufiClient({ baseUrl: `ftp://${API_KEY}.example/x`, apiKey: API_KEY, log: (l) => logLines.push(l) });
    await run(badUrl.me());
    const notUrl = new SarufiClient({ baseUrl: `${API_KEY} nope`, apiKey: API_KEY, log: (l) => logLines.push(l) });
    await run(notUrl.me());
    assert.deepEqual(
      errors.map((e) => (e as { kind: string }).kind),
      ['network', 'timeout', 'refused', 'refused', 'refused'],
    );
    assert.ok(!everything().includes(API_KEY));
  });

  it('a key with a line break is refused without leaking it through a header error', async () => {
    const broken = new SarufiClient({ baseUrl: server.baseUrl, apiKey: `${API_KEY}\nx`, log: (l) => logLines.push(l) });
    await run(broken.me());
    assert.equal((errors[0] as { kind: string }).kind, 'auth');
    assert.ok(!everything().includes(API_KEY));
  });

  it('webhook secrets are redacted in the data and the exchange', async () => {
    const secret = 'whsec_0123456789abcdef';
    server.queue({ json: { ...chatbot, webhook_secret: secret } });
    const bot = await client.getChatbot(chatbot.id);
    assert.equal(bot.webhook_secret, '[redacted]');
    assert.equal(bot.name, 'Order bot');
    assert.equal(exchanges.length, 1, 'the call was recorded');
    assert.match(exchanges[0]?.responseText ?? '', /"webhook_secret":\s*"\[redacted\]"/, 'the recorded answer held the secret, replaced');
    assert.ok(!JSON.stringify(exchanges).includes(secret));
  });

  it('createScrubber() also catches the JSON-escaped and URL-encoded spellings, and ignores tiny keys', () => {
    const key = 'sk-a"b/c d';
    const scrub = createScrubber(key);
    assert.equal(scrub(`x ${key} ${JSON.stringify(key)} ${encodeURIComponent(key)}`), 'x [redacted] "[redacted]" [redacted]');
    assert.equal(createScrubber('ab')('abc'), 'abc');
    assert.deepEqual(scrubValue({ [key]: [key, 1, null] }, scrub), { '[redacted]': ['[redacted]', 1, null] });
  });
});
