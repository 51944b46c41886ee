// Keeps the API key (and the service's webhook secrets) out of everything the client hands back:
// exchange records, data, errors, log lines.
// The key is a password (see shared/sarufi-api.md); a server that echoes it must not make us leak it.

export const REDACTED = '[redacted]';
export const REDACTED_BEARER = 'Bearer •••';

/** Replaces every occurrence of a secret in a text. */
export type Scrubber = (text: string) => string;

/**
 * Builds a scrubber for one key. Keys shorter than 4 characters are not scrubbed: replacing a
 * one-letter "key" everywhere would mangle every text, and such a value protects nothing anyway.
 * `replacement` is what stands in its place (the sandbox shows `sk-…ocal`, as /me does).
 */
export function createScrubber(secret: string, replacement = REDACTED): Scrubber {
  if (secret.length < 4) {
    return (text) => text;
  }
  const pattern = spellingsPattern([secret]);
  return (text) => text.replace(pattern, () => replacement);
}

/**
 * Replaces every given secret in a text, in all its spellings. For exports and reports, which are
 * written once: unlike the client's scrubber, no secret is too short to be scrubbed.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const present = secrets.filter((secret) => secret.length > 0);
  return present.length === 0 ? text : text.replace(spellingsPattern(present), () => REDACTED);
}

/**
 * A server may echo a secret with any of its characters spelled another way: JSON-escaped
 * (`\u0073`, `\/`), percent-encoded (`%73`), or either of them encoded again (`\\u0073`,
 * `%2573`), mixed freely. One pattern matches every such spelling, so whatever decodes to the
 * secret is scrubbed.
 */
function spellingsPattern(secrets: readonly string[]): RegExp {
  // Longest first, so that a secret containing another is replaced whole.
  const sorted = [...secrets].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((secret) => [...secret].map(characterPattern).join('')).join('|'), 'g');
}

const UTF8 = new TextEncoder();

function characterPattern(char: string): string {
  const units = Array.from({ length: char.length }, (_, index) => char.charCodeAt(index));
  const jsonEscaped = units.map((unit) => `\\\\+u${hexPattern(unit, 4)}`).join('');
  const percentEncoded = [...UTF8.encode(char)].map((byte) => `%(?:25)*${hexPattern(byte, 2)}`).join('');
  return `(?:\\\\*${char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}|${jsonEscaped}|${percentEncoded})`;
}

/** Hex digits in either case (`%2f` and `%2F` are the same byte). */
function hexPattern(value: number, width: number): string {
  return [...value.toString(16).padStart(width, '0')].map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit)).join('');
}

/** Scrubs every string inside a JSON-like value, returning a copy (the input is left as it is). */
export function scrubValue(value: unknown, scrub: Scrubber): unknown {
  if (typeof value === 'string') {
    return scrub(value);
  }
  if (Array.isArray(value)) {
    return value.map((item) => scrubValue(item, scrub));
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[scrub(key)] = scrubValue(item, scrub);
    }
    return copy;
  }
  return value;
}

/** Values of `webhook_secret` fields anywhere in a body: secrets of the service, never shown. */
export function webhookSecrets(json: unknown, found: string[] = []): string[] {
  if (Array.isArray(json)) {
    for (const item of json) {
      webhookSecrets(item, found);
    }
  } else if (json !== null && typeof json === 'object') {
    for (const [name, value] of Object.entries(json)) {
      if (name === 'webhook_secret' && typeof value === 'string' && value !== '') {
        found.push(value);
      } else {
        webhookSecrets(value, found);
      }
    }
  }
  return found;
}
