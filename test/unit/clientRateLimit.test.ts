// Pacing to Sarufi's limits (reads 1/s, writes 1 per 2 s), shared per base URL and key, and 429
// handling: wait Retry-After, retry a bounded number of times, cancellable by the caller.

import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { SarufiClient } from '../../src/sarufi/client.js';
import type { RateLimitWait } from '../../src/sarufi/client.js';
import { endpoints } from '../../src/sarufi/endpoints.js';
import { SarufiError } from '../../src/sarufi/errors.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import { limiterKeyFor, pacingMarginMs, retryAfterMs } from '../../src/sarufi/rateLimiter.js';
import { gaps, startFakeServer } from './clientFakeServer.js';
import type { FakeServer } from './clientFakeServer.js';
import { API_KEY, me, session } from './clientFixtures.js';

/** Scheduling and loopback jitter allowed on measured gaps. */
const TOLERANCE_MS = 50;

function assertGapsAtLeast(measured: number[], minimum: number, label: string): void {
  for (const gap of measured) {
    assert.ok(gap >= minimum - TOLERANCE_MS, `${label}: gap of ${gap.toFixed(0)} ms is under ${minimum} ms (gaps ${measured.map((g) => g.toFixed(0)).join(', ')})`);
  }
}

/**
 * Runs `work` on node:test's mocked clock: setTimeout, Date and performance.now move only as this
 * ticks them, in steps, letting I/O and promises settle between steps. No wall clock is involved.
 */
async function onMockedClock<T>(t: TestContext, work: () => Promise<T>, stepMs = 10, limitMs = 60_000): Promise<T> {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  t.mock.method(performance, 'now', () => Date.now());
  let settled = false;
  const done = work().finally(() => {
    settled = true;
  });
  for (let mockedMs = 0; !settled && mockedMs <= limitMs; mockedMs += stepMs) {
    for (let turn = 0; turn < 5; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    t.mock.timers.tick(stepMs);
  }
  return done;
}

interface SentAt {
  method: string;
  at: number;
}

/**
 * A fetch that notes when each request leaves and sends it to the fake server. Given a rule, it
 * plays Sarufi's limiter: a request that leaves too soon after the previous one of its kind is
 * answered 429 without being sent.
 */
function timedFetch(rule?: { readIntervalMs: number; writeIntervalMs: number }): {
  fetch: typeof globalThis.fetch;
  times: SentAt[];
  rejected: () => number;
} {
  const times: SentAt[] = [];
  const last: Record<string, number> = {};
  let rejected = 0;
  return {
    times,
    rejected: () => rejected,
    fetch: (input, init) => {
      const method = init?.method ?? 'GET';
      const at = performance.now();
      times.push({ method, at });
      const lane = method === 'GET' ? 'read' : 'write';
      const interval = rule === undefined ? 0 : lane === 'read' ? rule.readIntervalMs : rule.writeIntervalMs;
      const previous = last[lane];
      if (rule !== undefined && previous !== undefined && at - previous < interval) {
        rejected += 1;
        return Promise.resolve(
          new Response(JSON.stringify({ detail: 'Too many requests.' }), { status: 429, headers: { 'retry-after': '0' } }),
        );
      }
      last[lane] = at;
      return globalThis.fetch(input, init);
    },
  };
}

function gapsOf(times: readonly { at: number }[]): number[] {
  return times.slice(1).map((time, index) => time.at - times[index].at);
}

let keyCounter = 0;
/** A fresh key per test, so that the module-wide limiters of other tests do not interfere. */
function freshKey(): string {
  keyCounter += 1;
  return `${API_KEY}-${keyCounter}`;
}

describe('rate limits', () => {
  let server: FakeServer;

  before(async () => {
    server = await startFakeServer((request) => (request.method === 'GET' ? { json: me } : { status: 201, json: session() }));
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('with limits on, concurrent reads and writes are spaced so that no 429 occurs', async () => {
    // The limits are enforced where the client sends (the moment a request leaves), since arrival
    // times in a busy test process jitter by more than the tolerance; the fake server answers.
    const sent = timedFetch({ readIntervalMs: 300 - TOLERANCE_MS, writeIntervalMs: 600 - TOLERANCE_MS });
    const waits: RateLimitWait[] = [];
    const planned: number[] = [];
    const client = new SarufiClient({
      baseUrl: server.baseUrl,
      apiKey: freshKey(),
      rateLimit: { readsPerSecond: 1000 / 300, writeIntervalMs: 600 },
      fetch: sent.fetch,
      onRateLimited: (ms, wait) => {
        planned.push(ms);
        waits.push(wait);
      },
    });
    const calls = [client.me(), client.createSession('b'), client.me(), client.createSession('b'), client.me(), client.createSession('b')];
    const results = await Promise.all(calls.map((call) => call.then(() => 'ok', (error: unknown) => String(error))));
    assert.deepEqual(results, ['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    assert.equal(sent.rejected(), 0, 'no request came too soon, so none was answered 429');
    assert.equal(sent.times.length, 6, 'and no retries were needed');
    assertGapsAtLeast(gapsOf(sent.times.filter((t) => t.method === 'GET')), 300, 'reads');
    assertGapsAtLeast(gapsOf(sent.times.filter((t) => t.method === 'POST')), 600, 'writes');
    // Paced, not serialised behind each other: the longest planned wait (the third write's) is two
    // write intervals, not the sum of every interval before it.
    assert.ok(Math.max(...planned) <= 2 * (600 + pacingMarginMs(600)), `planned waits ${planned.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    assert.ok(waits.length >= 4 && waits.every((w) => w.reason === 'pacing'), 'waits were announced');
  });

  it('the limit check used above does answer 429 to requests that come too soon', async () => {
    const sent = timedFetch({ readIntervalMs: 300, writeIntervalMs: 600 });
    const unpaced = new SarufiClient({ baseUrl: server.baseUrl, apiKey: freshKey(), rateLimit: false, maxRetries: 0, fetch: sent.fetch });
    await unpaced.me();
    await assert.rejects(unpaced.me(), { kind: 'rate-limited' });
    assert.equal(sent.rejected(), 1);
  });

  it('the default limits (1 read/s, 1 write/2 s, plus the pacing margin) space a remote host\'s requests', async (t) => {
    const arrivals: { method: string; at: number }[] = [];
    const remote = new SarufiClient({
      baseUrl: 'https://api.example.test/api/dev/v1',
      apiKey: freshKey(),
      fetch: async (input, init) => {
        arrivals.push({ method: init?.method ?? 'GET', at: performance.now() });
        const body = String(input).endsWith('/me') ? me : session();
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    assert.deepEqual(remote.rateLimit, { readIntervalMs: 1000, writeIntervalMs: 2000 });
    await onMockedClock(t, () => Promise.all([remote.me(), remote.me(), remote.createSession('b'), remote.createSession('b')]));
    const reads = arrivals.filter((a) => a.method === 'GET');
    const writes = arrivals.filter((a) => a.method === 'POST');
    assert.equal(reads.length, 2);
    assert.equal(writes.length, 2);
    const readGap = reads[1].at - reads[0].at;
    const writeGap = writes[1].at - writes[0].at;
    assert.equal(readGap, 1000 + pacingMarginMs(1000));
    assert.equal(writeGap, 2000 + pacingMarginMs(2000));
  });

  it('limits are off by default on loopback: three reads at once wait for nothing', async () => {
    const waits: number[] = [];
    const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: freshKey(), onRateLimited: (ms) => waits.push(ms) });
    assert.equal(client.rateLimit, undefined);
    await Promise.all([client.me(), client.me(), client.me()]);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(waits, []);
  });

  it('clients with the same base URL and key share one limiter; another key does not', async () => {
    const key = freshKey();
    const sent = timedFetch();
    const options = { baseUrl: server.baseUrl, rateLimit: { readsPerSecond: 4 }, fetch: sent.fetch };
    const first = new SarufiClient({ ...options, apiKey: key });
    const second = new SarufiClient({ ...options, apiKey: key });
    const other = new SarufiClient({ ...options, apiKey: freshKey() });
    await Promise.all([first.me(), second.me()]);
    assertGapsAtLeast(gapsOf(sent.times), 250, 'shared');
    sent.times.length = 0;
    server.requests.length = 0;
    await Promise.all([first.me(), other.me()]);
    // `first` still waits for its next 250 ms slot; `other` goes at once.
    assert.notEqual(server.requests[0].headers.authorization, `Bearer ${key}`, 'the other key went first');
    assertGapsAtLeast(gapsOf(sent.times), 150, 'first after other');
  });

  it('limiters are keyed by a hash, never by the key itself', () => {
    const id = limiterKeyFor('https://a.example/api', API_KEY);
    assert.ok(!id.includes(API_KEY));
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal(id, limiterKeyFor('https://a.example/api', API_KEY));
    assert.notEqual(id, limiterKeyFor('https://b.example/api', API_KEY));
  });
});

describe('429 Too Many Requests', () => {
  let server: FakeServer;

  before(async () => {
    server = await startFakeServer(() => ({ json: me }));
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const tooMany = (retryAfter?: string): { status: number; headers: Record<string, string>; json: unknown } => ({
    status: 429,
    headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
    json: { detail: 'Rate limit exceeded.' },
  });

  it('is retried, and the caller only sees the answer that finally came', async () => {
    server.queue(tooMany('0'), tooMany('0'));
    const exchanges: Exchange[] = [];
    const waits: number[] = [];
    const client = new SarufiClient({
      baseUrl: server.baseUrl,
      apiKey: API_KEY,
      onExchange: (e) => exchanges.push(e),
      onRateLimited: (ms) => waits.push(ms),
    });
    const { data, exchange } = await client.call(endpoints.me());
    assert.equal(data.workspace.name, 'Acme');
    assert.equal(server.requests.length, 3);
    assert.deepEqual(exchanges.map((e) => [e.status, e.attempt]), [[429, 1], [429, 2], [200, 3]]);
    assert.equal(exchange.attempt, 3);
    assert.deepEqual(waits, [0, 0]);
  });

  it('waits the Retry-After seconds before trying again', async () => {
    server.queue(tooMany('1'));
    const waits: [number, RateLimitWait][] = [];
    const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY, onRateLimited: (ms, wait) => waits.push([ms, wait]) });
    await client.me();
    const [gap] = gaps(server.requests);
    // A lower bound only: a late timer on a busy machine is no failure, an early retry is.
    assert.ok(gap >= 1000 - TOLERANCE_MS, `retried after ${gap.toFixed(0)} ms`);
    assert.deepEqual(waits, [[1000, { reason: 'retry-after', method: 'GET', path: '/me', attempt: 2 }]]);
  });

  it('retryAfterMs() reads seconds and HTTP dates, defaults to 1 s and caps long waits', () => {
    assert.equal(retryAfterMs(null), 1000);
    assert.equal(retryAfterMs('soon'), 1000);
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs('0.5'), 500);
    assert.equal(retryAfterMs(new Date(10_000 + 3000).toUTCString(), 10_000), 3000);
    assert.equal(retryAfterMs('86400'), 60_000);
  });

  it('reaches the caller as rate-limited only after 3 retries', async () => {
    server.handler = () => tooMany('0');
    try {
      const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY });
      const error = await client.me().then(
        () => assert.fail('should have failed'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SarufiError);
      assert.equal(error.kind, 'rate-limited');
      assert.equal(error.status, 429);
      assert.equal(server.requests.length, 4, 'one try and three retries');
      assert.equal(
        error.message,
        'Sarufi kept limiting requests (429: Rate limit exceeded.) after 3 retries. Wait a few seconds and try again.',
      );
      assert.equal(error.exchange?.attempt, 4);

      server.requests.length = 0;
      const once = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY, maxRetries: 1 });
      await assert.rejects(once.me(), { kind: 'rate-limited' });
      assert.equal(server.requests.length, 2, 'maxRetries bounds the retries');
    } finally {
      server.handler = () => ({ json: me });
    }
  });

  it('a wait for Retry-After is cancelled by the AbortSignal, and no retry follows', async (t) => {
    server.queue(tooMany('5'));
    const sent = timedFetch();
    const controller = new AbortController();
    // Abort once the client has announced its 5 s wait, while it waits.
    const client = new SarufiClient({
      baseUrl: server.baseUrl,
      apiKey: freshKey(),
      fetch: sent.fetch,
      onRateLimited: () => queueMicrotask(() => controller.abort()),
    });
    const cancelledAt = await onMockedClock(t, async () => {
      await assert.rejects(client.me({ signal: controller.signal }), (error: unknown) => {
        assert.ok(error instanceof SarufiError);
        assert.equal(error.kind, 'cancelled');
        assert.equal(error.exchange?.status, 429, 'carries the 429 it was waiting after');
        return true;
      });
      return Date.now();
    });
    assert.ok(cancelledAt < 5000, `cancelled at ${cancelledAt} ms of the mocked clock, before the 5 s were up`);
    t.mock.timers.tick(5000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sent.times.length, 1, 'no retry was sent after the cancel');
  });

  it('a pacing wait is cancelled by the AbortSignal too', async (t) => {
    const sent = timedFetch();
    const controller = new AbortController();
    const client = new SarufiClient({
      baseUrl: server.baseUrl,
      apiKey: freshKey(),
      rateLimit: { writeIntervalMs: 5000 },
      fetch: sent.fetch,
      onRateLimited: () => queueMicrotask(() => controller.abort()),
    });
    const cancelledAt = await onMockedClock(t, async () => {
      await client.createSession('b').catch(() => undefined);
      await assert.rejects(client.createSession('b', { signal: controller.signal }), { kind: 'cancelled' });
      return Date.now();
    });
    assert.ok(cancelledAt < 5000, `cancelled at ${cancelledAt} ms of the mocked clock, before the 5 s were up`);
    assert.equal(sent.times.length, 1, 'the second request was never sent');
  });

  it('a 429 without Retry-After holds back every call with the same key for 1 s', async () => {
    server.queue(tooMany());
    const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: freshKey(), rateLimit: { readsPerSecond: 100, writeIntervalMs: 10 } });
    const write = client.createSession('b').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.me();
    await write;
    const first = server.requests[0];
    const read = server.requests.find((r) => r.method === 'GET');
    assert.ok(read);
    assert.ok(read.at - first.at >= 1000 - TOLERANCE_MS, `read went ${(read.at - first.at).toFixed(0)} ms after the 429`);
    const retry = server.requests.filter((r) => r.method === 'POST')[1];
    assert.ok(retry !== undefined && retry.at - first.at >= 1000 - TOLERANCE_MS, 'the write itself was retried after 1 s');
  });
});
