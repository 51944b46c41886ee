// Where a sandbox chat stood when the sandbox lost its session (VS Code reloaded, or the sandbox
// process died and started again): the last turn's state and variables, from the turn's trace,
// so that a new session can stand there and the chat goes on instead of ending in a 404.
import { MASKED_VALUE } from '../flow/turnTrace.js';
import type { Variables } from '../flow/template.js';
import { entryTrace } from './entryTrace.js';
import type { Transcript } from './transcript.js';

export interface ResumePlan {
  state: string;
  variables: Variables;
  /** The turn it stood after: the resumed session numbers its turns on from there. */
  turn: number;
  /** Variables the trace masked (their names look like secrets): not restored, the author is told. */
  masked: string[];
}

/** Undefined when the session's last turn carries no trace (it was not a sandbox turn, or there is none). */
export function planResume(transcript: Transcript): ResumePlan | undefined {
  const sessionId = transcript.session.sessionId;
  for (let index = transcript.entries.length - 1; index >= 0; index -= 1) {
    const entry = transcript.entries[index];
    if (entry?.kind !== 'turn' || entry.sessionId !== sessionId || entry.pending === true) {
      continue;
    }
    const trace = entryTrace(entry);
    if (!trace) {
      return undefined;
    }
    const entries = Object.entries(trace.variables.after);
    const masked = entries.filter(([, value]) => containsMasked(value)).map(([name]) => name);
    // fromEntries defines each name as its own property, `__proto__` included.
    const variables: Variables = Object.fromEntries(entries.filter(([, value]) => !containsMasked(value)));
    return { state: trace.to, variables, turn: trace.turn, masked };
  }
  return undefined;
}

function containsMasked(value: unknown): boolean {
  if (value === MASKED_VALUE) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsMasked);
  }
  return typeof value === 'object' && value !== null && Object.values(value).some(containsMasked);
}

/** The one line the chat shows when it goes on in a new session. */
export function resumedNotice(reason: string, plan: ResumePlan): string {
  const secrets = plan.masked.length === 0 ? '' : ` (${plan.masked.length === 1 ? `'${plan.masked[0]}' is` : `${plan.masked.length} variables are`} not restored: the trace masks secrets)`;
  return `${reason}, so its session was lost: this chat goes on in a new session from '${plan.state}', with its variables${secrets}.`;
}
