// A request as a curl command an author can paste into a shell, for Copy as curl and the bug
// report. The exchange holds a redacted Authorization header, which is never copied: the command
// reads the key from $SARUFI_API_KEY, or, for the local sandbox (whose key guards nothing but this
// machine's loopback), carries the sandbox's key so that it works as copied.
import type { Exchange } from './exchange.js';

/** Headers curl sets itself, and the one written from the key instead. */
const LEFT_OUT = new Set(['authorization', 'content-length', 'host', 'connection', 'accept-encoding']);

/** Double quotes, so that the shell expands the variable. */
export const API_KEY_HEADER = '-H "Authorization: Bearer $SARUFI_API_KEY"';

export interface CurlOptions {
  /** The local sandbox's key, written as it is; without it the key comes from $SARUFI_API_KEY. */
  sandboxKey?: string;
  /** One line (a bug report's JSON), instead of one option per line (the clipboard). */
  oneLine?: boolean;
}

export function toCurl(exchange: Pick<Exchange, 'method' | 'url' | 'requestHeaders' | 'requestBody'>, options: CurlOptions = {}): string {
  const parts = [`curl -X ${exchange.method} ${shellQuote(exchange.url)}`];
  for (const [name, value] of Object.entries(exchange.requestHeaders ?? {})) {
    if (!LEFT_OUT.has(name.toLowerCase())) {
      parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
    }
  }
  parts.push(options.sandboxKey === undefined ? API_KEY_HEADER : `-H ${shellQuote(`Authorization: Bearer ${options.sandboxKey}`)}`);
  if (exchange.requestBody !== undefined) {
    const body = typeof exchange.requestBody === 'string' ? exchange.requestBody : JSON.stringify(exchange.requestBody);
    parts.push(`--data-raw ${shellQuote(body)}`);
  }
  return parts.join(options.oneLine ? ' ' : ' \\\n  ');
}

/** POSIX single quotes: nothing inside is expanded; a single quote becomes '\''. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
