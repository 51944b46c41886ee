// Fork from here, in plain data: what a new panel copies of a transcript, which turn of which
// session it starts from, and (on a server without snapshots) the inputs to send again.
import { entryTrace } from './entryTrace.js';
import type { ChatSession } from './chatSession.js';
import type { DividerEntry, Transcript, TranscriptEntry, TurnEntry, UserInput } from './transcript.js';

export interface ForkPlan {
  /** The entries up to and including the forked turn, as the new panel shows them above its divider. */
  entries: TranscriptEntry[];
  sessionId: string;
  /** 0 for the greeting, n for the reply to the n-th user message of the session. */
  turn: number;
  /** Where the turn left the conversation, when the server said. */
  state: string | null;
  /** The author's inputs in that session up to the turn, in order: what a replay sends. */
  inputs: UserInput[];
}

/** The plan of a fork from the turn `entryId`, or a plain reason why that entry cannot be forked from. */
export function planFork(transcript: Transcript, entryId: string): ForkPlan | { error: string } {
  const index = transcript.entries.findIndex((entry) => entry.id === entryId);
  const entry = transcript.entries[index];
  if (entry?.kind !== 'turn') {
    return { error: 'Fork from here works on a bot turn of this chat; that one is not in the transcript (any more).' };
  }
  if (entry.pending === true) {
    return { error: 'That turn has no reply yet: fork from it once the bot has answered.' };
  }
  // Answered turns of the same session only: a failed send did not move the conversation.
  const answered = transcript.entries
    .slice(0, index + 1)
    .filter((candidate): candidate is TurnEntry & { user: UserInput } => candidate.kind === 'turn' && candidate.pending !== true && candidate.sessionId === entry.sessionId && candidate.user !== undefined);
  const turn = entryTrace(entry)?.turn ?? answered.length;
  return {
    entries: transcript.entries.slice(0, index + 1).filter((candidate) => !(candidate.kind === 'turn' && candidate.pending === true)),
    sessionId: entry.sessionId,
    turn,
    state: entry.currentState ?? entryTrace(entry)?.to ?? null,
    inputs: answered.map((candidate) => candidate.user),
  };
}

/** The divider under the copied entries, saying where the new session comes from. */
export function forkDivider(plan: ForkPlan, id: string, at: string): DividerEntry {
  const where = plan.turn === 0 ? 'the greeting' : `turn ${plan.turn}`;
  return { kind: 'divider', id, text: `Forked from ${where}${plan.state ? ` (state '${plan.state}')` : ''}: a new session starts here`, at };
}

export type ReplayOutcome =
  | { kind: 'done'; sent: number }
  | { kind: 'cancelled'; sent: number }
  | { kind: 'failed'; sent: number };

/**
 * Sends the inputs again, one after another, into the session's open session. The client paces
 * each send to the rate limit; `signal` stops the replay between two inputs (never mid-turn, so
 * the transcript never holds half a turn).
 */
export async function replayInputs(
  session: Pick<ChatSession, 'send'>,
  inputs: readonly UserInput[],
  options: { signal: AbortSignal; onProgress(done: number, total: number): void },
): Promise<ReplayOutcome> {
  let sent = 0;
  options.onProgress(sent, inputs.length);
  for (const input of inputs) {
    if (options.signal.aborted) {
      return { kind: 'cancelled', sent };
    }
    if (!(await session.send(input))) {
      return { kind: 'failed', sent };
    }
    sent += 1;
    options.onProgress(sent, inputs.length);
  }
  return { kind: 'done', sent };
}
