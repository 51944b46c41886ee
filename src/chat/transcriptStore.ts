// Keeps each panel's transcript, so that panels come back after a window reload and closed sessions
// can be read again. One append-only file per transcript (transcriptLines.ts), so a turn costs the
// same bytes at turn 10 and turn 1,000; the memento holds only the small index the Sessions view
// lists. Writes wait a moment and go out together, after the page has the turn. Transcripts hold
// no key: exchanges are redacted by the client before they get here.
import { interruptedSendError } from '../sarufi/errors.js';
import { settleInterruptedInputs } from './transcript.js';
import type { Transcript } from './transcript.js';
import { linesSince, NOTHING_WRITTEN, readTranscriptLines } from './transcriptLines.js';
import type { WrittenState } from './transcriptLines.js';

/** Where transcripts were kept whole before they had files of their own (still read, then moved). */
const OLD_PREFIX = 'sarufi.transcript:';
const INDEX = 'sarufi.transcripts';

/** Oldest transcripts beyond this count are dropped, to keep the storage small. */
const MAX_TRANSCRIPTS = 50;

/** How long a change waits for the next one before both are written in one append. */
export const WRITE_DELAY_MS = 250;

/** The part of VS Code's Memento the store uses. */
export interface IndexMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** A folder of transcript files, by name. */
export interface TranscriptFiles {
  /** The file's text, or undefined when there is no such file. */
  read(name: string): Promise<string | undefined>;
  append(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
}

/** What the Sessions view shows of a stored transcript without loading it. */
export interface TranscriptSummary {
  panelId: string;
  chatbotName: string;
  environment: string;
  sessionId: string | null;
  createdAt: string | null;
  currentState: string | null;
  status: string;
  expiresAt: string | null;
  readOnly: boolean;
  updatedAt: string;
}

export interface TranscriptStoreOptions {
  memento: IndexMemento;
  files: TranscriptFiles;
  /** Told of what could not be read or written; the store keeps going. */
  log: (message: string) => void;
  now?: () => number;
}

interface Tracked {
  transcript: Transcript;
  written: WrittenState;
  /** The file ends inside a line: the next append starts with a line break. */
  torn: boolean;
}

export class TranscriptStore {
  private readonly tracked = new Map<string, Tracked>();
  private readonly dirty = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Writes run one after another, so an older index is never written last. */
  private queue: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private readonly moving = new Map<string, Promise<{ transcript: Transcript; written: WrittenState } | undefined>>();
  private readonly now: () => number;

  constructor(private readonly options: TranscriptStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Calls `listener` after each write, so the Sessions view can show the newest state. */
  onDidSave(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  list(): TranscriptSummary[] {
    return this.options.memento.get<TranscriptSummary[]>(INDEX) ?? [];
  }

  /** The transcript of a panel: the one in memory if the panel is open, else read from its file. */
  async load(panelId: string): Promise<Transcript | undefined> {
    const open = this.tracked.get(panelId);
    if (open) {
      return open.transcript;
    }
    const name = fileName(panelId);
    const text = await this.options.files.read(name);
    if (text === undefined) {
      const moved = await this.moveOld(panelId);
      if (moved && !this.tracked.has(panelId)) {
        this.tracked.set(panelId, { ...moved, torn: false });
      }
      return this.tracked.get(panelId)?.transcript;
    }
    const read = readTranscriptLines(text, (line, reason) =>
      this.options.log(`Transcript ${panelId}: skipped line ${line}, ${reason === 'torn' ? 'which a write did not finish' : 'which is not a transcript record'}`),
    );
    if (!read) {
      this.options.log(`Transcript ${panelId}: the file holds no session, so there is nothing to show`);
      return undefined;
    }
    // `written` still names them pending, so the next write stores the error entries in their place.
    settleInterruptedInputs(read.transcript, interruptedSendError());
    this.tracked.set(panelId, { transcript: read.transcript, written: read.written, torn: read.torn });
    return read.transcript;
  }

  /** Notes that a transcript changed; it is written after WRITE_DELAY_MS, with whatever follows. */
  save(panelId: string, transcript: Transcript): void {
    const known = this.tracked.get(panelId);
    if (!known || known.transcript !== transcript) {
      this.tracked.set(panelId, { transcript, written: known?.written ?? NOTHING_WRITTEN, torn: known?.torn ?? false });
    }
    this.dirty.add(panelId);
    this.timer ??= setTimeout(() => void this.flush(), WRITE_DELAY_MS);
  }

  /** Writes every change noted so far; resolves when they are on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const panelIds = [...this.dirty];
    this.dirty.clear();
    if (panelIds.length === 0) {
      return this.queue;
    }
    return this.enqueue(() => this.write(panelIds));
  }

  remove(panelId: string): Promise<void> {
    this.tracked.delete(panelId);
    this.dirty.delete(panelId);
    return this.enqueue(async () => {
      await this.options.files.remove(fileName(panelId));
      await this.options.memento.update(OLD_PREFIX + panelId, undefined);
      await this.options.memento.update(INDEX, this.list().filter((item) => item.panelId !== panelId));
    });
  }

  /** Writes what is pending; the last chance before the extension host stops. */
  dispose(): Promise<void> {
    return this.flush();
  }

  private async write(panelIds: string[]): Promise<void> {
    const index = this.list();
    for (const panelId of panelIds) {
      const tracked = this.tracked.get(panelId);
      if (!tracked) {
        continue;
      }
      const { text, written } = linesSince(tracked.transcript, tracked.written);
      if (text !== '') {
        await this.options.files.append(fileName(panelId), tracked.torn ? `\n${text}` : text);
        tracked.written = written;
        tracked.torn = false;
      }
      const at = index.findIndex((item) => item.panelId === panelId);
      if (at >= 0) {
        index.splice(at, 1);
      }
      index.unshift(this.summaryOf(panelId, tracked.transcript));
    }
    for (const dropped of index.splice(MAX_TRANSCRIPTS)) {
      this.tracked.delete(dropped.panelId);
      await this.options.files.remove(fileName(dropped.panelId));
      await this.options.memento.update(OLD_PREFIX + dropped.panelId, undefined);
    }
    await this.options.memento.update(INDEX, index);
  }

  /**
   * Moves every transcript still kept whole in the memento (before files) to its file. VS Code
   * writes an extension's memento as one value on every change, so they would weigh on each one.
   */
  async moveOldTranscripts(): Promise<void> {
    for (const { panelId } of this.list()) {
      await this.moveOld(panelId);
    }
  }

  /** Writes an old-format transcript to its file and drops it from the memento; once per panel. */
  private moveOld(panelId: string): Promise<{ transcript: Transcript; written: WrittenState } | undefined> {
    let moving = this.moving.get(panelId);
    if (!moving) {
      moving = this.moveOnce(panelId);
      this.moving.set(panelId, moving);
    }
    return moving;
  }

  private async moveOnce(panelId: string): Promise<{ transcript: Transcript; written: WrittenState } | undefined> {
    const transcript = this.options.memento.get<Transcript>(OLD_PREFIX + panelId);
    if (!transcript) {
      return undefined;
    }
    const { text, written } = linesSince(transcript, NOTHING_WRITTEN);
    await this.enqueue(async () => {
      await this.options.files.append(fileName(panelId), text);
      await this.options.memento.update(OLD_PREFIX + panelId, undefined);
    });
    return { transcript, written };
  }

  private summaryOf(panelId: string, transcript: Transcript): TranscriptSummary {
    const { session } = transcript;
    return {
      panelId,
      chatbotName: session.chatbotName,
      environment: session.environment,
      sessionId: session.sessionId,
      createdAt: session.createdAt,
      currentState: session.trail[session.trail.length - 1] ?? null,
      status: session.status,
      expiresAt: session.expiresAt,
      readOnly: transcript.readOnly === true,
      updatedAt: new Date(this.now()).toISOString(),
    };
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue
      .then(work)
      .then(() => this.listeners.forEach((listener) => listener()))
      // A failed write loses no transcript in memory; say so and keep the queue going.
      .catch((error: unknown) => this.options.log(`Could not store a chat transcript: ${String(error)}`));
    return this.queue;
  }
}

function fileName(panelId: string): string {
  // Panel ids are UUIDs; anything else is kept to a safe file name.
  return `${panelId.replace(/[^\w-]/g, '_')}.jsonl`;
}
