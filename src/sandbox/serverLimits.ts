// The bounds of the sandbox's HTTP edge: how big a request's head may be and how long a client may
// take, so that idle or slow sockets are closed instead of piling up.
import type { Server } from 'node:http';

/** A request head (request line and headers) larger than this is answered 431 by node:http. */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface ServerTimeouts {
  /** From the connection (or the end of the last request) to the end of the headers; else 408. */
  headersTimeoutMs: number;
  /** For a whole request, body included; else 408. */
  requestTimeoutMs: number;
  /** How long a kept-alive socket may sit idle between requests. */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

export function applyServerTimeouts(server: Server, overrides: Partial<ServerTimeouts> = {}): void {
  const timeouts = { ...DEFAULT_SERVER_TIMEOUTS, ...overrides };
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
}

/**
 * How often node:http looks for sockets past those timeouts (its default, 30 s, would let a slow
 * client hold on far longer than the timeout says). Fixed when the server is created.
 */
export function checkingIntervalFor(overrides: Partial<ServerTimeouts> = {}): number {
  const { headersTimeoutMs, requestTimeoutMs } = { ...DEFAULT_SERVER_TIMEOUTS, ...overrides };
  return Math.max(10, Math.min(1000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4)));
}
