// API_CALL: a real HTTP request from the sandbox, shaped the way Sarufi documents it.
import { fetchFollowingRedirects } from './apiCallRedirects.js';
import { ApiCallRefusal, MAX_API_TIMEOUT_MS } from './boundedFetch.js';
import type { ApiCallAction, IntegrationConfig } from './flowTypes.js';
import { MAX_JSON_DEPTH, offsetBeyondDepth } from './jsonDepth.js';
import { renderDeep, renderTemplate } from './template.js';
import type { Variables } from './template.js';
import { parseJsonText } from '../sarufi/exchange.js';
import { wasMocked } from './mocks.js';

export const DEFAULT_API_TIMEOUT_MS = 10_000;

export interface ApiCallContext {
  variables: Variables;
  /** The user's last text: the default body's `message.text`. */
  lastInput: string;
  state: string;
  flowName: string;
  chatbotId: string;
  userId: string;
  userName: string;
  channel: string;
  /** X-Sarufi-Language, the sandbox's own header (Sarufi documents none): sent only when set. */
  language?: string;
  integrations: Record<string, IntegrationConfig>;
  fetch: typeof fetch;
  defaultTimeoutMs: number;
}

/** The most characters of a backend's answer a trace keeps: enough to read it, not to fill memory. */
export const TRACED_RESPONSE_CHARS = 4096;

/** What was sent, for the sandbox's trace: headers as sent (the trace masks secrets), and the JSON body. */
export interface ApiCallRequestRecord {
  headers: Record<string, string>;
  /** The body as sent (parsed back to JSON), or null for GET and DELETE. */
  body: unknown;
}

/** What came back, for the trace: the first TRACED_RESPONSE_CHARS characters of the answer's text. */
export interface ApiCallResponseRecord {
  status: number;
  body: string;
  truncated: boolean;
}

export interface ApiCallOutcome {
  /** True on a 2xx answer; false on 4xx/5xx, timeout, network error or a bad URL. */
  ok: boolean;
  method: string;
  url: string;
  status: number | null;
  /** The parsed JSON answer (text when not JSON, null when there was none). */
  body: unknown;
  error: string | null;
  durationMs: number;
  /** Null when nothing could be sent (a bad URL). */
  request: ApiCallRequestRecord | null;
  /** Null when no answer came (timeout, network error, refusal). */
  response: ApiCallResponseRecord | null;
  /** Answered by a mock set (src/flow/mocks.ts), not the network. */
  mocked: boolean;
}

const WHOLE_PLACEHOLDER = /^\s*\{\{[^{}]*\}\}\s*$/;

/** Header values must be Latin-1 for fetch; names such as "Zuhura Ñ…" are percent-encoded. */
function headerSafe(value: string): string {
  return /^[\x20-\x7E]*$/.test(value) ? value : encodeURIComponent(value);
}

function buildUrl(action: ApiCallAction, context: ApiCallContext): string {
  let url: string;
  if (action.target.kind === 'integration') {
    const integration = context.integrations[action.target.integration];
    if (!integration) {
      throw new Error(`Unknown integration '${action.target.integration}': the sandbox has no base URL for it.`);
    }
    // Values inside a path are encoded, so an answer such as "12/3" cannot change the route.
    const path = renderTemplate(action.target.path, context.variables, encodeURIComponent);
    url = integration.baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
  } else {
    // A url that is one placeholder is a whole URL kept in a variable: do not encode it.
    url = WHOLE_PLACEHOLDER.test(action.target.url)
      ? renderTemplate(action.target.url, context.variables).trim()
      : renderTemplate(action.target.url, context.variables, encodeURIComponent);
  }
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Only http(s) URLs can be called, not ${parsed.protocol}`);
  }
  return parsed.toString();
}

function buildHeaders(action: ApiCallAction, context: ApiCallContext, hasBody: boolean): Headers {
  const headers = new Headers({ Accept: 'application/json' });
  if (hasBody) {
    headers.set('Content-Type', 'application/json');
  }
  const integrationHeaders =
    action.target.kind === 'integration' ? (context.integrations[action.target.integration]?.headers ?? {}) : {};
  for (const [name, value] of Object.entries({ ...integrationHeaders, ...action.headers })) {
    headers.set(name, headerSafe(renderTemplate(value, context.variables)));
  }
  // Set last so a flow cannot make them lie about who is calling.
  const sarufiHeaders: Record<string, string> = {
    'X-Sarufi-User-Id': context.userId,
    'X-Sarufi-Chatbot-Id': context.chatbotId,
    'X-Sarufi-Channel': context.channel,
    'X-Sarufi-State': context.state,
    'X-Sarufi-Flow-Name': context.flowName,
    'X-Sarufi-User-Name': context.userName,
    ...(context.language === undefined ? {} : { 'X-Sarufi-Language': context.language }),
  };
  for (const [name, value] of Object.entries(sarufiHeaders)) {
    headers.set(name, headerSafe(value));
  }
  return headers;
}

/** Headers as plain data (lower-case names, as fetch keeps them), for the trace. */
function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/**
 * api-call.mdx: POST, PUT and PATCH always send `{message, variables}`, with the declared `body`
 * merged on top (its fields win); GET and DELETE send no body. The merge is shallow, as the page
 * shows it: a declared `variables` replaces the automatic one.
 */
function buildBody(action: ApiCallAction, context: ApiCallContext): string | undefined {
  if (action.method === 'GET' || action.method === 'DELETE') {
    return undefined;
  }
  const automatic = { message: { type: 'text', text: context.lastInput }, variables: context.variables };
  const declared = action.body === null ? {} : (renderDeep(action.body, context.variables) as Record<string, unknown>);
  return JSON.stringify({ ...automatic, ...declared });
}

/**
 * A backend's answer as the flow sees it: JSON when it is JSON, null when empty, else the text.
 * An answer nested deeper than MAX_JSON_DEPTH is refused before parsing: the engine could not
 * copy it into a turn's snapshot, and every later turn of the conversation would fail.
 */
function parseBody(text: string): unknown {
  if (text.trim() === '') {
    return null;
  }
  if (offsetBeyondDepth(text) !== -1) {
    throw new ApiCallRefusal(`The answer nests deeper than ${MAX_JSON_DEPTH} levels, more than the sandbox keeps.`);
  }
  const parsed = parseJsonText(text);
  return parsed === undefined ? text : parsed;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `Timed out after ${timeoutMs} ms.`;
  }
  if (error instanceof ApiCallRefusal) {
    return error.message;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `Network error: ${detail}`;
}

/** Never rejects: every failure becomes an outcome with `ok: false` and an `error`. */
export async function performApiCall(action: ApiCallAction, context: ApiCallContext): Promise<ApiCallOutcome> {
  const started = performance.now();
  // The engine's fetch stops every call at MAX_API_TIMEOUT_MS: report that wait, not a longer one asked for.
  const timeoutMs = Math.min(action.timeoutMs ?? context.defaultTimeoutMs, MAX_API_TIMEOUT_MS);
  const failed = (url: string, error: string, request: ApiCallRequestRecord | null = null): ApiCallOutcome => ({
    ok: false,
    method: action.method,
    url,
    status: null,
    body: null,
    error,
    durationMs: Math.round(performance.now() - started),
    request,
    response: null,
    mocked: false,
  });
  let url: string;
  try {
    url = buildUrl(action, context);
  } catch (error) {
    return failed('', (error as Error).message);
  }
  let request: ApiCallRequestRecord | null = null;
  try {
    const body = buildBody(action, context);
    const headers = buildHeaders(action, context, body !== undefined);
    request = { headers: headerRecord(headers), body: body === undefined ? null : (JSON.parse(body) as unknown) };
    const response = await fetchFollowingRedirects(context.fetch, url, {
      method: action.method,
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const record: ApiCallResponseRecord = { status: response.status, body: text.slice(0, TRACED_RESPONSE_CHARS), truncated: text.length > TRACED_RESPONSE_CHARS };
    const mocked = wasMocked(response);
    let parsed: unknown;
    try {
      parsed = parseBody(text);
    } catch (error) {
      // As before the trace: a refused answer is a failure with no status, though the trace shows what came.
      return { ...failed(url, describeFailure(error, timeoutMs), request), response: record, mocked };
    }
    return {
      ok: response.status >= 200 && response.status < 300,
      method: action.method,
      url,
      status: response.status,
      body: parsed,
      error: response.ok ? null : `HTTP ${response.status}`,
      durationMs: Math.round(performance.now() - started),
      request,
      response: record,
      mocked,
    };
  } catch (error) {
    return failed(url, describeFailure(error, timeoutMs), request);
  }
}
