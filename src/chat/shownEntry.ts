// What the page gets of an entry (src/protocol.ts's ShownEntry): everything the log shows, and
// only whether there is an exchange to inspect; the exchange itself is sent when asked for.
import type { ShownEntry } from '../protocol.js';
import type { TranscriptEntry } from './transcript.js';

export function shownEntry(entry: TranscriptEntry): ShownEntry {
  if (entry.kind === 'divider') {
    return entry;
  }
  const { exchange, ...shown } = entry;
  return { ...shown, inspectable: exchange !== undefined };
}
