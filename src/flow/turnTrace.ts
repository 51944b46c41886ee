// The trace of one sandbox turn: why the bot said what it said, and what it knew. The sandbox sends
// it as its own extension of the Chat API (the `sandbox_trace` field of a session's greeting and of
// each reply, which Sarufi never sends); the client keeps it in the exchange, and the chat panel's
// Why? and Variables views read it from there. Plain JSON, read back with readTurnTrace.
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
