// The trace of one sandbox turn: why the bot said what it said, and what it knew. The sandbox sends
// it as its own extension of the Chat API (the `sandbox_trace` field of a session's greeting and of
// each reply, which Sarufi never sends); the client keeps it in the exchange, and the chat panel's
// Why? and Variables views read it from there. Plain JSON, read back with readTurnTrace.
import { isRecord } from './botMessages.js';
import type { TraceEvent } from './engine.js';
import type { Variables } from './template.js';

/** The response field that carries the trace; Sarufi's Chat API has no field of this name. */
export const TRACE_FIELD = 'sandbox_trace';
export const TRACE_VERSION = 1;
/** What a masked value reads: its name looks like a secret (key, token, password, secret…). */
export const MASKED_VALUE = '••••••';

export interface TurnTrace {
  version: typeof TRACE_VERSION;
  /** The session's turn: 0 for the greeting, n for the reply to the n-th user message. A fork names it. */
  turn: number;
  /** The state the turn started in; null for the greeting of a new session. */
  from: string | null;
  /** The state the turn ended in (the reply's current_state). */
  to: string;
  /** What the engine did, in order: the trigger that matched and why, moves, actions, variables set. */
  events: TraceEvent[];
  /** All variables before and after the turn, secrets masked. */
  variables: { before: Variables; after: Variables };
  /** Dotted paths of the values replaced by MASKED_VALUE (variables, and API_CALL headers as `events[3].request.headers.authorization`). */
  masked: string[];
}

/** Words that make a name a secret's: `api_key`, `accessToken`, `X-Auth-Token`, `pin`, `Cookie`. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'key',
  'apikey',
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'passcode',
  'auth',
  'authorization',
  'bearer',
  'credential',
  'credentials',
  'pin',
  'pincode',
  'otp',
  'cookie',
]);
/** Run-together names such as `accesstoken` or `clientsecret`: a word ending so is a secret too. */
const SECRET_ENDINGS = ['token', 'secret', 'password', 'apikey'];

/** Whether a variable, field or header name looks like it holds a secret; each word of it counts. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  return words.some((word) => SECRET_WORDS.has(word) || SECRET_ENDINGS.some((ending) => word.endsWith(ending)));
}

/**
 * Secret values shorter than this are not searched for elsewhere in the trace: a one-letter "pin"
 * would mask every such letter. Longer ones are, so a token a template put in a URL or a header of
 * any name is masked there too.
 */
const MIN_SCRUBBED_LENGTH = 4;

/** Masks one trace, collecting the paths it masked and the secret values it met on the way. */
class Masker {
  readonly masked: string[] = [];
  private readonly secrets = new Set<string>();

  /** A copy of `value` with every field whose name looks secret replaced by MASKED_VALUE. */
  byName(value: unknown, path: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item, index) => this.byName(item, `${path}[${index}]`));
    }
    if (!isRecord(value)) {
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

  /** Replaces secret values met so far wherever they occur in a string of `value`. */
  scrub(value: unknown, path: string): unknown {
    if (typeof value === 'string') {
      let result = value;
      for (const secret of this.secrets) {
        result = result.split(secret).join(MASKED_VALUE);
      }
      if (result !== value) {
        this.masked.push(path);
      }
      return result;
    }
    if (Array.isArray(value)) {
      return value.map((item, index) => this.scrub(item, `${path}[${index}]`));
    }
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, this.scrub(item, `${path}.${name}`)]));
    }
    return value;
  }

  private remember(value: unknown): void {
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (text.length >= MIN_SCRUBBED_LENGTH && text !== MASKED_VALUE) {
        this.secrets.add(text);
      }
    } else if (Array.isArray(value)) {
      value.forEach((item) => this.remember(item));
    } else if (isRecord(value)) {
      Object.values(value).forEach((item) => this.remember(item));
    }
  }
}

/** An event with secrets masked by name: a variable named like one, API_CALL headers, request and answer bodies. */
function maskEvent(masker: Masker, event: TraceEvent, path: string): TraceEvent {
  if (event.type === 'variable' && isSecretName(event.name)) {
    return { ...event, value: masker.hide(event.value, `${path}.value`) };
  }
  if (event.type !== 'api_call') {
    return event;
  }
  const request =
    event.request === null
      ? null
      : {
          headers: masker.byName(event.request.headers, `${path}.request.headers`) as Record<string, string>,
          body: masker.byName(event.request.body, `${path}.request.body`),
        };
  const response = event.response === null ? null : { ...event.response, body: masker.text(event.response.body, event.response.truncated, `${path}.response.body`) };
  return { ...event, request, response };
}

export interface TurnTraceInput {
  turn: number;
  from: string | null;
  to: string;
  events: readonly TraceEvent[];
  before: Variables;
  after: Variables;
}

/** A copy of `value` masked as a trace masks it: fields named like secrets, then their values wherever else they appear. */
export function maskSecrets<T>(value: T): T {
  const masker = new Masker();
  return masker.scrub(masker.byName(value, ''), '') as T;
}

/** The trace as the sandbox sends it: secrets masked by name first, then their values wherever else they appear. */
export function buildTurnTrace(input: TurnTraceInput): TurnTrace {
  const masker = new Masker();
  const before = masker.byName(input.before, 'variables.before') as Variables;
  const after = masker.byName(input.after, 'variables.after') as Variables;
  const named = input.events.map((event, index) => maskEvent(masker, event, `events[${index}]`));
  const events = named.map((event, index) => masker.scrub(event, `events[${index}]`) as TraceEvent);
  return {
    version: TRACE_VERSION,
    turn: input.turn,
    from: input.from,
    to: input.to,
    events,
    variables: { before: masker.scrub(before, 'variables.before') as Variables, after: masker.scrub(after, 'variables.after') as Variables },
    masked: [...new Set(masker.masked)],
  };
}

const EVENT_TYPES: ReadonlySet<string> = new Set<TraceEvent['type']>(['enter', 'transition', 'no_match', 'variable', 'api_call', 'condition', 'llm_agent', 'loop_guard']);

/**
 * The trace in a reply (a response JSON with the `sandbox_trace` field) or the trace itself; null
 * when there is none, when it is malformed, or when it is of another version: the panel then says
 * it has no trace rather than show a wrong one.
 */
export function readTurnTrace(json: unknown): TurnTrace | null {
  const value = isRecord(json) && Object.hasOwn(json, TRACE_FIELD) ? json[TRACE_FIELD] : json;
  if (!isRecord(value) || value.version !== TRACE_VERSION) {
    return null;
  }
  const { turn, from, to, events, variables, masked } = value;
  if (typeof turn !== 'number' || !Number.isInteger(turn) || turn < 0 || (from !== null && typeof from !== 'string') || typeof to !== 'string') {
    return null;
  }
  if (!Array.isArray(events) || !events.every((event) => isRecord(event) && typeof event.type === 'string' && EVENT_TYPES.has(event.type))) {
    return null;
  }
  if (!isRecord(variables) || !isRecord(variables.before) || !isRecord(variables.after)) {
    return null;
  }
  if (!Array.isArray(masked) || !masked.every((path) => typeof path === 'string')) {
    return null;
  }
  return {
    version: TRACE_VERSION,
    turn,
    from,
    to,
    events: events as TraceEvent[],
    variables: { before: variables.before, after: variables.after },
    masked: masked as string[],
  };
}
