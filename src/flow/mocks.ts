// Mock backends for API_CALL: the format (shared by conversation tests' `mocks:` and any sandbox
// chat that wants canned answers) and a fetch that serves it, which the engine is given instead of
// the network. Pure: plain data in, a `fetch` out, so it crosses to the sandbox's turn workers.
import type { IntegrationConfig } from './flowTypes.js';

/** What a mocked backend answers. */
export interface MockReply {
  status: number;
  /** Sent as JSON, or as it is when it is a text. */
  body: unknown;
  /** Waited before answering, to try the flow's timeouts and a slow backend. */
  delayMs: number;
}

/**
 * Canned answers: per integration and path (`/orders/*`, `POST /orders`), and per whole URL
 * (`https://api.example.com/x`). `*` stands for one path segment or part of one.
 */
export interface MockSet {
  integrations: Record<string, Record<string, MockReply>>;
  urls: Record<string, MockReply>;
  /** A call that no mock answers fails the turn, naming the call. */
  strict: boolean;
}

export const EMPTY_MOCKS: MockSet = { integrations: {}, urls: {}, strict: false };

/** The status of a call that no mock answers in a non-strict set: the flow takes its failure path. */
export const UNMOCKED_STATUS = 501;
/** The longest delay a mock may ask for: past 2^31 - 1 ms a timer fires at once, and a test never wants more than minutes. */
export const MAX_MOCK_DELAY_MS = 600_000;

/** Where an integration without a base URL goes when it is mocked: `.invalid` never resolves. */
export function placeholderBaseUrl(integration: string): string {
  return `https://mock.invalid/${encodeURIComponent(integration)}`;
}

/** `base` with mocks layered on top: a path or URL named in `top` replaces the same one in `base`. */
export function mergeMocks(base: MockSet, top: Partial<MockSet>): MockSet {
  const integrations: MockSet['integrations'] = { ...base.integrations };
  for (const [name, paths] of Object.entries(top.integrations ?? {})) {
    integrations[name] = { ...integrations[name], ...paths };
  }
  return { integrations, urls: { ...base.urls, ...top.urls }, strict: top.strict ?? base.strict };
}

/** The integrations a mocked conversation runs with: every mocked one has a base URL. */
export function integrationsWithMocks(mocks: MockSet, integrations: Record<string, IntegrationConfig>): Record<string, IntegrationConfig> {
  const result = { ...integrations };
  for (const name of Object.keys(mocks.integrations)) {
    result[name] ??= { baseUrl: placeholderBaseUrl(name), headers: {} };
  }
  return result;
}

interface Pattern {
  method: string | null;
  target: string;
}

function splitKey(key: string): Pattern {
  const match = /^([A-Za-z]+)\s+(\S.*)$/.exec(key.trim());
  return match ? { method: (match[1] as string).toUpperCase(), target: (match[2] as string).trim() } : { method: null, target: key.trim() };
}

function globMatches(glob: string, text: string): boolean {
  const source = glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
  return new RegExp(`^${source}$`).test(text);
}

/** Exact beats wildcard, and a named method beats any method. */
function specificity(pattern: Pattern): number {
  return (pattern.method === null ? 0 : 2) + (pattern.target.includes('*') ? 0 : 1);
}

function bestOf(replies: Record<string, MockReply>, method: string, candidate: (target: string) => string | null): MockReply | null {
  let best: { reply: MockReply; score: number } | null = null;
  for (const [key, reply] of Object.entries(replies)) {
    const pattern = splitKey(key);
    if (pattern.method !== null && pattern.method !== method) {
      continue;
    }
    const text = candidate(pattern.target);
    if (text === null || !globMatches(pattern.target, text)) {
      continue;
    }
    const score = specificity(pattern);
    if (best === null || score > best.score) {
      best = { reply, score };
    }
  }
  return best?.reply ?? null;
}

/** A call as a person reads it: `orders GET /orders/12` or `GET https://…`. */
export interface MockedCall {
  method: string;
  url: string;
  integration: string | null;
  path: string | null;
}

export function describeCall(call: MockedCall): string {
  return call.integration === null ? `${call.method} ${call.url}` : `${call.method} ${call.path ?? ''} on integration "${call.integration}" (${call.url})`;
}

/** The integration whose base URL starts `url`, and the rest of the URL as its path. */
export function locateCall(method: string, url: string, integrations: Record<string, IntegrationConfig>): MockedCall {
  for (const [name, config] of Object.entries(integrations)) {
    const base = config.baseUrl.replace(/\/+$/, '');
    if (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`)) {
      return { method, url, integration: name, path: url.slice(base.length) || '/' };
    }
  }
  return { method, url, integration: null, path: null };
}

/** The reply for a call, or null when no mock answers it. A path without `?` ignores the query. */
export function findMock(mocks: MockSet, call: MockedCall): MockReply | null {
  const withoutQuery = (text: string): string => text.split('?')[0] as string;
  if (call.integration !== null && call.path !== null) {
    const path = call.path;
    const reply = bestOf(mocks.integrations[call.integration] ?? {}, call.method, (target) => (target.includes('?') ? path : withoutQuery(path)));
    if (reply !== null) {
      return reply;
    }
  }
  return bestOf(mocks.urls, call.method, (target) => (target.includes('?') ? call.url : withoutQuery(call.url)));
}

function wait(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  if (ms <= 0) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError'));
      },
      { once: true },
    );
  });
}

/** The answers a mock fetch made: the engine marks their API_CALLs `mocked` in the trace. */
const mockedResponses = new WeakSet<Response>();

/** Whether a mock set (not the network, nor the sandbox's "not mocked" stand-in) gave this answer. */
export function wasMocked(response: Response): boolean {
  return mockedResponses.has(response);
}

/**
 * A fetch that answers from `mocks` and never reaches the network. A call no mock answers gets
 * UNMOCKED_STATUS and is reported to `onUnmocked` (a strict run fails the turn with it); with a
 * `fallback` (a sandbox chat's mocks file, which mocks only some backends) it goes there instead.
 */
export function createMockFetch(
  mocks: MockSet,
  integrations: Record<string, IntegrationConfig>,
  onUnmocked: (call: MockedCall) => void,
  fallback?: typeof fetch,
): typeof fetch {
  return async (input, init = {}) => {
    const url = input instanceof Request ? input.url : String(input);
    const call = locateCall((init.method ?? 'GET').toUpperCase(), url, integrations);
    const reply = findMock(mocks, call);
    if (reply === null && fallback) {
      return fallback(input, init);
    }
    if (reply === null) {
      onUnmocked(call);
      return Response.json({ detail: `not mocked: ${describeCall(call)}` }, { status: UNMOCKED_STATUS });
    }
    await wait(reply.delayMs, init.signal);
    const text = typeof reply.body === 'string' ? reply.body : reply.body === null || reply.body === undefined ? '' : JSON.stringify(reply.body);
    const noBody = [204, 205, 304].includes(reply.status);
    const response = new Response(noBody ? null : text, {
      status: reply.status,
      headers: typeof reply.body === 'string' ? { 'content-type': 'text/plain' } : { 'content-type': 'application/json' },
    });
    mockedResponses.add(response);
    return response;
  };
}

/** Reads a mock set that crossed a process boundary (the sandbox's HTTP API); throws on a bad one. */
export function readMockSet(value: unknown): MockSet {
  const object = (item: unknown, where: string): Record<string, unknown> => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new Error(`${where} must be an object`);
    }
    return item as Record<string, unknown>;
  };
  const reply = (item: unknown, where: string): MockReply => {
    const fields = object(item, where);
    const status = fields.status ?? 200;
    const delayMs = fields.delayMs ?? 0;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
      throw new Error(`${where}.status must be an HTTP status from 200 to 599`);
    }
    if (typeof delayMs !== 'number' || !(delayMs >= 0) || delayMs > MAX_MOCK_DELAY_MS) {
      throw new Error(`${where}.delayMs must be a number of milliseconds from 0 to ${MAX_MOCK_DELAY_MS}`);
    }
    return { status, body: fields.body ?? null, delayMs };
  };
  const root = object(value, 'the mocks');
  const integrations: MockSet['integrations'] = {};
  for (const [name, paths] of Object.entries(object(root.integrations ?? {}, 'integrations'))) {
    integrations[name] = Object.fromEntries(Object.entries(object(paths, `integrations.${name}`)).map(([path, item]) => [path, reply(item, `integrations.${name}["${path}"]`)]));
  }
  const urls = Object.fromEntries(Object.entries(object(root.urls ?? {}, 'urls')).map(([url, item]) => [url, reply(item, `urls["${url}"]`)]));
  return { integrations, urls, strict: root.strict === true };
}

/** A key that is a whole URL (a method may come first), not an integration's name. */
const URL_KEY = /^(?:[A-Za-z]+\s+)?https?:\/\//;
const REPLY_KEYS = ['status', 'body', 'delay_ms'];

/**
 * Reads mocks written as a conversation test's `mocks:` (README, "Mocks"), parsed from JSON or
 * YAML: integration → path → reply, or URL → reply, a reply being `{status?, body?, delay_ms?}`.
 * A sandbox chat's mocks file is this; throws an Error that names the bad entry.
 */
export function readMocksMapping(value: unknown): Pick<MockSet, 'integrations' | 'urls'> {
  const mapping = (item: unknown, where: string, what: string): Record<string, unknown> => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new Error(`${where} must be a mapping ${what}`);
    }
    return item as Record<string, unknown>;
  };
  const reply = (item: unknown, where: string): MockReply => {
    const fields = mapping(item, where, 'with "status", "body" and maybe "delay_ms"');
    const unknown = Object.keys(fields).find((key) => !REPLY_KEYS.includes(key));
    if (unknown !== undefined) {
      throw new Error(`unknown key "${unknown}" in ${where}; expected one of: ${REPLY_KEYS.join(', ')}`);
    }
    const status = fields.status ?? 200;
    const delayMs = fields.delay_ms ?? 0;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
      throw new Error(`${where}.status must be an HTTP status from 200 to 599`);
    }
    if (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_MOCK_DELAY_MS) {
      throw new Error(`${where}.delay_ms must be a whole number of milliseconds from 0 to ${MAX_MOCK_DELAY_MS}`);
    }
    return { status, body: fields.body ?? null, delayMs };
  };
  const integrations: MockSet['integrations'] = {};
  const urls: MockSet['urls'] = {};
  for (const [key, item] of Object.entries(mapping(value, 'the mocks', 'of integration names to their paths, or of URLs to their replies'))) {
    if (URL_KEY.test(key)) {
      urls[key] = reply(item, `mocks["${key}"]`);
      continue;
    }
    const paths = mapping(item, `mocks.${key}`, 'of paths ("/orders/*", "POST /orders") to replies');
    integrations[key] = {};
    for (const [path, pathReply] of Object.entries(paths)) {
      if (!/^(?:[A-Za-z]+\s+)?\//.test(path)) {
        throw new Error(`the path "${path}" of integration "${key}" must start with "/" (after an optional method, as in "POST /orders")`);
      }
      integrations[key][path] = reply(pathReply, `mocks.${key}["${path}"]`);
    }
  }
  return { integrations, urls };
}
