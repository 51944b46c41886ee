// Keeping the sandbox's API key out of its answers and log lines.
import { createScrubber } from '../sarufi/redaction.js';

/** How /me shows a key: `sk-…ocal`. Short keys show nothing of themselves. */
export function redactKey(key: string): string {
  if (key.length < 12) {
    return '…';
  }
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/**
 * Replaces the key, in every spelling the client's scrubber knows, by its redacted form. Keys
 * shorter than 8 characters are left alone: replacing a tiny "key" everywhere would mangle every
 * answer and protect nothing.
 */
export function createKeyScrubber(key: string): (text: string) => string {
  return key.length < 8 ? (text) => text : createScrubber(key, redactKey(key));
}
