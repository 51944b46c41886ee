// How the Sessions view and Compare Transcripts name a stored chat: several chats with one
// chatbot must read differently, and a chat whose panel is gone must not read as open.
import type { TranscriptSummary } from './transcriptStore.js';

/** `10:42 · choose_size · closed`: when it started, where it ended, and what can be done with it. */
export function sessionRowDescription(summary: TranscriptSummary, panelOpen: boolean, now: number): string {
  const expired = summary.expiresAt !== null && Date.parse(summary.expiresAt) < now;
  // Without its panel a chat can only be read again: its session is not continued from here (and
  // the local sandbox forgets sessions when it restarts), so "open" would promise too much.
  const life = !panelOpen ? 'closed' : summary.status === 'open' && expired ? 'expired' : summary.status;
  return [startedAt(summary.createdAt ?? summary.updatedAt, now), summary.currentState ?? 'no state yet', life, panelOpen ? 'panel open' : undefined]
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

/** `10:42` today, `Dec 5 10:42` before: local time, short. */
function startedAt(iso: string, now: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const two = (value: number): string => String(value).padStart(2, '0');
  const time = `${two(date.getHours())}:${two(date.getMinutes())}`;
  const today = new Date(now);
  const sameDay = date.getFullYear() === today.getFullYear() && date.getMonth() === today.getMonth() && date.getDate() === today.getDate();
  return sameDay ? time : `${date.toLocaleString('en', { month: 'short' })} ${date.getDate()} ${time}`;
}
