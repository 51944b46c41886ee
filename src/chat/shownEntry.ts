// What the page gets of an entry (src/protocol.ts's ShownEntry): everything the log shows, and
// only whether there is an exchange to inspect; the exchange itself is sent when asked for.
import type { ShownEntry, ShownWindow } from '../protocol.js';
import { isRecord } from '../flow/botMessages.js';
import { TRACE_FIELD } from '../flow/turnTrace.js';
import type { TranscriptEntry } from './transcript.js';

/**
 * How many entries the page gets at once: `init` sends the newest ones and the page asks for the
 * ones before, as many again, when the author scrolls to the top. Showing a hidden 1,000-turn
 * panel then costs what one screenful and some scrolling back cost, not the whole transcript.
 */
export const SHOWN_WINDOW = 200;

export function shownEntry(entry: TranscriptEntry): ShownEntry {
  if (entry.kind === 'divider') {
    return entry;
  }
  const { exchange, ...shown } = entry;
  // Only whether the answer holds the sandbox's trace: the page asks for it (`trace`) when opened.
  const traced = isRecord(exchange?.responseJson) && Object.hasOwn(exchange.responseJson, TRACE_FIELD);
  return { ...shown, inspectable: exchange !== undefined, traced };
}

/**
 * The `count` entries just before the entry `beforeId` (the newest ones without it). An id that is
 * not in the transcript (any more) gets nothing, rather than entries the page may already show.
 */
export function shownWindow(entries: readonly TranscriptEntry[], beforeId?: string, count = SHOWN_WINDOW): ShownWindow {
  const end = beforeId === undefined ? entries.length : entries.findIndex((entry) => entry.id === beforeId);
  if (end < 0) {
    return { entries: [], hasEarlier: false };
  }
  const start = Math.max(0, end - count);
  return { entries: entries.slice(start, end).map(shownEntry), hasEarlier: start > 0 };
}
