// A transcript as normalised text, for VS Code's diff editor (Sarufi: Compare Transcripts): what
// the author sent, every message with its buttons and rows, the state after each turn, and the
// variables when a sandbox trace says them. Ids, times, durations and statuses are left out, so two
// runs of the same path through a flow read the same and only where they went apart differs.
import { messageToMarkdown } from './exportTranscript.js';
import { entryTrace } from './entryTrace.js';
import type { Transcript, TranscriptEntry, TurnEntry } from './transcript.js';

export function transcriptText(transcript: Transcript): string {
  const lines = [`# ${transcript.session.chatbotName} (${transcript.session.environment})`];
  let turn = 0;
  for (const entry of transcript.entries) {
    // A reply still on its way says nothing yet about where the conversation went.
    if (entry.kind === 'turn' && entry.pending === true) {
      continue;
    }
    if (entry.kind === 'turn') {
      // The sandbox numbers its turns, and a forked session goes on from the turn it forked.
      turn = entryTrace(entry)?.turn ?? (entry.user ? turn + 1 : 0);
    }
    lines.push('', ...entryLines(entry, turn));
  }
  return `${lines.join('\n')}\n`;
}

function entryLines(entry: TranscriptEntry, turn: number): string[] {
  switch (entry.kind) {
    case 'divider':
      return [`--- ${entry.text}`];
    case 'error':
      return [`## error${entry.input ? ` after ${inputText(entry.input)}` : ''}`, `  ${entry.message}`];
    case 'turn':
      return turnLines(entry, turn);
  }
}

function turnLines(entry: TurnEntry, turn: number): string[] {
  const trace = entryTrace(entry);
  const state = entry.currentState ?? trace?.to ?? null;
  const heading = entry.user ? `## turn ${turn}: ${inputText(entry.user)}` : turn === 0 ? '## greeting' : `## new session from turn ${turn}`;
  const lines = [heading, `state: ${state ?? '(not reported)'}`];
  for (const message of entry.messages) {
    lines.push(...messageToMarkdown(message).map((line) => `  ${line}`));
  }
  if (trace) {
    const names = Object.keys(trace.variables.after).sort();
    lines.push(names.length === 0 ? 'variables: (none)' : 'variables:');
    // One line per variable, keys sorted: a value set in another order is no difference.
    lines.push(...names.map((name) => `  ${name} = ${stableJson(trace.variables.after[name])}`));
  }
  return lines;
}

function inputText(input: { text: string; buttonId?: string }): string {
  return `> ${JSON.stringify(input.text)}${input.buttonId === undefined ? '' : ` (button ${input.buttonId})`}`;
}

/** JSON with object keys sorted at every depth. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  ) ?? 'undefined';
}
