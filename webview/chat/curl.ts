// "Copy as curl": the exchange as a command an author can paste into a shell. The exchange holds a
// redacted Authorization header; the command reads the key from $SARUFI_API_KEY instead, so no key
// (real or redacted) is ever part of the text.
import type { Exchange } from '../../src/sarufi/exchange';

/** Headers curl sets itself, and the one that must come from the environment. */
const LEFT_OUT = new Set(['authorization', 'content-length', 'host', 'connection', 'accept-encoding']);

export const API_KEY_HEADER = '-H "Authorization: Bearer $SARUFI_API_KEY"';

export function toCurl(exchange: Pick<Exchange, 'method' | 'url' | 'requestHeaders' | 'requestBody'>): string {
  const parts = [`curl -X ${exchange.method} ${shellQuote(exchange.url)}`];
  for (const [name, value] of Object.entries(exchange.requestHeaders ?? {})) {
    if (!LEFT_OUT.has(name.toLowerCase())) {
      parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
    }
  }
  // Double quotes so that the shell expands the variable.
  parts.push(API_KEY_HEADER);
  if (exchange.requestBody !== undefined) {
    const body = typeof exchange.requestBody === 'string' ? exchange.requestBody : JSON.stringify(exchange.requestBody);
    parts.push(`--data-raw ${shellQuote(body)}`);
  }
  return parts.join(' \\\n  ');
}

/** POSIX single quotes: nothing inside is expanded; a single quote becomes '\''. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
