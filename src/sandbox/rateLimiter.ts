// Imitates the service's documented limits, so a client's 429 handling can be tried locally:
// reads 1 request per second, writes 1 request per 2 seconds, per API key.
export const READ_INTERVAL_MS = 1000;
export const WRITE_INTERVAL_MS = 2000;

export type RequestKind = 'read' | 'write';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; detail: string };

export class RateLimiter {
  private readonly lastAccepted = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  check(key: string, kind: RequestKind): RateDecision {
    const interval = kind === 'read' ? READ_INTERVAL_MS : WRITE_INTERVAL_MS;
    const slot = `${kind}:${key}`;
    const now = this.clock();
    const last = this.lastAccepted.get(slot);
    if (last !== undefined && now - last < interval) {
      const retryAfterSeconds = Math.max(1, Math.ceil((interval - (now - last)) / 1000));
      const rule = kind === 'read' ? 'reads to 1 request per second' : 'writes to 1 request every 2 seconds';
      return { allowed: false, retryAfterSeconds, detail: `Rate limit exceeded: the API limits ${rule}. Retry after ${retryAfterSeconds} s.` };
    }
    // A refused request does not use up the allowance, like a token bucket that was empty.
    this.lastAccepted.set(slot, now);
    return { allowed: true };
  }
}

export function requestKind(method: string): RequestKind {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}
