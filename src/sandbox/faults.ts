// Injected failures, so a client's handling of a flaky service can be tried on purpose.
export type FaultKind = '500' | 'malformed' | 'drop';

export const FAULT_KINDS: readonly FaultKind[] = ['500', 'malformed', 'drop'];

export interface FaultOptions {
  /** Share of requests that fail, 0..1. */
  rate: number;
  kinds?: FaultKind[];
  /** Same seed, same sequence of faults. */
  seed?: number;
}

/** A small seeded PRNG (mulberry32): enough for picking faults, and repeatable. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Fault = { kind: '500' } | { kind: 'drop' } | { kind: 'malformed'; style: 'truncated-json' | 'html' };

export class FaultInjector {
  private readonly random: () => number;
  private readonly kinds: readonly FaultKind[];

  constructor(private readonly options: FaultOptions) {
    if (!(options.rate >= 0 && options.rate <= 1)) {
      throw new RangeError('faults.rate must be between 0 and 1.');
    }
    this.kinds = options.kinds && options.kinds.length > 0 ? options.kinds : FAULT_KINDS;
    this.random = mulberry32(options.seed ?? Date.now());
  }

  /** The fault for this request, or null to serve it normally. */
  next(): Fault | null {
    if (this.options.rate === 0 || this.random() >= this.options.rate) {
      return null;
    }
    const kind = this.kinds[Math.floor(this.random() * this.kinds.length)] ?? '500';
    if (kind === 'malformed') {
      return { kind, style: this.random() < 0.5 ? 'truncated-json' : 'html' };
    }
    return { kind };
  }
}

export const TRUNCATED_JSON_BODY = '{"detail": null, "items": [{"id": "01J8Z3Q5V6';
export const HTML_ERROR_BODY =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>[Sandbox fault] injected malformed response.</p></body></html>';
