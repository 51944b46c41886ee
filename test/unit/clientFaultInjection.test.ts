import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SarufiClient } from '../../src/sarufi/client.js';
import { isSarufiError } from '../../src/sarufi/errors.js';
import type { SarufiErrorKind } from '../../src/sarufi/errors.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import { mulberry32 } from '../../src/sandbox/faults.js';
import { closedPort } from './sandboxTestKit.js';

/** Characters that change when URL-encoded or JSON-escaped, so every spelling of it is looked for. */
const KEY = 'sk-fault+inject/"key"9';
const SPELLINGS = [KEY, encodeURIComponent(KEY), JSON.stringify(KEY).slice(1, -1), KEY.slice(3)];
// A Record, so that a new error kind is a compile error here until it is listed.
const KINDS: Record<SarufiErrorKind, true> = {
  auth: true, forbidden: true, 'not-found': true, 'session-closed': true, conflict: true, validation: true, 'bad-request': true,
  'rate-limited': true, server: true, network: true, timeout: true, 'bad-response': true, refused: true, redirected: true, cancelled: true,
};
const TIMEOUT_MS = 300;
const MAX_RETRIES = 1;
/** The longest a retry may wait here: every Retry-After the server sends reads as at most 1 s. */
const LONGEST_RETRY_WAIT_MS = 1000;
const CALLS = 120;
const SEED = 20_260_712;

type Answer = (request: IncomingMessage, response: ServerResponse) => void;

function answers(elsewhere: string): Answer[] {
  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  return [
    // A proxy's error page that quotes the request, key included.
    (request, response) => {
      response.writeHead(502, { 'Content-Type': 'text/html' });
      response.end(`<html><body>Bad gateway for ${request.headers.authorization ?? ''} ${encodeURIComponent(KEY)}</body></html>`);
    },
    (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(`{"detail": "token ${JSON.stringify(KEY).slice(1, -1)}", "items": [{"id": "01J`);
    },
    (_request, response) => json(response, 429, { detail: 'slow down' }, { 'Retry-After': 'soon' }),
    (_request, response) => json(response, 429, { detail: 'slow down' }, { 'Retry-After': '-7' }),
    (_request, response) => json(response, 429, { detail: 'slow down' }, { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }),
    (_request, response) => json(response, 429, { detail: 'slow down' }, { 'Retry-After': '0.4' }),
    (_request, response) => {
      response.writeHead(503);
      response.end();
    },
    (_request, response) => json(response, 401, { detail: `Invalid key ${KEY}` }),
    (request) => request.socket.destroy(),
    // A hang: never answered; the client's timeout must end the call.
    () => undefined,
    (_request, response) => {
      response.writeHead(302, { Location: `${elsewhere}/api/dev/v1/me?key=${encodeURIComponent(KEY)}` });
      response.end();
    },
    (_request, response) => {
      response.writeHead(307, { Location: '/api/dev/v1/loop' });
      response.end();
    },
    (_request, response) => json(response, 200, { id: 'ws_1', name: 'Workspace', api_key: KEY }),
  ];
}

let baseUrl = '';
let close: () => Promise<void> = () => Promise.resolve();
const random = mulberry32(SEED);

before(async () => {
  const elsewhere = `http://127.0.0.1:${await closedPort()}`;
  const pool = answers(elsewhere);
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => pool[Math.floor(random() * pool.length)]?.(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/dev/v1`;
  close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
});

after(() => close());

function leaks(text: string): string | undefined {
  return SPELLINGS.find((spelling) => text.includes(spelling));
}

describe('SarufiClient against a server that answers at random (seeded)', () => {
  it('every failure is one of its error kinds, nothing rejects unhandled, no call outlives its timeout, and the key is in no message, log line or exchange', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const logs: string[] = [];
    const exchanges: Exchange[] = [];
    const client = new SarufiClient({
      baseUrl,
      apiKey: KEY,
      timeoutMs: TIMEOUT_MS,
      maxRetries: MAX_RETRIES,
      log: (line) => logs.push(line),
      onExchange: (exchange) => exchanges.push(exchange),
    });
    const calls = [
      () => client.me(),
      () => client.listChatbots(),
      () => client.createSession('bot_1'),
      () => client.sendMessage('bot_1', 'sess_1', { message: `my key is ${KEY}` }),
      () => client.getChatbot('bot_1'),
    ];
    const longest = (MAX_RETRIES + 1) * TIMEOUT_MS + MAX_RETRIES * LONGEST_RETRY_WAIT_MS + 500;
    const outcomes: { ok: boolean; error?: unknown; ms: number }[] = [];
    try {
      for (let batch = 0; batch < CALLS; batch += 10) {
        await Promise.all(
          Array.from({ length: 10 }, async (_, index) => {
            const call = calls[(batch + index) % calls.length];
            const started = performance.now();
            try {
              await call?.();
              outcomes.push({ ok: true, ms: performance.now() - started });
            } catch (error) {
              outcomes.push({ ok: false, error, ms: performance.now() - started });
            }
          }),
        );
      }
      // A rejection left unhandled surfaces after the turn of the event loop that dropped it.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }

    assert.deepEqual(unhandled, []);
    const failures = outcomes.filter((outcome) => !outcome.ok);
    assert.ok(failures.length > CALLS / 2, `the random server failed only ${failures.length} of ${CALLS} calls`);
    for (const { error } of failures) {
      assert.ok(isSarufiError(error), `not a SarufiError: ${String(error)}`);
      assert.ok(Object.hasOwn(KINDS, error.kind), error.kind);
    }
    const slowest = Math.max(...outcomes.map((outcome) => outcome.ms));
    assert.ok(slowest <= longest, `a call took ${Math.round(slowest)} ms; the longest allowed is ${longest} ms`);

    const texts = [
      ...failures.map(({ error }) => (isSarufiError(error) ? `${error.message}\n${error.detail}` : String(error))),
      ...logs,
      ...exchanges.map((exchange) => JSON.stringify(exchange)),
    ];
    const leaked = texts.filter((text) => leaks(text) !== undefined);
    assert.deepEqual(leaked.slice(0, 3), [], `the key appears in ${leaked.length} of ${texts.length} texts`);
  });
});
