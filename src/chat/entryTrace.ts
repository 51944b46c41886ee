// The sandbox's trace of a transcript entry (src/flow/turnTrace.ts): read from the reply JSON that
// the exchange keeps whole, so the transcript needs no field of its own for it.
import { readTurnTrace } from '../flow/turnTrace.js';
import type { TurnTrace } from '../flow/turnTrace.js';
import type { TranscriptEntry } from './transcript.js';

/** The entry's trace, or null when its server sent none (Sarufi never does) or it is unreadable. */
export function entryTrace(entry: TranscriptEntry | undefined): TurnTrace | null {
  return entry?.kind === 'turn' ? readTurnTrace(entry.exchange.responseJson) : null;
}
