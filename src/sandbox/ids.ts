// ULIDs: random ones for sessions and messages, stable ones for what a flow file defines.
import { createHash } from 'node:crypto';
import { encodeTime, monotonicFactory } from 'ulid';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The time part of every stable id: a fixed instant, so an id depends on its key alone. */
export const STABLE_ID_EPOCH = Date.UTC(2024, 0, 1);

/**
 * A ULID-shaped id that is the same on every run for the same key, so a chatbot keeps its id
 * across sandbox restarts (saved transcripts and settings can refer to it). The random part is
 * the first 80 bits of sha256(kind:key) in Crockford base32.
 */
export function stableId(kind: string, key: string): string {
  const digest = createHash('sha256').update(`${kind}:${key}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 10)) {
    bits = (bits << 8n) | BigInt(byte);
  }
  let random = '';
  for (let shift = 75n; shift >= 0n; shift -= 5n) {
    random += CROCKFORD.charAt(Number((bits >> shift) & 31n));
  }
  return encodeTime(STABLE_ID_EPOCH, 10) + random;
}

/** Monotonic ULIDs on the sandbox's clock (which tests may move). */
export function createIdFactory(clock: () => number): () => string {
  const next = monotonicFactory();
  return () => next(clock());
}
