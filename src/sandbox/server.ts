// The local Sarufi-compatible server: the documented /api/dev/v1 endpoints over the flow files in
// some folders, on loopback. Pure Node: the extension host, the CLI and the tests all start it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Catalog } from './catalog.js';
import { registerChatbotRoutes } from './chatbotRoutes.js';
import { registerChatRoutes } from './chatRoutes.js';
import { registerConversationRoutes } from './conversationRoutes.js';
import { DEFAULT_CONTACT_NAME } from '../flow/engine.js';
import { FaultInjector, HTML_ERROR_BODY, TRUNCATED_JSON_BODY } from './faults.js';
import type { FaultOptions } from './faults.js';
import { registerFlowRoutes } from './flowRoutes.js';
import { isLocalHostHeader } from './hostHeader.js';
import type { IntegrationConfig } from '../flow/flowTypes.js';
import { BASE_PATH, HttpError, parseJsonBody, readBodyText } from './httpKit.js';
import type { HttpResult } from './httpKit.js';
import { createIdFactory, stableId } from './ids.js';
import { MockRegistry, registerMockRoutes } from './mockRoutes.js';
import { RateLimiter, requestKind } from './rateLimiter.js';
import { Router } from './router.js';
import type { SandboxContext } from './sandboxContext.js';
import { createKeyScrubber, redactKey } from './secrets.js';
import { applyServerTimeouts, checkingIntervalFor, MAX_HEADER_BYTES } from './serverLimits.js';
import type { ServerTimeouts } from './serverLimits.js';
import { SessionStore } from './sessions.js';
import { SANDBOX_API_KEY } from './sandboxKeys.js';
import { TurnPool } from './turnPool.js';

export const SANDBOX_DEFAULT_HOST = '127.0.0.1';


export interface SandboxOptions {
  /** Folders searched recursively for `*.flow.json` (node_modules and dot-folders skipped). */
  flowDirs: string[];
  /** Default 127.0.0.1: the sandbox is for this machine only. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default SANDBOX_API_KEY. */
  apiKey?: string;
  /** Drives session expiry, rate limits and timestamps; injectable for tests. */
  clock?: () => number;
  /** Added before every answer, to feel a slow network. */
  latencyMs?: number;
  /** Imitate the service's limits: reads 1/s, writes 1 per 2 s per key (429 + Retry-After). */
  rateLimits?: boolean;
  faults?: FaultOptions;
  /** Base URLs for API_CALL integrations; override sarufi.sandbox.json. */
  integrations?: Record<string, IntegrationConfig>;
  /** One line per request and per flow-file problem; never contains the key. */
  log?: (line: string) => void;
  /** The built-in `contact_name` of every session. */
  contactName?: string;
  /** How long a turn may keep a worker busy without a pause; default DEFAULT_TURN_TIMEOUT_MS. */
  turnTimeoutMs?: number;
  /** Live sessions kept at once; default MAX_LIVE_SESSIONS. */
  maxLiveSessions?: number;
  /** The HTTP edge's timeouts; defaults in serverLimits.ts. */
  timeouts?: Partial<ServerTimeouts>;
  /** Send each turn's trace (`sandbox_trace`) in greetings and replies; default true. Off for a bench of its cost. */
  trace?: boolean;
}

export interface SandboxChatbotInfo {
  id: string;
  name: string;
  /** The flow file, or null for a chatbot created through the API. */
  file: string | null;
  /** Why its flow is not published (invalid JSON or flow errors), else null. */
  problem: string | null;
}

export interface RunningSandbox {
  /** Like `http://127.0.0.1:8787/api/dev/v1`. */
  baseUrl: string;
  apiKey: string;
  host: string;
  port: number;
  chatbots(): SandboxChatbotInfo[];
  /** Re-reads every flow file and sarufi.sandbox.json now. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, which timingSafeEqual needs.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function buildRouter(context: SandboxContext): Router {
  const router = new Router();
  registerChatbotRoutes(router, context);
  registerChatRoutes(router, context);
  registerFlowRoutes(router, context);
  registerConversationRoutes(router, context);
  registerMockRoutes(router, context.mocks, (chatbotId, sessionId) => context.sessions.find(chatbotId, sessionId)?.options);
  return router;
}

/** The request target as a URL, or null when it cannot be read (such as `GET http://[`). */
function requestTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://sandbox.invalid');
  } catch {
    return null;
  }
}

/** An optional body that is absent (empty) is undefined; any other body must be JSON. */
async function readRouteBody(request: IncomingMessage, takesBody: true | 'optional'): Promise<unknown> {
  const text = await readBodyText(request);
  return takesBody === 'optional' && text.trim() === '' ? undefined : parseJsonBody(text);
}

type Outcome = HttpResult | { dropped: true } | { raw: { status: number; contentType: string; text: string } };

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const apiKey = options.apiKey ?? SANDBOX_API_KEY;
  const clock = options.clock ?? Date.now;
  const scrub = createKeyScrubber(apiKey);
  const log = (line: string): void => options.log?.(scrub(line));
  const host = options.host ?? SANDBOX_DEFAULT_HOST;
  const rateLimiter = options.rateLimits ? new RateLimiter(clock) : null;
  const faults = options.faults ? new FaultInjector(options.faults) : null;

  const integrations = (): Record<string, IntegrationConfig> => ({ ...catalog.integrations, ...options.integrations });
  const catalog: Catalog = new Catalog(options.flowDirs, () => Object.keys(integrations()), log);
  const newId = createIdFactory(clock);
  const turns = new TurnPool({ budgetMs: options.turnTimeoutMs, log });
  const context: SandboxContext = {
    catalog,
    sessions: new SessionStore(clock, newId, options.maxLiveSessions),
    turns,
    clock,
    newId,
    startedAt: clock(),
    workspaceId: stableId('workspace', 'local-sandbox'),
    redactedKey: redactKey(apiKey),
    contactName: options.contactName ?? DEFAULT_CONTACT_NAME,
    integrations,
    mocks: new MockRegistry(newId),
    trace: options.trace ?? true,
  };
  const router = buildRouter(context);
  await catalog.sync(true);

  async function serve(request: IncomingMessage, method: string, url: URL): Promise<Outcome> {
    if (options.latencyMs && options.latencyMs > 0) {
      await delay(options.latencyMs);
    }
    if (!url.pathname.startsWith(`${BASE_PATH}/`) && url.pathname !== BASE_PATH) {
      return { status: 404, body: { detail: 'Not Found' } };
    }
    const match = router.match(method, url.pathname.slice(BASE_PATH.length));
    if (match.kind === 'none') {
      return { status: 404, body: { detail: 'Not Found' } };
    }
    if (match.kind === 'wrong-method') {
      return { status: 405, body: { detail: 'Method Not Allowed' }, headers: { Allow: match.allowed.join(', ') } };
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!bearer?.[1] || !sameSecret(bearer[1], apiKey)) {
      return { status: 401, body: { detail: 'Invalid or expired API key.' }, headers: { 'WWW-Authenticate': 'Bearer' } };
    }
    const decision = rateLimiter?.check(apiKey, requestKind(method));
    if (decision && !decision.allowed) {
      return { status: 429, body: { detail: decision.detail }, headers: { 'Retry-After': String(decision.retryAfterSeconds) } };
    }
    // A fault replaces the request entirely: nothing is read, run or changed.
    const fault = faults?.next();
    if (fault) {
      log(`fault injected: ${fault.kind}${fault.kind === 'malformed' ? ` (${fault.style})` : ''}`);
      if (fault.kind === 'drop') {
        return { dropped: true };
      }
      if (fault.kind === '500') {
        return { status: 500, body: { detail: '[Sandbox fault] Internal server error (injected).' } };
      }
      return fault.style === 'html'
        ? { raw: { status: 502, contentType: 'text/html; charset=utf-8', text: HTML_ERROR_BODY } }
        : { raw: { status: 200, contentType: 'application/json', text: TRUNCATED_JSON_BODY } };
    }
    await catalog.sync();
    const body = match.route.takesBody ? await readRouteBody(request, match.route.takesBody) : undefined;
    return match.route.handler({ method, params: match.params, query: url.searchParams, body });
  }

  function send(response: ServerResponse, outcome: Exclude<Outcome, { dropped: true }>): number {
    if ('raw' in outcome) {
      response.writeHead(outcome.raw.status, { 'Content-Type': outcome.raw.contentType });
      response.end(outcome.raw.text);
      return outcome.raw.status;
    }
    if (outcome.body === undefined) {
      response.writeHead(outcome.status, outcome.headers);
      response.end();
      return outcome.status;
    }
    // Scrubbed last, so not even a user who typed the key into a chat gets it echoed back.
    const text = scrub(JSON.stringify(outcome.body));
    response.writeHead(outcome.status, { 'Content-Type': 'application/json', ...outcome.headers });
    response.end(text);
    return outcome.status;
  }

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, connectionsCheckingInterval: checkingIntervalFor(options.timeouts) }, (request, response) => {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const url = requestTarget(request.url);
    if (url === null) {
      send(response, { status: 400, body: { detail: 'Bad request target.' } });
      log(`${method} (unreadable target) 400`);
      return;
    }
    if (!isLocalHostHeader(request.headers.host, host)) {
      send(response, { status: 421, body: { detail: 'This sandbox answers only requests addressed to this machine (Host: localhost, 127.0.0.1 or [::1]).' } });
      log(`${method} ${url.pathname} refused: Host ${JSON.stringify(request.headers.host ?? '')} 421`);
      return;
    }
    serve(request, method, url)
      .catch((error: unknown): HttpResult => {
        if (error instanceof HttpError) {
          return { status: error.status, body: { detail: error.detail }, headers: error.headers };
        }
        log(`internal error on ${method} ${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return { status: 500, body: { detail: 'Internal sandbox error.' } };
      })
      .then((outcome) => {
        const ms = Math.round(performance.now() - started);
        if ('dropped' in outcome) {
          request.socket.destroy();
          log(`${method} ${url.pathname}${url.search} dropped ${ms}ms`);
          return;
        }
        const status = send(response, outcome);
        log(`${method} ${url.pathname}${url.search} ${status} ${ms}ms`);
      })
      .catch((error: unknown) => {
        log(`could not answer ${method} ${url.pathname}: ${String(error)}`);
        response.destroy();
      });
  });

  applyServerTimeouts(server, options.timeouts);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;

  return {
    baseUrl: `http://${urlHost}:${port}${BASE_PATH}`,
    apiKey,
    host,
    port,
    chatbots: () =>
      catalog.sorted().map((chatbot) => ({
        id: chatbot.id,
        name: chatbot.name,
        file: chatbot.source?.file ?? null,
        problem: chatbot.fileProblem,
      })),
    reload: () => catalog.sync(true),
    close: () => {
      closing ??= Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive connections would hold close() open until they time out.
          server.closeAllConnections();
        }),
        turns.close(),
      ]).then(() => undefined);
      return closing;
    },
  };
}
