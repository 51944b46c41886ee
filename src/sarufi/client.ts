// The typed client for Sarufi's developer API (shared/sarufi-api.md). Pure Node: no `vscode`.
//
// Two ways to call it:
//   const bots = await client.listChatbots();                         // just the data
//   const { data, exchange } = await client.call(endpoints.sendMessage(botId, sessionId, { message }));
// Every HTTP attempt is also reported to `onExchange` listeners, and every failure rejects with a
// SarufiError that carries the exchange of the attempt that failed (when one was sent).

import { performance } from 'node:perf_hooks';
import { createFetch } from 'ofetch';
import type { $Fetch, FetchResponse } from 'ofetch';
import { checkBaseUrl, isBaseUrlRefusal } from './baseUrl.js';
import { endpoints } from './endpoints.js';
import type { MessagePageParams, PageParams, QueryValue, SarufiRequest } from './endpoints.js';
import {
  cancelledError,
  detailOf,
  errorForStatus,
  kindForStatus,
  networkError,
  notJsonError,
  quoteStart,
  redirectError,
  SarufiError,
  timeoutError,
  wrongShapeError,
} from './errors.js';
import type { ErrorContext } from './errors.js';
import { parseJsonText } from './exchange.js';
import type { Exchange, HttpMethod, Result } from './exchange.js';
import { createScrubber, REDACTED_BEARER, scrubValue, webhookSecrets } from './redaction.js';
import type { Scrubber } from './redaction.js';
import { DEFAULT_RATE_LIMIT, pause, retryAfterMs, sharedRateLimiter } from './rateLimiter.js';
import type { Lane, RateLimiter, RateLimitPolicy } from './rateLimiter.js';
import { ShapeError } from './shapes.js';
import type { SandboxSessionRequest } from './sandboxExtensions.js';
import { dropsBodyOnRedirect, MAX_REDIRECTS, REDIRECT_STATUSES, redirectTarget } from './redirects.js';
import { AttemptSignal, networkReason } from './transport.js';
import type {
  Chatbot,
  ChatbotStats,
  ChatbotSummary,
  Conversation,
  ConversationList,
  ConversationMessage,
  ConversationMessageList,
  ConversationQuery,
  CreateFlowRequest,
  CreateSessionResponse,
  Flow,
  FlowList,
  MeResponse,
  Page,
  PublishResult,
  SendMessageRequest,
  SendMessageResponse,
  UpdateFlowRequest,
  ValidationResult,
} from './types.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Every item of a paged listing (`client.allChatbots()` and its kin), in order. */
export async function collectAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
  }
  return all;
}
export const DEFAULT_MAX_RETRIES = 3;

export interface RateLimitOptions {
  /** Default 1. */
  readsPerSecond?: number;
  /** Default 2000. */
  writeIntervalMs?: number;
}

/** Why the client is waiting before a request, for a "waiting…" line in the UI. */
export interface RateLimitWait {
  /** 'pacing': keeping to the documented limits; 'retry-after': the server answered 429. */
  reason: 'pacing' | 'retry-after';
  method: HttpMethod;
  /** The request's path below the base URL. */
  path: string;
  /** The attempt about to be made after the wait (2 and up after a 429). */
  attempt: number;
}

export type ExchangeListener = (exchange: Exchange) => void;

export interface SarufiClientOptions {
  /** E.g. https://developers.sarufi.io/api/dev/v1; http only for loopback hosts. */
  baseUrl: string;
  apiKey: string;
  /** Per HTTP attempt; waits for rate limits are not counted. Default 30 s. */
  timeoutMs?: number;
  /** Default: on for remote hosts, off for loopback (the sandbox has no limits). */
  rateLimit?: boolean | RateLimitOptions;
  /** How many times a 429 is retried before it reaches the caller. Default 3. */
  maxRetries?: number;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  /** Every HTTP attempt, answered or not (429s that were retried included). */
  onExchange?: ExchangeListener;
  /** Before every wait: pacing to the limits (`wait.reason: 'pacing'`) or after a 429 ('retry-after'). */
  onRateLimited?: (waitMs: number, wait: RateLimitWait) => void;
  /** One line per request, wait and refusal; never contains the key. */
  log?: (line: string) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** What one HTTP attempt produced when an answer arrived. */
interface Answer {
  status: number;
  text: string;
  retryAfter: string | null;
  exchange: Exchange;
}

function positive(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function resolvePolicy(option: SarufiClientOptions['rateLimit'], loopback: boolean): RateLimitPolicy | undefined {
  if (option === undefined) {
    return loopback ? undefined : DEFAULT_RATE_LIMIT;
  }
  if (option === false) {
    return undefined;
  }
  if (option === true) {
    return DEFAULT_RATE_LIMIT;
  }
  return {
    readIntervalMs: positive(option.readsPerSecond) ? 1000 / option.readsPerSecond : DEFAULT_RATE_LIMIT.readIntervalMs,
    writeIntervalMs: positive(option.writeIntervalMs) ? option.writeIntervalMs : DEFAULT_RATE_LIMIT.writeIntervalMs,
  };
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (query === undefined) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.append(name, String(value));
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export class SarufiClient {
  /** The base URL as used (no trailing slash), or as given when it was refused. */
  readonly baseUrl: string;
  /** The pacing in force, or undefined when rate limiting is off. */
  readonly rateLimit: RateLimitPolicy | undefined;

  private readonly apiKey: string;
  private readonly host: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly scrub: Scrubber;
  private readonly refusal: SarufiError | undefined;
  private readonly limiter: RateLimiter | undefined;
  private readonly fetcher: $Fetch;
  private readonly listeners = new Set<ExchangeListener>();
  private readonly onRateLimited: SarufiClientOptions['onRateLimited'];
  private readonly logSink: SarufiClientOptions['log'];

  constructor(options: SarufiClientOptions) {
    // A key pasted with a trailing newline is still the key; inner whitespace is not, see below.
    this.apiKey = typeof options.apiKey === 'string' ? options.apiKey.trim() : '';
    this.scrub = createScrubber(this.apiKey);
    this.timeoutMs = positive(options.timeoutMs) ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
    this.maxRetries =
      typeof options.maxRetries === 'number' && options.maxRetries >= 0 ? Math.floor(options.maxRetries) : DEFAULT_MAX_RETRIES;
    this.onRateLimited = options.onRateLimited;
    this.logSink = options.log;
    if (options.onExchange !== undefined) {
      this.listeners.add(options.onExchange);
    }
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.fetcher = createFetch({ fetch: fetchImpl });

    const base = checkBaseUrl(options.baseUrl, this.scrub);
    if (isBaseUrlRefusal(base)) {
      this.baseUrl = this.scrub(String(options.baseUrl));
      this.host = '';
      this.refusal = base;
      this.rateLimit = undefined;
      this.limiter = undefined;
      return;
    }
    this.baseUrl = base.url;
    this.host = base.host;
    this.refusal = this.checkKey();
    this.rateLimit = resolvePolicy(options.rateLimit, base.loopback);
    this.limiter = this.rateLimit === undefined ? undefined : sharedRateLimiter(base.url, this.apiKey);
  }

  /** Reports every HTTP attempt from now on; returns a disposable that stops it. */
  addExchangeListener(listener: ExchangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Sends one request (any of `endpoints`) and returns the typed data with the exchange of the
   * attempt that produced it. Rejects only with SarufiError.
   */
  async call<T>(request: SarufiRequest<T>, options: CallOptions = {}): Promise<Result<T>> {
    const context: ErrorContext = { action: request.action, host: this.host, hints: request.hints };
    const refused = this.refusal ?? request.refusal ?? this.checkBody(request);
    if (refused !== undefined) {
      this.log(`refused to ${request.action}: ${refused.detail}`);
      // A fresh error each time, so that its stack points at this call.
      throw new SarufiError({ kind: refused.kind, detail: this.scrub(refused.detail), message: this.scrub(refused.message) });
    }
    const { signal } = options;
    if (signal?.aborted) {
      throw cancelledError(context);
    }
    const url = `${this.baseUrl}${request.path}${queryString(request.query)}`;
    const lane: Lane = request.method === 'GET' ? 'read' : 'write';
    for (let attempt = 1; ; attempt += 1) {
      await this.pace(lane, request, attempt, context, signal);
      const answer = await this.send(request, url, attempt, context, signal);
      if (answer.status !== 429) {
        return { data: this.interpret(request, answer, context), exchange: answer.exchange };
      }
      const retries = attempt - 1;
      if (retries >= this.maxRetries) {
        const json = parseJsonText(answer.text);
        const detail = json === undefined ? quoteStart(answer.text) : detailOf(json);
        throw errorForStatus('rate-limited', 429, detail, context, answer.exchange, retries);
      }
      const waitMs = retryAfterMs(answer.retryAfter);
      this.limiter?.pauseFor(waitMs);
      this.notifyWait(waitMs, { reason: 'retry-after', method: request.method, path: request.path, attempt: attempt + 1 });
      this.log(`429 on ${request.method} ${request.path}: waiting ${waitMs} ms, then retry ${attempt} of ${this.maxRetries}`);
      if ((await pause(waitMs, signal)) === 'aborted') {
        throw cancelledError(context, answer.exchange);
      }
    }
  }

  // ---- Workspace ---------------------------------------------------------------------------

  me(options?: CallOptions): Promise<MeResponse> {
    return this.data(endpoints.me(), options);
  }

  // ---- Chatbots ----------------------------------------------------------------------------

  listChatbots(params?: PageParams, options?: CallOptions): Promise<Page<ChatbotSummary>> {
    return this.data(endpoints.listChatbots(params), options);
  }

  /** Every chatbot, fetching page after page as the loop asks for more. */
  allChatbots(params: { limit?: number } = {}, options?: CallOptions): AsyncGenerator<ChatbotSummary, void, undefined> {
    return this.paginate(
      (cursor) => this.listChatbots({ limit: params.limit, cursor }, options),
      (page) => page.items,
      'list chatbots',
    );
  }

  getChatbot(chatbotId: string, options?: CallOptions): Promise<Chatbot> {
    return this.data(endpoints.getChatbot(chatbotId), options);
  }

  getChatbotStats(chatbotId: string, options?: CallOptions): Promise<ChatbotStats> {
    return this.data(endpoints.getChatbotStats(chatbotId), options);
  }

  // ---- Chat --------------------------------------------------------------------------------

  /** `request` only for the local sandbox (src/sarufi/sandboxExtensions.ts); without it no body is sent, as Sarufi expects. */
  createSession(chatbotId: string, options?: CallOptions, request?: SandboxSessionRequest): Promise<CreateSessionResponse> {
    return this.data(endpoints.createSession(chatbotId, request), options);
  }

  /** With `button_id` set the message is sent as a button click (`message_type: 'button'`). */
  sendMessage(chatbotId: string, sessionId: string, request: SendMessageRequest, options?: CallOptions): Promise<SendMessageResponse> {
    return this.data(endpoints.sendMessage(chatbotId, sessionId, request), options);
  }

  // ---- Flows -------------------------------------------------------------------------------

  listFlows(chatbotId: string, options?: CallOptions): Promise<FlowList> {
    return this.data(endpoints.listFlows(chatbotId), options);
  }

  getFlow(chatbotId: string, flowId: string, options?: CallOptions): Promise<Flow> {
    return this.data(endpoints.getFlow(chatbotId, flowId), options);
  }

  createFlow(chatbotId: string, request: CreateFlowRequest, options?: CallOptions): Promise<Flow> {
    return this.data(endpoints.createFlow(chatbotId, request), options);
  }

  updateFlow(chatbotId: string, flowId: string, request: UpdateFlowRequest, options?: CallOptions): Promise<Flow> {
    return this.data(endpoints.updateFlow(chatbotId, flowId, request), options);
  }

  validateFlow(chatbotId: string, flowId: string, options?: CallOptions): Promise<ValidationResult> {
    return this.data(endpoints.validateFlow(chatbotId, flowId), options);
  }

  publishFlow(chatbotId: string, flowId: string, options?: CallOptions): Promise<PublishResult> {
    return this.data(endpoints.publishFlow(chatbotId, flowId), options);
  }

  deleteFlow(chatbotId: string, flowId: string, options?: CallOptions): Promise<void> {
    return this.data(endpoints.deleteFlow(chatbotId, flowId), options);
  }

  // ---- Conversations -----------------------------------------------------------------------

  listConversations(chatbotId: string, query?: ConversationQuery, options?: CallOptions): Promise<ConversationList> {
    return this.data(endpoints.listConversations(chatbotId, query), options);
  }

  allConversations(
    chatbotId: string,
    query: Omit<ConversationQuery, 'cursor'> = {},
    options?: CallOptions,
  ): AsyncGenerator<Conversation, void, undefined> {
    return this.paginate(
      (cursor) => this.listConversations(chatbotId, { ...query, cursor }, options),
      (page) => page.conversations,
      'list conversations',
    );
  }

  getConversation(chatbotId: string, conversationId: string, options?: CallOptions): Promise<Conversation> {
    return this.data(endpoints.getConversation(chatbotId, conversationId), options);
  }

  listConversationMessages(
    chatbotId: string,
    conversationId: string,
    params?: MessagePageParams,
    options?: CallOptions,
  ): Promise<ConversationMessageList> {
    return this.data(endpoints.listConversationMessages(chatbotId, conversationId, params), options);
  }

  allConversationMessages(
    chatbotId: string,
    conversationId: string,
    params: { limit?: number } = {},
    options?: CallOptions,
  ): AsyncGenerator<ConversationMessage, void, undefined> {
    return this.paginate(
      (cursor) => this.listConversationMessages(chatbotId, conversationId, { limit: params.limit, cursor }, options),
      (page) => page.messages,
      "load the conversation's messages",
    );
  }

  // ---- Internals ---------------------------------------------------------------------------

  private async data<T>(request: SarufiRequest<T>, options: CallOptions | undefined): Promise<T> {
    return (await this.call(request, options)).data;
  }

  private async *paginate<P extends { next_cursor: string | null }, T>(
    fetchPage: (cursor: string | undefined) => Promise<P>,
    itemsOf: (page: P) => T[],
    action: string,
  ): AsyncGenerator<T, void, undefined> {
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const page = await fetchPage(cursor);
      yield* itemsOf(page);
      if (page.next_cursor === null) {
        return;
      }
      // A server handing back a cursor it gave before would keep us looping forever.
      if (seen.has(page.next_cursor)) {
        throw new SarufiError({
          kind: 'bad-response',
          detail: 'repeated cursor',
          message: `Sarufi returned the same page cursor twice while asked to ${action}, so listing stopped there. Try again later.`,
        });
      }
      seen.add(page.next_cursor);
      cursor = page.next_cursor;
    }
  }

  /** Refuses keys that cannot go into a header (and would otherwise leak into a TypeError). */
  private checkKey(): SarufiError | undefined {
    if (this.apiKey === '') {
      return new SarufiError({
        kind: 'auth',
        detail: 'no API key',
        message: 'No Sarufi API key is set, so nothing was sent. Set one with "Sarufi: Set API Key".',
      });
    }
    if (!/^[\x21-\x7e]+$/.test(this.apiKey)) {
      return new SarufiError({
        kind: 'auth',
        detail: 'API key with spaces, line breaks or non-ASCII characters',
        message:
          'The Sarufi API key contains spaces, line breaks or non-ASCII characters, so nothing was sent. ' +
          'Copy it again from the dashboard and set it with "Sarufi: Set API Key".',
      });
    }
    return undefined;
  }

  private checkBody<T>(request: SarufiRequest<T>): SarufiError | undefined {
    if (request.body === undefined) {
      return undefined;
    }
    try {
      JSON.stringify(request.body);
      return undefined;
    } catch {
      return new SarufiError({
        kind: 'refused',
        detail: 'body is not JSON-serialisable',
        message: `Cannot ${request.action}: the request body cannot be written as JSON, so nothing was sent.`,
      });
    }
  }

  /** Waits for this lane's next slot under the shared limiter, if rate limiting is on. */
  private async pace<T>(lane: Lane, request: SarufiRequest<T>, attempt: number, context: ErrorContext, signal?: AbortSignal): Promise<void> {
    if (this.limiter === undefined || this.rateLimit === undefined) {
      return;
    }
    const interval = lane === 'read' ? this.rateLimit.readIntervalMs : this.rateLimit.writeIntervalMs;
    const outcome = await this.limiter.acquire(lane, interval, signal, (waitMs) => {
      const shown = Math.ceil(waitMs);
      this.notifyWait(shown, { reason: 'pacing', method: request.method, path: request.path, attempt });
      this.log(`rate limit: waiting ${shown} ms before ${request.method} ${request.path}`);
    });
    if (outcome === 'aborted') {
      throw cancelledError(context);
    }
  }

  /** One HTTP attempt. Resolves when an answer (any status) arrived; rejects otherwise. */
  private async send<T>(
    request: SarufiRequest<T>,
    url: string,
    attempt: number,
    context: ErrorContext,
    signal: AbortSignal | undefined,
  ): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' };
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const startedAt = new Date().toISOString();
    const started = performance.now();
    // A followed redirect changes what was last sent; the exchange shows that, not the first request.
    let method: HttpMethod = request.method;
    let sentBody = body;
    const record = (fields: Pick<Exchange, 'status' | 'responseHeaders' | 'responseText' | 'responseJson' | 'error'>): Exchange => {
      const exchange: Exchange = {
        method,
        url: this.scrub(url),
        requestHeaders: { ...headers, authorization: REDACTED_BEARER },
        requestBody: sentBody === undefined ? undefined : scrubValue(JSON.parse(sentBody), this.scrub),
        startedAt,
        durationMs: Math.round(performance.now() - started),
        attempt,
        ...fields,
      };
      if (exchange.error === undefined) {
        delete exchange.error;
      }
      this.report(exchange);
      return exchange;
    };

    const guard = new AttemptSignal(signal, this.timeoutMs);
    this.log(`${request.method} ${request.path}${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
    try {
      let response = await this.fetchOnce(url, method, headers, sentBody, guard.signal);
      // Followed by hand: fetch would follow to any origin and post the message there too.
      for (let hops = 0; REDIRECT_STATUSES.has(response.status); hops += 1) {
        const target = redirectTarget(url, response.headers.get('location'));
        const sameOrigin = target !== null && target.origin === new URL(url).origin;
        if (!sameOrigin || hops >= MAX_REDIRECTS) {
          const exchange = record(this.answerFields(response));
          throw redirectError(response.status, target, sameOrigin, context, exchange);
        }
        url = target.toString();
        if (dropsBodyOnRedirect(response.status, method)) {
          method = 'GET';
          sentBody = undefined;
        }
        response = await this.fetchOnce(url, method, headers, sentBody, guard.signal);
      }
      const fields = this.answerFields(response);
      const exchange = record(fields);
      this.log(`${request.method} ${request.path} → ${response.status} in ${exchange.durationMs} ms`);
      return { status: response.status, text: fields.responseText, retryAfter: response.headers.get('retry-after'), exchange };
    } catch (error) {
      if (error instanceof SarufiError) {
        throw error;
      }
      const reason = guard.timedOut
        ? `no answer within ${this.timeoutMs} ms`
        : signal?.aborted === true
          ? 'cancelled by the caller'
          : this.scrub(networkReason(error));
      const exchange = record({ status: null, responseHeaders: {}, responseText: '', responseJson: undefined, error: reason });
      this.log(`${request.method} ${request.path} → failed (${reason}) after ${exchange.durationMs} ms`);
      if (guard.timedOut) {
        throw timeoutError(this.timeoutMs, context, exchange);
      }
      if (signal?.aborted === true) {
        throw cancelledError(context, exchange);
      }
      throw networkError(reason, context, exchange);
    } finally {
      guard.dispose();
    }
  }

  private fetchOnce(url: string, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal) {
    return this.fetcher.raw<string, 'text'>(url, {
      method,
      headers,
      body,
      responseType: 'text',
      ignoreResponseError: true,
      retry: false,
      redirect: 'manual',
      signal,
    });
  }

  /** What the exchange keeps of an answer, scrubbed. */
  private answerFields(response: FetchResponse<string>): Pick<Exchange, 'status' | 'responseHeaders' | 'responseText' | 'responseJson'> {
    const rawText = typeof response._data === 'string' ? response._data : '';
    const text = this.scrubAnswer(rawText);
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = this.scrub(value);
    });
    return { status: response.status, responseHeaders, responseText: text, responseJson: parseJsonText(text) };
  }

  /** The raw body minus the key and any webhook secret it happens to contain. */
  private scrubAnswer(rawText: string): string {
    let text = this.scrub(rawText);
    const json = parseJsonText(text);
    for (const secret of webhookSecrets(json)) {
      text = createScrubber(secret)(text);
    }
    return text;
  }

  /** Turns an answer (not 429) into data, or into the SarufiError it means. */
  private interpret<T>(request: SarufiRequest<T>, answer: Answer, context: ErrorContext): T {
    const { status, text, exchange } = answer;
    if (status >= 200 && status < 300) {
      if (!request.expectsBody) {
        return request.read(undefined);
      }
      // Parsed again (not shared with the exchange) so that callers may change the data freely.
      const json = parseJsonText(text);
      if (json === undefined) {
        throw notJsonError(status, text, context, exchange);
      }
      try {
        return request.read(json);
      } catch (error) {
        const reason = error instanceof ShapeError ? error.message : `unreadable answer: ${String(error)}`;
        throw wrongShapeError(status, reason, context, exchange);
      }
    }
    if (status < 400) {
      throw wrongShapeError(status, `unexpected status ${status}`, context, exchange);
    }
    const json = parseJsonText(text);
    if (json === undefined && text.trim() !== '') {
      throw notJsonError(status, text, context, exchange);
    }
    const kind = request.statusKinds?.[status] ?? kindForStatus(status);
    throw errorForStatus(kind, status, detailOf(json), context, exchange);
  }

  private report(exchange: Exchange): void {
    for (const listener of this.listeners) {
      try {
        listener(exchange);
      } catch (error) {
        // A broken listener must not turn a good answer into a failure.
        this.log(`an exchange listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private notifyWait(waitMs: number, wait: RateLimitWait): void {
    if (this.onRateLimited === undefined) {
      return;
    }
    try {
      this.onRateLimited(waitMs, wait);
    } catch (error) {
      this.log(`the rate-limit listener failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private log(line: string): void {
    if (this.logSink === undefined) {
      return;
    }
    try {
      this.logSink(this.scrub(line));
    } catch {
      // Logging must never break a request.
    }
  }
}
