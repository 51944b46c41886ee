// A scriptable HTTP server on 127.0.0.1 for the client's tests: answers with any status, body or
// headers, drops connections, answers slowly, and records every request with its arrival time.
// Optionally it enforces Sarufi's rate limits itself, answering 429 to a request that came too soon.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export const API_PREFIX = '/api/dev/v1';

export interface RecordedRequest {
  method: string;
  /** Below the API prefix, exactly as received (still percent-encoded), without the query. */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  bodyText: string;
  /** The body parsed as JSON, or undefined. */
  body: unknown;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface Reply {
  status?: number;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (takes precedence over json). */
  text?: string;
  headers?: Record<string, string>;
  /** Waits this long before answering. */
  delayMs?: number;
  /** Drops the connection without answering. */
  destroy?: boolean;
}

export type Handler = (request: RecordedRequest) => Reply;

export interface RateLimitRule {
  readIntervalMs: number;
  writeIntervalMs: number;
}

export interface FakeServer {
  /** http://127.0.0.1:<port>/api/dev/v1 */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Answers used first, in order, one per request. */
  queue(...replies: Reply[]): void;
  /** Answers every request once the queue is empty. Default: 200 `{}`. */
  handler: Handler;
  /**
   * From now on, a request arriving sooner than the rule allows after the previous one of its
   * kind gets a 429 (counted in `rejected`); undefined turns enforcement off.
   */
  enforce(rule: RateLimitRule | undefined): void;
  rejected: number;
  close(): Promise<void>;
}

export async function startFakeServer(handler: Handler = () => ({ json: {} })): Promise<FakeServer> {
  const queued: Reply[] = [];
  const lastAt: Record<'read' | 'write', number | undefined> = { read: undefined, write: undefined };
  let rule: RateLimitRule | undefined;
  const server = http.createServer();

  const fake: FakeServer = {
    baseUrl: '',
    port: 0,
    requests: [],
    queue: (...replies) => {
      queued.push(...replies);
    },
    handler,
    enforce: (next) => {
      rule = next;
      lastAt.read = undefined;
      lastAt.write = undefined;
      fake.rejected = 0;
    },
    rejected: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawUrl = req.url ?? '/';
      const queryAt = rawUrl.indexOf('?');
      const fullPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
      const query = Object.fromEntries(new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)));
      const bodyText = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = bodyText === '' ? undefined : (JSON.parse(bodyText) as unknown);
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: fullPath.startsWith(API_PREFIX) ? fullPath.slice(API_PREFIX.length) : fullPath,
        query,
        headers: req.headers,
        bodyText,
        body,
        at,
      };
      fake.requests.push(recorded);

      let reply: Reply;
      const lane = recorded.method === 'GET' ? 'read' : 'write';
      const previous = lastAt[lane];
      const interval = rule === undefined ? 0 : lane === 'read' ? rule.readIntervalMs : rule.writeIntervalMs;
      if (rule !== undefined && previous !== undefined && at - previous < interval) {
        fake.rejected += 1;
        reply = { status: 429, headers: { 'retry-after': '1' }, json: { detail: 'Too many requests.' } };
      } else {
        lastAt[lane] = at;
        reply = queued.shift() ?? fake.handler(recorded);
      }
      const answer = (): void => {
        if (reply.destroy === true) {
          req.socket.destroy();
          return;
        }
        const text = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
        const headers: Record<string, string> = {
          ...(reply.text === undefined && reply.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...reply.headers,
        };
        res.writeHead(reply.status ?? 200, headers);
        res.end(text);
      };
      if (reply.delayMs !== undefined && reply.delayMs > 0) {
        setTimeout(answer, reply.delayMs);
      } else {
        answer();
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  fake.port = port;
  fake.baseUrl = `http://127.0.0.1:${port}${API_PREFIX}`;
  return fake;
}

/** The gaps, in ms, between the arrivals of consecutive requests. */
export function gaps(requests: readonly RecordedRequest[]): number[] {
  return requests.slice(1).map((request, index) => request.at - requests[index].at);
}
