// The trace of one sandbox turn: why the bot said what it said, and what it knew. The sandbox sends
// it as its own extension of the Chat API (the `sandbox_trace` field of a session's greeting and of
// each reply, which Sarufi never sends); the client keeps it in the exchange, and the chat panel's
// Why? and Variables views read it from there. Plain JSON, read back with readTurnTrace.
import { isRecord } from './botMessages.js';
import type { TraceEvent } from './engine.js';
import type { Variables } from './template.js';
import { isSecretName, SecretMasker } from '../sarufi/redaction.js';

export { isSecretName, MASKED_VALUE } from '../sarufi/redaction.js';

/** The response field that carries the trace; Sarufi's Chat API has no field of this name. */
export const TRACE_FIELD = 'sandbox_trace';
export const TRACE_VERSION = 1;
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

/** An event with secrets masked by name: a variable named like one, API_CALL headers, request and answer bodies. */
function maskEvent(masker: SecretMasker, event: TraceEvent, path: string): TraceEvent {
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

/** The trace as the sandbox sends it: secrets masked by name first, then their values wherever else they appear. */
export function buildTurnTrace(input: TurnTraceInput): TurnTrace {
  const masker = new SecretMasker();
  const before = masker.byName(input.before, 'variables.before') as Variables;
  const after = masker.byName(input.after, 'variables.after') as Variables;
  const named = input.events.map((event, index) => maskEvent(masker, event, `events[${index}]`));
  // Secrets in texts (URL credentials, form-encoded answers) are found everywhere before any is scrubbed.
  masker.collect([named, before, after]);
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

/**
 * The trace in a reply (a response JSON with the `sandbox_trace` field) or the trace itself; null
 * when there is none, when it is malformed, or when it is of another version: the panel then says
 * it has no trace rather than show a wrong one. Events of a type it does not know are kept.
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
  // An event of a type this build does not know (a newer sandbox's) is kept: the page shows it as key/value lines.
  if (!Array.isArray(events) || !events.every((event) => isRecord(event) && typeof event.type === 'string')) {
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
