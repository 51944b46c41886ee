// How the Sessions view and Compare Transcripts name a stored chat: several chats with one
// chatbot must read differently, and a chat whose panel is gone must not read as open.
import { shortLocalTime } from './localTime.js';
import type { TranscriptSummary } from './transcriptStore.js';

/**
 * `open`, `expired`, `closed`…: what can be done with the chat. Without its panel a chat can only
 * be read again: its session is not continued from here (and the local sandbox forgets sessions
 * when it restarts), so "open" would promise too much.
 */
export function sessionLife(summary: TranscriptSummary, panelOpen: boolean, now: number): string {
  const expired = summary.expiresAt !== null && Date.parse(summary.expiresAt) < now;
  return !panelOpen ? 'closed' : summary.status === 'open' && expired ? 'expired' : summary.status;
}

/** `10:42 · choose_size · closed`: when it started, where it ended, and what can be done with it. */
export function sessionRowDescription(summary: TranscriptSummary, panelOpen: boolean, now: number): string {
  const life = sessionLife(summary, panelOpen, now);
  return [shortLocalTime(summary.createdAt ?? summary.updatedAt, now), summary.currentState ?? 'no state yet', life, panelOpen ? 'panel open' : undefined]
    .filter((part) => part !== undefined)
    .join(' · ');
}

/** One row per session: a read-only copy of a chat (opened again from the Sessions view) is the same session. */
export function distinctSessions(summaries: readonly TranscriptSummary[]): TranscriptSummary[] {
  const bySession = new Map<string, TranscriptSummary>();
  const rows: TranscriptSummary[] = [];
  for (const summary of summaries) {
    if (summary.sessionId === null) {
      rows.push(summary);
      continue;
    }
    const seen = bySession.get(summary.sessionId);
    if (!seen) {
      bySession.set(summary.sessionId, summary);
      rows.push(summary);
    } else if (seen.readOnly && !summary.readOnly) {
      rows[rows.indexOf(seen)] = summary;
      bySession.set(summary.sessionId, summary);
    }
  }
  return rows;
}
