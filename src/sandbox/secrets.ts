// Keeping the sandbox's API key out of its answers and log lines.

/** How /me shows a key: `sk-…ocal`. Short keys show nothing of themselves. */
export function redactKey(key: string): string {
  if (key.length < 12) {
    return '…';
  }
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/**
 * Replaces the key (and its JSON-escaped spelling) in a text. Keys shorter than 8 characters are
 * left alone: replacing a tiny "key" everywhere would mangle every answer and protect nothing.
 */
export function createKeyScrubber(key: string): (text: string) => string {
  if (key.length < 8) {
    return (text) => text;
  }
  const forms = [...new Set([key, JSON.stringify(key).slice(1, -1)])];
  const replacement = redactKey(key);
  return (text) => forms.reduce((out, form) => out.split(form).join(replacement), text);
}
