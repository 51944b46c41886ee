// Client-side pacing for Sarufi's documented limits (reads 1/s, writes 1 per 2 s), so that a
// normal session never meets a 429. Limits belong to the key, not to a client object: the
// panel, the tree view and a CLI may each build a client for the same key, so limiters are
// shared through a module-level map keyed by a hash of base URL + key (never the key itself).

import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export type Lane = 'read' | 'write';

export interface RateLimitPolicy {
  /** Minimum time between the starts of two reads (GET). */
  readIntervalMs: number;
  /** Minimum time between the starts of two writes (POST, PATCH, DELETE). */
  writeIntervalMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { readIntervalMs: 1000, writeIntervalMs: 2000 };

/**
 * Added to every interval: the server measures arrivals, which jitter by a few milliseconds
 * (more on a busy machine), and a request spaced exactly 1000 ms after the previous one can
 * arrive 998 ms after it and be answered 429.
 */
export function pacingMarginMs(intervalMs: number): number {
  return Math.min(100, intervalMs * 0.1);
}

/** Used when a 429 has no (readable) Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 1000;
/** A server asking for longer than this still gets a retry after this long (then, maybe, another 429). */
export const MAX_RETRY_AFTER_MS = 60_000;

/** A reserved slot: how long to wait for it, and how to give it back if the caller gives up. */
export interface Reservation {
  waitMs: number;
  release(): void;
}

export class RateLimiter {
  /** Planned start of the next request per lane: keeps concurrent callers in call order. */
  private readonly nextAt: Record<Lane, number> = { read: 0, write: 0 };
  /** When the last request of each lane was actually let through. */
  private readonly lastSent: Record<Lane, number> = { read: -Infinity, write: -Infinity };
  private pausedUntil = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Takes the next free slot of a lane. Slots are handed out in call order, so concurrent
   * callers queue up instead of racing for the same moment.
   */
  reserve(lane: Lane, intervalMs: number): Reservation {
    const now = this.now();
    const previous = this.nextAt[lane];
    const slot = Math.max(now, previous, this.pausedUntil);
    const next = slot + intervalMs;
    this.nextAt[lane] = next;
    return {
      waitMs: Math.max(0, slot - now),
      release: () => {
        // Only the latest reservation can be returned without disturbing the ones queued after it.
        if (this.nextAt[lane] === next) {
          this.nextAt[lane] = previous;
        }
      },
    };
  }

  /**
   * Waits for a slot, then lets the request through. `onWait` hears of the planned wait. The
   * spacing is kept between the moments requests are actually let through: a busy event loop
   * can start one request late, and the next must not then follow it too closely.
   */
  async acquire(lane: Lane, policyIntervalMs: number, signal: AbortSignal | undefined, onWait: (ms: number) => void): Promise<'ready' | 'aborted'> {
    const intervalMs = policyIntervalMs + pacingMarginMs(policyIntervalMs);
    const reservation = this.reserve(lane, intervalMs);
    if (reservation.waitMs > 0) {
      onWait(reservation.waitMs);
      if ((await pause(reservation.waitMs, signal)) === 'aborted') {
        reservation.release();
        return 'aborted';
      }
    }
    for (;;) {
      const ready = Math.max(this.lastSent[lane] + intervalMs, this.pausedUntil);
      const now = this.now();
      if (now >= ready) {
        this.lastSent[lane] = now;
        this.nextAt[lane] = Math.max(this.nextAt[lane], now + intervalMs);
        return 'ready';
      }
      if ((await pause(ready - now, signal)) === 'aborted') {
        return 'aborted';
      }
    }
  }

  /** After a 429 nobody using this key should send anything for a while, in either lane. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}

const shared = new Map<string, RateLimiter>();

/** A stable identifier for (base URL, key) that does not reveal the key. */
export function limiterKeyFor(baseUrl: string, apiKey: string): string {
  return createHash('sha256').update(baseUrl).update('\u0000').update(apiKey).digest('hex');
}

/** The one limiter for this base URL and key, created on first use. */
export function sharedRateLimiter(baseUrl: string, apiKey: string): RateLimiter {
  const id = limiterKeyFor(baseUrl, apiKey);
  let limiter = shared.get(id);
  if (limiter === undefined) {
    limiter = new RateLimiter();
    shared.set(id, limiter);
  }
  return limiter;
}

/**
 * How long a 429 asks us to wait: `Retry-After` in seconds or as an HTTP date; 1 s when it is
 * missing or unreadable; never more than MAX_RETRY_AFTER_MS.
 */
export function retryAfterMs(header: string | null | undefined, nowMs: number = Date.now()): number {
  if (header === null || header === undefined || header.trim() === '') {
    return DEFAULT_RETRY_AFTER_MS;
  }
  const value = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) {
      return DEFAULT_RETRY_AFTER_MS;
    }
    ms = date - nowMs;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}

/** Waits, unless the signal fires first. Never rejects: says which happened. */
export function pause(ms: number, signal?: AbortSignal): Promise<'elapsed' | 'aborted'> {
  if (signal?.aborted) {
    return Promise.resolve('aborted');
  }
  if (ms <= 0) {
    return Promise.resolve('elapsed');
  }
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve('aborted');
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve('elapsed');
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
