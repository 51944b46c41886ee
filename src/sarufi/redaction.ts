// The one owner of masking and scrubbing secrets. It keeps the API key (and the service's webhook
// secrets) out of everything the client hands back (exchange records, data, errors, log lines) and
// out of exports and bug reports, in every spelling; and it masks what the sandbox's turn trace
// holds under a secret-looking name, wherever else that value went.
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
 * A server, a template or an export may spell a secret another way: JSON-escaped (`\u0073`, `\/`),
 * percent-encoded (`%73`), either encoded again (`\\u0073`, `%2573`), one inside the other
 * (`%5Cu0073`, `\u002573`), as HTML entities (`&#115;`, `&#x73;`, `&sol;`), mixed freely, or
 * base64-encoded at any byte offset of a larger text (so also inside HTTP Basic credentials). One
 * pattern matches every such spelling, so whatever decodes to the secret is scrubbed.
 */
export function spellingsPattern(secrets: readonly string[]): RegExp {
  // Longest first, so that a secret containing another is replaced whole.
  const sorted = [...secrets].sort((a, b) => b.length - a.length);
  const alternatives = sorted.flatMap((secret) => [[...secret].map(characterPattern).join(''), ...base64Patterns(secret)]);
  return new RegExp(alternatives.join('|'), 'g');
}

const UTF8 = new TextEncoder();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A backslash as itself or percent-encoded (`%5C`, `%255C`): the start of a JSON escape. */
const BACKSLASH = '(?:\\\\|%(?:25)*5[cC])';
/** A percent sign as itself or JSON-escaped (`\u0025`), perhaps encoded again (`%25…`). */
const PERCENT = '(?:%|\\\\+u0025)(?:25)*';

/** HTML's named entities for the punctuation a key or token may hold. */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  '/': 'sol',
  '+': 'plus',
  '=': 'equals',
  '&': 'amp',
  '<': 'lt',
  '>': 'gt',
  '"': 'quot',
  "'": 'apos',
  ':': 'colon',
  '.': 'period',
  _: 'lowbar',
  '?': 'quest',
  '#': 'num',
  '%': 'percnt',
  '!': 'excl',
  '@': 'commat',
  $: 'dollar',
  '(': 'lpar',
  ')': 'rpar',
  '*': 'ast',
  ',': 'comma',
  ';': 'semi',
  '[': 'lsqb',
  ']': 'rsqb',
  '{': 'lcub',
  '}': 'rcub',
  '|': 'vert',
  '~': 'tilde',
};

function characterPattern(char: string): string {
  const units = Array.from({ length: char.length }, (_, index) => char.charCodeAt(index));
  const jsonEscaped = units.map((unit) => `${BACKSLASH}+u${hexPattern(unit, 4)}`).join('');
  const percentEncoded = [...UTF8.encode(char)].map((byte) => `${PERCENT}${hexPattern(byte, 2)}`).join('');
  const codePoint = char.codePointAt(0) ?? 0;
  const named = NAMED_ENTITIES[char];
  const html = `&#0*${codePoint};|&#[xX]0*${hexPattern(codePoint, 1)};${named === undefined ? '' : `|&${named};`}`;
  return `(?:\\\\*${escapeRegExp(char)}|${jsonEscaped}|${percentEncoded}|${html})`;
}

/** Hex digits in either case (`%2f` and `%2F` are the same byte). */
function hexPattern(value: number, width: number): string {
  return [...value.toString(16).padStart(width, '0')].map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit)).join('');
}

/** Base64 runs shorter than this are not searched for: they would match ordinary text by chance. */
const MIN_BASE64_RUN = 8;

/**
 * The base64 characters that only the secret's bytes decide, for each of the three byte offsets it
 * may have in a larger encoded text (`user:key` in HTTP Basic), in standard and URL-safe alphabets.
 */
function base64Patterns(secret: string): string[] {
  const bytes = UTF8.encode(secret);
  const runs = new Set<string>();
  for (let offset = 0; offset < 3; offset += 1) {
    // btoa, not Buffer: this module also reaches the webview's bundle (MASKED_VALUE).
    const encoded = btoa(String.fromCharCode(...new Array<number>(offset).fill(0), ...bytes));
    const run = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (run.length >= MIN_BASE64_RUN) {
      runs.add(run);
      runs.add(run.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  // The character after the run still holds a few bits of the secret: it goes too, with any padding.
  return [...runs].map((run) => `${escapeRegExp(run)}(?:[A-Za-z0-9+/_-]={0,2})?`);
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

/** What a masked value reads: its name looks like a secret (key, token, password, secret…). */
export const MASKED_VALUE = '••••••';

/** Words that make a name a secret's: `api_key`, `accessToken`, `X-Auth-Token`, `X-JWT`, `pin`, `Cookie`. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'key',
  'apikey',
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'passcode',
  'passphrase',
  'auth',
  'authorization',
  'bearer',
  'credential',
  'pin',
  'pincode',
  'otp',
  'cookie',
  'jwt',
  'signature',
]);
/** Run-together names such as `accesstoken` or `clientsecret`: a word ending so is a secret too. */
const SECRET_ENDINGS = ['token', 'secret', 'password', 'apikey', 'passphrase', 'jwt'];

/** Whether a variable, field or header name looks like it holds a secret; each word of it counts, in the plural too. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '')
    // `tokens`, `api_keys`, `credentials`: the singular decides.
    .flatMap((word) => (word.endsWith('s') ? [word, word.slice(0, -1)] : [word]));
  return words.some((word) => SECRET_WORDS.has(word) || SECRET_ENDINGS.some((ending) => word.endsWith(ending)));
}

/**
 * Secret values shorter than this are not searched for elsewhere: a one-letter "pin" would mask
 * every such letter. Longer ones are, so a token a template put in a URL or a header of any name
 * is masked there too, in any spelling.
 */
const MIN_SCRUBBED_LENGTH = 4;
/** The most secret values searched for in one masking: a list of ten thousand tokens is masked by name only. */
const MAX_SCRUBBED_SECRETS = 200;

/** `scheme://user:password@` in a text: the credentials of a URL. */
const URL_CREDENTIALS = /\b([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^\s/?#@"'<>\\]+)@/g;
/** `name=value` pairs of a form-encoded text or a query string. */
const FORM_PAIR = /(^|[?&;\s])([A-Za-z0-9_.[\]-]+)=([^&\s"'<>]*)/g;

/**
 * Masks secrets in a JSON-like value (the sandbox's turn trace): by name first (a field, variable or
 * header named like a secret), then in texts (URL credentials, form-encoded `token=…`), then every
 * value met so far wherever else it appears, in any spelling. Collects the dotted paths it masked.
 */
export class SecretMasker {
  readonly masked: string[] = [];
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;

  /** A copy of `value` with every field whose name looks secret replaced by MASKED_VALUE. */
  byName(value: unknown, path: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item, index) => this.byName(item, `${path}[${index}]`));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, isSecretName(name) ? this.hide(item, `${path}.${name}`) : this.byName(item, `${path}.${name}`)]));
  }

  hide(value: unknown, path: string): string {
    this.remember(value);
    this.masked.push(path);
    return MASKED_VALUE;
  }

  /** A backend's answer kept as text: masked as JSON when it is whole JSON, else field by field in the text. */
  text(body: string, truncated: boolean, path: string): string {
    if (!truncated) {
      try {
        const parsed: unknown = JSON.parse(body);
        const before = this.masked.length;
        const masked = this.byName(parsed, path);
        return this.masked.length > before ? JSON.stringify(masked) : body;
      } catch {
        // Not JSON: the pattern below still finds `"token": "…"` in it.
      }
    }
    let hit = false;
    // A string value (perhaps cut off by the bound) or a bare value after a secret-looking name.
    const replaced = body.replace(/"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|[^,}\]\s]+)/g, (whole, name: string, colon: string, value: string) => {
      if (!isSecretName(name)) {
        return whole;
      }
      hit = true;
      this.remember(value.replace(/^"|"$/g, ''));
      return `"${name}"${colon}"${MASKED_VALUE}"`;
    });
    if (hit) {
      this.masked.push(path);
    }
    return replaced;
  }

  /** Remembers the secrets every text of `value` holds (URL credentials, secret-named form fields), for scrub(). */
  collect(value: unknown): void {
    if (typeof value === 'string') {
      for (const [, , userinfo = ''] of value.matchAll(URL_CREDENTIALS)) {
        this.remember(userinfo);
        this.remember(userinfo.slice(userinfo.indexOf(':') + 1));
      }
      for (const [, , name = '', item = ''] of value.matchAll(FORM_PAIR)) {
        if (isSecretName(name)) {
          this.remember(item);
          this.remember(safeDecode(item));
        }
      }
    } else if (Array.isArray(value)) {
      value.forEach((item) => this.collect(item));
    } else if (value !== null && typeof value === 'object') {
      Object.values(value).forEach((item) => this.collect(item));
    }
  }

  /** Replaces secret values met so far, in any spelling, wherever they occur in a string of `value`. */
  scrub(value: unknown, path: string): unknown {
    if (typeof value === 'string') {
      if (this.secrets.size === 0) {
        return value;
      }
      this.pattern ??= spellingsPattern([...this.secrets]);
      const result = value.replace(this.pattern, MASKED_VALUE);
      if (result !== value) {
        this.masked.push(path);
      }
      return result;
    }
    if (Array.isArray(value)) {
      return value.map((item, index) => this.scrub(item, `${path}[${index}]`));
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, this.scrub(item, `${path}.${name}`)]));
    }
    return value;
  }

  private remember(value: unknown): void {
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (text.length >= MIN_SCRUBBED_LENGTH && text !== MASKED_VALUE && this.secrets.size < MAX_SCRUBBED_SECRETS) {
        this.secrets.add(text);
        this.pattern = null;
        // `Bearer tok`, `Basic dXNlcjpwYXNz`: the credential itself may show up elsewhere without its scheme, or decoded.
        credentialsIn(text).forEach((credential) => this.remember(credential));
      }
    } else if (Array.isArray(value)) {
      value.forEach((item) => this.remember(item));
    } else if (value !== null && typeof value === 'object') {
      Object.values(value).forEach((item) => this.remember(item));
    }
  }
}

/** The credential of an Authorization-like value without its scheme, and a Basic one's password decoded. */
function credentialsIn(text: string): string[] {
  const [, scheme = '', credential = ''] = /^(Bearer|Basic|Token|Digest)\s+(\S+)$/i.exec(text) ?? [];
  if (credential === '') {
    return [];
  }
  if (scheme.toLowerCase() !== 'basic') {
    return [credential];
  }
  let decoded = '';
  try {
    decoded = atob(credential);
  } catch {
    return [credential];
  }
  return [credential, decoded, decoded.slice(decoded.indexOf(':') + 1)];
}

/** A form value as it reads decoded (`+` is a space); the text as it is when it is not valid percent-encoding. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * A copy of `value` masked as a trace masks it (the flow debugger's views): fields named like
 * secrets, then their values wherever else they appear.
 */
export function maskSecrets<T>(value: T): T {
  const masker = new SecretMasker();
  const named = masker.byName(value, '');
  masker.collect(named);
  return masker.scrub(named, '') as T;
}
