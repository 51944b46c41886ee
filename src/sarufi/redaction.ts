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
 */
export function createScrubber(secret: string): Scrubber {
  if (secret.length < 4) {
    return (text) => text;
  }
  const forms = spellings(secret);
  return (text) => replaceAll(text, forms);
}

/**
 * Replaces every given secret in a text, in all its spellings. For exports and reports, which are
 * written once: unlike the client's scrubber, no secret is too short to be scrubbed.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return replaceAll(text, secrets.filter((secret) => secret.length > 0).flatMap(spellings));
}

/**
 * A server may echo a secret inside a JSON string, where quotes and backslashes are escaped, or
 * inside a URL, where they are percent-encoded: those spellings are scrubbed too.
 */
function spellings(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}

function replaceAll(text: string, forms: readonly string[]): string {
  return forms.reduce((out, form) => out.split(form).join(REDACTED), text);
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
