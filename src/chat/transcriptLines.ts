// The lines of a transcript file (JSON Lines, one record a line, only ever appended to). A reply
// is stored once: its exchange keeps the body as received (`responseText`), and what can be read
// again from it (`responseJson`, the turn's `messages`) is left out and rebuilt on load.
import { parseJsonText } from '../sarufi/exchange.js';
import type { Exchange } from '../sarufi/exchange.js';
import { normaliseMessages } from '../flow/botMessages.js';
import type { GenericMessage } from '../flow/botMessages.js';
import type { PanelOrigin, SessionInfo, Transcript, TranscriptEntry } from './transcript.js';

/** The header's fields without the trail, which is written as it grows (`trailAdd`). */
type SessionFields = Omit<SessionInfo, 'trail'>;

/** `origin` names the panel's tab (src/chat/panelTitle.ts); files written before it have none. */
export type TranscriptLine =
  | { t: 'session'; readOnly: boolean; origin?: PanelOrigin; session: SessionFields; trail: string[] }
  | { t: 'session'; readOnly: boolean; origin?: PanelOrigin; session: SessionFields; trailAdd: string[] }
  | { t: 'entry'; entry: StoredEntry };

/** An entry as stored: the exchange without its parsed body, a turn without messages it can rebuild. */
type StoredEntry = Omit<TranscriptEntry, 'exchange' | 'messages'> & { exchange?: StoredExchange; messages?: GenericMessage[] };
type StoredExchange = Omit<Exchange, 'responseJson'>;

/** What was last written of a transcript, to write only what changed since. */
export interface WrittenState {
  entries: number;
  /** Ids of entries written while they were pending inputs: written again once settled. */
  pending: string[];
  /** The header as last written, without the trail (JSON). */
  session: string;
  trail: string[];
}

export const NOTHING_WRITTEN: WrittenState = { entries: 0, pending: [], session: '', trail: [] };

/** Whether an entry is an input still waiting for its reply. */
function isPending(entry: TranscriptEntry): boolean {
  return entry.kind === 'turn' && entry.pending === true;
}

/**
 * The lines that bring a file written up to `written` up to `transcript`, and the state after
 * them. An entry written while pending and settled since (its reply or its error took its place,
 * with its id) is written again: on reading, the later line with that id replaces the earlier.
 */
export function linesSince(transcript: Transcript, written: WrittenState): { text: string; written: WrittenState } {
  const settled = new Set(written.pending);
  const rewritten = transcript.entries
    .slice(0, written.entries)
    .filter((entry) => settled.has(entry.id) && !isPending(entry));
  const lines: TranscriptLine[] = [...rewritten, ...transcript.entries.slice(written.entries)].map((entry) => ({ t: 'entry', entry: storedEntry(entry) }));
  const { trail, ...session } = transcript.session;
  const readOnly = transcript.readOnly === true;
  const origin = transcript.origin;
  const header = JSON.stringify({ readOnly, origin, session });
  const grew = trail.length >= written.trail.length && written.trail.every((state, index) => trail[index] === state);
  if (header !== written.session || trail.length !== written.trail.length || !grew) {
    const fields = { t: 'session' as const, readOnly, ...(origin ? { origin } : {}), session };
    lines.push(grew ? { ...fields, trailAdd: trail.slice(written.trail.length) } : { ...fields, trail });
  }
  return {
    text: lines.map((line) => `${JSON.stringify(line)}\n`).join(''),
    written: {
      entries: transcript.entries.length,
      pending: transcript.entries.filter(isPending).map((entry) => entry.id),
      session: header,
      trail: trail.slice(),
    },
  };
}

export interface ReadTranscript {
  transcript: Transcript;
  written: WrittenState;
  /** The file ends inside a line (a write cut short): the next append starts on a new line. */
  torn: boolean;
}

/** Why a line was skipped: not complete JSON (a write cut short), or JSON that is not a transcript record. */
export type SkipReason = 'torn' | 'shape';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Whether a stored entry has what loading and showing it read: its id, kind and that kind's own fields. */
function isStoredEntry(value: unknown): value is StoredEntry {
  if (!isObject(value) || typeof value.id !== 'string') {
    return false;
  }
  if (value.exchange !== undefined && !isObject(value.exchange)) {
    return false;
  }
  switch (value.kind) {
    case 'divider':
      return typeof value.text === 'string';
    case 'error':
      return typeof value.message === 'string' && (value.sessionId === null || typeof value.sessionId === 'string');
    case 'turn':
      // A turn always keeps its exchange: the panel reads its reply, trace and curl from it.
      return typeof value.sessionId === 'string' && isObject(value.exchange) && (value.messages === undefined || Array.isArray(value.messages));
    default:
      return false;
  }
}

/** A parsed line as a transcript record, or null when it is valid JSON of another shape. */
function transcriptLine(value: unknown): TranscriptLine | null {
  if (!isObject(value)) {
    return null;
  }
  if (value.t === 'entry') {
    return isStoredEntry(value.entry) ? (value as TranscriptLine) : null;
  }
  const header = value.t === 'session' && typeof value.readOnly === 'boolean' && isObject(value.session) && typeof value.session.chatbotId === 'string';
  return header && (isTextList(value.trail) || isTextList(value.trailAdd)) ? (value as TranscriptLine) : null;
}

/**
 * A transcript from its file. A line that is not complete JSON (a crash mid-write), or JSON of
 * another shape, is skipped and reported through `skipped`; everything else loads. Undefined when
 * no header was ever written.
 */
export function readTranscriptLines(text: string, skipped: (lineNumber: number, reason: SkipReason) => void): ReadTranscript | undefined {
  const entries: TranscriptEntry[] = [];
  /** Where each id stands: a later line with the same id is the settled form of a pending input. */
  const places = new Map<string, number>();
  let header: { readOnly: boolean; origin: PanelOrigin | undefined; session: SessionFields } | undefined;
  let trail: string[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    if (raw.trim() === '') {
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      skipped(index + 1, 'torn');
      return;
    }
    const line = transcriptLine(parsed);
    if (!line) {
      skipped(index + 1, 'shape');
      return;
    }
    if (line.t === 'entry') {
      const entry = loadedEntry(line.entry);
      const place = places.get(entry.id);
      if (place === undefined) {
        places.set(entry.id, entries.length);
        entries.push(entry);
      } else {
        entries[place] = entry;
      }
    } else {
      header = { readOnly: line.readOnly, origin: line.origin, session: line.session };
      trail = 'trail' in line ? line.trail : [...trail, ...line.trailAdd];
    }
  });
  if (!header) {
    return undefined;
  }
  const transcript: Transcript = {
    version: 1,
    ...(header.readOnly ? { readOnly: true } : {}),
    ...(header.origin ? { origin: header.origin } : {}),
    session: { ...header.session, trail },
    entries,
  };
  return {
    transcript,
    written: {
      entries: entries.length,
      pending: entries.filter(isPending).map((entry) => entry.id),
      session: JSON.stringify(header),
      trail: trail.slice(),
    },
    torn: text !== '' && !text.endsWith('\n'),
  };
}

function storedEntry(entry: TranscriptEntry): StoredEntry {
  if (entry.kind === 'divider' || !entry.exchange) {
    return entry;
  }
  const { responseJson, ...exchange } = entry.exchange;
  if (entry.kind === 'error') {
    return { ...entry, exchange };
  }
  const { messages, ...turn } = entry;
  // Kept only when the body does not say them (a turn read from history has no body of its own).
  const rebuilt = messagesOf(responseJson);
  return JSON.stringify(rebuilt) === JSON.stringify(messages) ? { ...turn, exchange } : { ...turn, exchange, messages };
}

function loadedEntry(stored: StoredEntry): TranscriptEntry {
  if (stored.kind === 'divider') {
    return stored as TranscriptEntry;
  }
  const exchange = stored.exchange ? { ...stored.exchange, responseJson: parseJsonText(stored.exchange.responseText) } : undefined;
  if (stored.kind === 'error') {
    return { ...stored, ...(exchange ? { exchange } : {}) } as TranscriptEntry;
  }
  return { ...stored, exchange, messages: stored.messages ?? messagesOf(exchange?.responseJson) } as TranscriptEntry;
}

function messagesOf(body: unknown): GenericMessage[] {
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return normaliseMessages(fields.messages) ?? [];
}
