// The one error type of the client: every failure (HTTP status, network, timeout, cancel, a body
// that is not what the API promises, a request refused before sending) becomes a SarufiError
// whose message says, in plain words, what happened and what to do next.

import { isRecord } from '../flow/botMessages.js';
import type { Exchange } from './exchange.js';
import { MAX_REDIRECTS } from './redirects.js';

export type SarufiErrorKind =
  | 'auth'
  | 'forbidden'
  | 'not-found'
  | 'session-closed'
  | 'conflict'
  | 'validation'
  | 'bad-request'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'bad-response'
  | 'refused'
  | 'redirected'
  | 'cancelled';

export interface SarufiErrorInit {
  kind: SarufiErrorKind;
  message: string;
  detail: string;
  status?: number;
  exchange?: Exchange;
}

export class SarufiError extends Error {
  readonly kind: SarufiErrorKind;
  /** The HTTP status, when an answer arrived. */
  readonly status: number | undefined;
  /** The service's own words (422 lists flattened), or the technical cause; never the key. */
  readonly detail: string;
  /** The exchange that failed; undefined when nothing was sent (refusals, cancelled waits). */
  readonly exchange: Exchange | undefined;

  constructor(init: SarufiErrorInit) {
    super(init.message);
    this.name = 'SarufiError';
    this.kind = init.kind;
    this.status = init.status;
    this.detail = init.detail;
    this.exchange = init.exchange;
  }
}

export function isSarufiError(value: unknown): value is SarufiError {
  return value instanceof SarufiError;
}

/** How long a quote from a body may be inside a message. */
const QUOTE_LENGTH = 80;
/** How much of the service's detail goes into a message; the full text stays in `detail`. */
const DETAIL_IN_MESSAGE = 300;

/** The start of a text, on one line, for quoting inside a message. */
export function quoteStart(text: string, length = QUOTE_LENGTH): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > length ? `${oneLine.slice(0, length)}…` : oneLine;
}


/**
 * The `detail` of an error body as one line of text. FastAPI's 422 lists of `{loc, msg, type}`
 * become `body.message: field required; body.button_id: …` so that a person can read them.
 */
export function flattenDetail(detail: unknown): string {
  if (detail === undefined || detail === null) {
    return '';
  }
  if (typeof detail === 'string') {
    return detail;
  }
  if (Array.isArray(detail)) {
    return detail.map(flattenDetailItem).filter((line) => line !== '').join('; ');
  }
  return JSON.stringify(detail);
}

function flattenDetailItem(item: unknown): string {
  if (typeof item === 'string') {
    return item;
  }
  if (isRecord(item) && typeof item.msg === 'string') {
    const loc = Array.isArray(item.loc) ? item.loc.map((part) => String(part)).join('.') : '';
    return loc === '' ? item.msg : `${loc}: ${item.msg}`;
  }
  return JSON.stringify(item);
}

/** The service's words from an error body: `detail` (422 lists flattened), else what there is. */
export function detailOf(json: unknown): string {
  if (json === undefined) {
    return '';
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const fields = json as Record<string, unknown>;
    if ('detail' in fields) {
      return flattenDetail(fields.detail);
    }
    for (const name of ['message', 'error']) {
      if (typeof fields[name] === 'string') {
        return fields[name];
      }
    }
  }
  return quoteStart(JSON.stringify(json), 500);
}

/** The kind an HTTP error status means, before any endpoint-specific reading. */
export function kindForStatus(status: number): SarufiErrorKind {
  switch (status) {
    case 401:
      return 'auth';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 409:
      return 'conflict';
    case 410:
      return 'session-closed';
    case 422:
      return 'validation';
    case 429:
      return 'rate-limited';
    default:
      if (status >= 500) {
        return 'server';
      }
      if (status >= 400) {
        return 'bad-request';
      }
      // A 1xx or 3xx that reached us is not something the API ever answers.
      return 'bad-response';
  }
}

/** What a request was doing, for messages: "start a chat session", "list flows". */
export interface ErrorContext {
  action: string;
  /** Host of the base URL, for network messages. */
  host: string;
  /** Extra advice for some kinds on some endpoints (e.g. 400 on session creation). */
  hints?: Partial<Record<SarufiErrorKind, string>>;
}

function clipped(detail: string): string {
  return detail.length > DETAIL_IN_MESSAGE ? `${detail.slice(0, DETAIL_IN_MESSAGE)}…` : detail;
}

function withDetail(status: number, detail: string): string {
  return detail === '' ? `(${status})` : `(${status}: ${clipped(detail)})`;
}

/**
 * A 410 in words, each thing said once: the service's reason, when it gives one, usually already
 * says to start a new session (the sandbox's does), so that advice is added only when it does not.
 */
function sessionClosedMessage(status: number, detail: string): string {
  const kept = 'The transcript so far stays readable.';
  if (detail === '') {
    return `The chat session has ended (${status}). Start a new session; the transcript so far stays readable.`;
  }
  const shown = clipped(detail);
  const sentence = /[.!?…]$/.test(shown) ? shown : `${shown}.`;
  const advice = /new session/i.test(shown) ? '' : ' Start a new session to go on.';
  return `Sarufi closed the chat session (${status}): ${sentence}${advice} ${kept}`;
}

/** The error for an HTTP answer with an error status and a readable (JSON or empty) body. */
export function errorForStatus(
  kind: SarufiErrorKind,
  status: number,
  detail: string,
  context: ErrorContext,
  exchange: Exchange,
  retries = 0,
): SarufiError {
  const said = withDetail(status, detail);
  const hint = context.hints?.[kind];
  let message: string;
  switch (kind) {
    case 'auth':
      message = `Sarufi rejected the API key ${said}. Set a new key with "Sarufi: Set API Key".`;
      break;
    case 'forbidden':
      message = `Sarufi refused to let this API key ${context.action} ${said}. The key's workspace may not own it; check the key with "Sarufi: Set API Key".`;
      break;
    case 'not-found':
      message = `Sarufi could not ${context.action}: not found ${said}. It may have been deleted or the id is wrong; refresh and try again.`;
      break;
    case 'session-closed':
      message = sessionClosedMessage(status, detail);
      break;
    case 'conflict':
      message = `Sarufi could not ${context.action} because of a conflict ${said}. Refresh and try again.`;
      break;
    case 'validation':
      message = `Sarufi found the request to ${context.action} invalid ${said}. Correct the fields named there and try again.`;
      break;
    case 'rate-limited':
      message = `Sarufi kept limiting requests ${said}${retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : ''}. Wait a few seconds and try again.`;
      break;
    case 'server':
      message = `Sarufi failed to ${context.action} ${said}. This is a problem on Sarufi's side; try again in a moment.`;
      break;
    default:
      message = `Sarufi could not ${context.action} ${said}. The request was not accepted; the detail says why.`;
      break;
  }
  // A closed session's reason from the service says why it ended; the hint only guesses why.
  const saidWhy = kind === 'session-closed' && detail !== '';
  if (hint !== undefined && !saidWhy) {
    message = `${message} ${hint}`;
  }
  return new SarufiError({ kind, status, detail, message, exchange });
}

/** An answer that is not the JSON the API promises: HTML from a proxy, a wrong base URL, junk. */
export function notJsonError(status: number, text: string, context: ErrorContext, exchange: Exchange): SarufiError {
  const looksHtml = /^\s*</.test(text);
  const what = looksHtml
    ? 'an HTML page instead of JSON'
    : text.trim() === ''
      ? 'an empty body instead of JSON'
      : 'text that is not valid JSON';
  const quote = text.trim() === '' ? '' : `: "${quoteStart(text)}"`;
  return new SarufiError({
    kind: 'bad-response',
    status,
    detail: quoteStart(text, 500),
    exchange,
    message:
      `Sarufi answered the request to ${context.action} with ${what} (${status})${quote}. ` +
      'Check that the base URL points to the Sarufi developer API (it ends in /api/dev/v1).',
  });
}

/** A 2xx JSON answer whose shape is not what the API documents. */
export function wrongShapeError(status: number, reason: string, context: ErrorContext, exchange: Exchange): SarufiError {
  return new SarufiError({
    kind: 'bad-response',
    status,
    detail: reason,
    exchange,
    message:
      `Sarufi's answer to the request to ${context.action} did not have the expected shape (${reason}). ` +
      'The API may have changed; the raw answer is in the exchange log.',
  });
}

export function networkError(reason: string, context: ErrorContext, exchange: Exchange): SarufiError {
  return new SarufiError({
    kind: 'network',
    detail: reason,
    exchange,
    message: `Could not reach ${context.host} to ${context.action} (${reason}). Check the base URL setting and your network connection.`,
  });
}

export function timeoutError(timeoutMs: number, context: ErrorContext, exchange: Exchange): SarufiError {
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} s` : `${timeoutMs} ms`;
  return new SarufiError({
    kind: 'timeout',
    detail: `no answer within ${timeoutMs} ms`,
    exchange,
    message: `Sarufi did not answer within ${seconds} when asked to ${context.action}. Check your connection and try again.`,
  });
}

/**
 * A redirect the client would not follow: to another origin (the key and the message go only to
 * the base URL's server), without a usable address, or one hop too many.
 */
export function redirectError(
  status: number,
  target: URL | null,
  sameOrigin: boolean,
  context: ErrorContext,
  exchange: Exchange,
): SarufiError {
  const why =
    target === null
      ? 'a redirect without a usable address'
      : sameOrigin
        ? `more than ${MAX_REDIRECTS} redirects`
        : `a redirect to another server, ${target.origin}`;
  return new SarufiError({
    kind: 'redirected',
    status,
    detail: target === null ? `redirect ${status} without a Location` : `redirect ${status} to ${target.origin}`,
    exchange,
    message:
      `Sarufi answered the request to ${context.action} with ${why} (${status}), so it was not followed: ` +
      'the API key and your message go only to the server of the base URL. Check the base URL setting.',
  });
}

export function cancelledError(context: ErrorContext, exchange?: Exchange): SarufiError {
  return new SarufiError({
    kind: 'cancelled',
    detail: 'cancelled by the caller',
    exchange,
    message: `Cancelled: the request to ${context.action} was stopped before Sarufi answered.`,
  });
}

/** A request the client will not send, with the reason and the way out. */
export function refusal(detail: string, message: string): SarufiError {
  return new SarufiError({ kind: 'refused', detail, message });
}

/** The local sandbox's process died and the extension started a new one: its sessions are gone. */
export function sandboxRestartedError(reason: string): SarufiError {
  return new SarufiError({
    kind: 'session-closed',
    detail: `the sandbox process stopped: ${reason}`,
    message:
      `The local sandbox stopped (${reason}) and was started again, so this session is gone. ` +
      'The transcript above is kept; start a new session to go on.',
  });
}

/** VS Code closed while a message was on its way: no reply was seen, and the bot may have had it. */
export function interruptedSendError(): SarufiError {
  return new SarufiError({
    kind: 'network',
    detail: 'the window closed before the reply came',
    message: 'No reply came: VS Code closed while this message was on its way. The bot may have received it; Retry sends it again.',
  });
}
