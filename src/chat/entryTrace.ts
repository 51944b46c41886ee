// The sandbox's trace of a transcript entry (src/flow/turnTrace.ts): read from the reply JSON that
// the exchange keeps whole, so the transcript needs no field of its own for it.
import { isRecord } from '../flow/botMessages.js';
import { TRACE_FIELD, TRACE_VERSION } from '../flow/turnTrace.js';
import type { TurnTrace } from '../flow/turnTrace.js';
import type { TranscriptEntry } from './transcript.js';

/** The entry's trace, or null when its server sent none (Sarufi never does) or it is unreadable. */
export function entryTrace(entry: TranscriptEntry | undefined): TurnTrace | null {
  if (entry?.kind !== 'turn') {
    return null;
  }
  const response = entry.exchange.responseJson;
  return isRecord(response) ? readTrace(response[TRACE_FIELD]) : null;
}

// A trace from another version of the sandbox is not guessed at: the panel then says there is none.
function readTrace(value: unknown): TurnTrace | null {
  if (!isRecord(value) || value.version !== TRACE_VERSION || typeof value.turn !== 'number' || typeof value.to !== 'string') {
    return null;
  }
  if (!Array.isArray(value.events) || !isRecord(value.variables) || !isRecord(value.variables.before) || !isRecord(value.variables.after)) {
    return null;
  }
  return value as unknown as TurnTrace;
}
