// Transcript data and a page opener shared by the chat page's tests: one place that knows what a
// realistic turn, error and session look like, so each test states only what it is about.
import assert from 'node:assert/strict';
import type { DividerEntry, ErrorEntry, SessionInfo, TranscriptEntry, TurnEntry } from '../../src/chat/transcript.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import type { GenericMessage } from '../../src/flow/botMessages.js';
import { TRACE_FIELD, type TurnTrace } from '../../src/flow/turnTrace.js';
import type { OpenOptions, TestHostMessage, WebviewHarness, WebviewPage } from './harness.js';

export const BASE_URL = 'https://developers.sarufi.io/api/dev/v1';
const AT = '2026-05-04T10:00:00.000Z';

export function session(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    chatbotId: 'bot-1',
    chatbotName: 'Pizza Bot',
    environmentId: 'sarufi',
    environment: 'production',
    baseUrl: BASE_URL,
    sessionId: '01HZX3SESSION0000000000000',
    createdAt: AT,
    messagesCount: 2,
    expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    trail: ['greeting', 'menu'],
    status: 'open',
    ...overrides,
  };
}

export function exchange(overrides: Partial<Exchange> = {}): Exchange {
  const responseJson = { session_id: 's-1', messages: [{ type: 'text', text: 'Hello' }], messages_count: 2, current_state: 'menu', ok: true, note: null };
  return {
    method: 'POST',
    url: `${BASE_URL}/chatbots/bot-1/chat/sessions/s-1/messages`,
    requestHeaders: { authorization: 'Bearer •••', 'content-type': 'application/json', accept: 'application/json' },
    requestBody: { message: 'hi', message_type: 'text', button_id: null },
    status: 200,
    responseHeaders: { 'content-type': 'application/json' },
    responseText: JSON.stringify(responseJson),
    responseJson,
    startedAt: AT,
    durationMs: 412,
    attempt: 1,
    ...overrides,
  };
}

export function turn(id: string, messages: GenericMessage[], overrides: Partial<TurnEntry> = {}): TurnEntry {
  return {
    kind: 'turn',
    id,
    sessionId: 's-1',
    messages,
    currentState: 'menu',
    messagesCount: 2,
    at: AT,
    durationMs: 412,
    status: 200,
    exchange: exchange(),
    ...overrides,
  };
}

export function errorEntry(overrides: Partial<ErrorEntry> = {}): ErrorEntry {
  return {
    kind: 'error',
    id: 'err-1',
    sessionId: 's-1',
    message: 'The session has ended. Start a new session to keep chatting.',
    errorKind: 'session-gone',
    status: 410,
    remedy: 'new-session',
    at: AT,
    ...overrides,
  };
}

export function divider(text: string, id = 'div-1'): DividerEntry {
  return { kind: 'divider', id, text, at: AT };
}

/** A 1×1 PNG, served for the media URLs the tests route. */
export const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

export const MEDIA_ORIGIN = 'https://media.example.test';

/** Answers every request to MEDIA_ORIGIN from the test, so media loads without leaving the machine. */
export async function routeMedia(view: WebviewPage): Promise<string[]> {
  const requested: string[] = [];
  await view.page.route(`${MEDIA_ORIGIN}/**`, async (route) => {
    requested.push(route.request().url());
    const isImage = /\.png$/.test(new URL(route.request().url()).pathname);
    await route.fulfill(isImage ? { status: 200, contentType: 'image/png', body: PIXEL_PNG } : { status: 204 });
  });
  return requested;
}

export const text = (value: string): GenericMessage => ({ type: 'text', text: value });

export interface ChatOptions extends OpenOptions {
  entries?: TranscriptEntry[];
  /** Entries the host holds before `entries`, which the page gets when it asks (`earlier`). */
  earlier?: TranscriptEntry[];
  session?: SessionInfo;
  readOnly?: boolean;
  panelId?: string;
  /** Runs after the page said `ready` and before `init`, e.g. to route media URLs. */
  prepare?: (view: WebviewPage) => Promise<void>;
}

/** Opens the chat page, waits for `ready`, and sends `init` as the host does. */
export async function openChat(harness: WebviewHarness, options: ChatOptions = {}): Promise<WebviewPage> {
  const view = await harness.open({ bundle: 'chat', title: 'Sarufi Chat', ...options });
  await view.waitForMessage('ready');
  await options.prepare?.(view);
  await view.post(initMessage(options));
  return view;
}

export function initMessage(options: ChatOptions = {}): Extract<TestHostMessage, { type: 'init' }> {
  return {
    type: 'init',
    panelId: options.panelId ?? 'panel-1',
    session: options.session ?? session(),
    entries: options.entries ?? [],
    earlier: options.earlier,
    readOnly: options.readOnly ?? false,
  };
}

/** Runs `body` on a fresh chat page, then proves the page stayed healthy: no console error, no CSP violation, no stray request. */
export async function withChat(harness: WebviewHarness, options: ChatOptions, body: (view: WebviewPage) => Promise<void>): Promise<void> {
  const view = await openChat(harness, options);
  try {
    await body(view);
    assert.deepEqual(view.problems(), [], 'the page reported no problem');
    assert.deepEqual(view.blockedRequests, [], 'the page requested nothing outside the test server');
  } finally {
    await view.close();
  }
}

/** The messages the page posted of one type. */
export function posted<T extends WebviewPage['messages'][number]['type']>(view: WebviewPage, type: T): Extract<WebviewPage['messages'][number], { type: T }>[] {
  return view.messages.filter((message): message is Extract<WebviewPage['messages'][number], { type: T }> => message.type === type);
}

/** A sandbox trace (src/flow/turnTrace.ts) with the events and variables a test is about. */
export function trace(overrides: Partial<TurnTrace> = {}): TurnTrace {
  return { version: 1, turn: 1, from: 'menu', to: 'size', events: [], variables: { before: {}, after: {} }, masked: [], ...overrides };
}

/** A turn whose reply carries the sandbox's trace, as the sandbox sends it (TRACE_FIELD); null as a reply whose trace is gone. */
export function tracedTurn(id: string, messages: GenericMessage[], turnTrace: TurnTrace | null, overrides: Partial<TurnEntry> = {}): TurnEntry {
  const base = exchange();
  const responseJson = { ...(base.responseJson as Record<string, unknown>), [TRACE_FIELD]: turnTrace };
  return turn(id, messages, { exchange: exchange({ responseJson, responseText: JSON.stringify(responseJson) }), ...overrides });
}
