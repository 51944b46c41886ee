// Keeps each panel's transcript in the workspace's storage, so that panels come back after a
// window reload and closed sessions can be read again. Transcripts hold no key: exchanges are
// redacted by the client before they get here.
import * as vscode from 'vscode';
import type { Transcript } from '../chat/transcript.js';

const PREFIX = 'sarufi.transcript:';
const INDEX = 'sarufi.transcripts';

/** Oldest transcripts beyond this count are dropped, to keep workspace storage small. */
const MAX_TRANSCRIPTS = 50;

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

export class TranscriptStore implements vscode.Disposable {
  /** Saves run one after another: interleaved ones could write an older summary last. */
  private queue: Promise<void> = Promise.resolve();
  /** Transcripts with a save still queued, and how many: `get` must not return an older copy. */
  private readonly pending = new Map<string, { transcript: Transcript; saves: number }>();
  private readonly saved = new vscode.EventEmitter<void>();
  /** Fires after each write, so the Sessions view can show the newest state. */
  readonly onDidSave = this.saved.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly onError: (message: string) => void,
  ) {}

  /** Resolves when every save asked for so far is written. */
  flushed(): Promise<void> {
    return this.queue;
  }

  get(panelId: string): Transcript | undefined {
    return this.pending.get(panelId)?.transcript ?? this.memento.get<Transcript>(PREFIX + panelId);
  }

  save(panelId: string, transcript: Transcript): Promise<void> {
    const pending = this.pending.get(panelId);
    this.pending.set(panelId, { transcript, saves: (pending?.saves ?? 0) + 1 });
    return this.enqueue(async () => {
      try {
        await this.write(panelId, transcript);
      } finally {
        const left = this.pending.get(panelId);
        if (left && --left.saves === 0) {
          this.pending.delete(panelId);
        }
      }
    });
  }

  private async write(panelId: string, transcript: Transcript): Promise<void> {
    const index = this.list().filter((item) => item.panelId !== panelId);
    const { session } = transcript;
    index.unshift({
      panelId,
      chatbotName: session.chatbotName,
      environment: session.environment,
      sessionId: session.sessionId,
      createdAt: session.createdAt,
      currentState: session.trail[session.trail.length - 1] ?? null,
      status: session.status,
      expiresAt: session.expiresAt,
      readOnly: transcript.readOnly === true,
      updatedAt: new Date().toISOString(),
    });
    for (const dropped of index.splice(MAX_TRANSCRIPTS)) {
      await this.memento.update(PREFIX + dropped.panelId, undefined);
    }
    await this.memento.update(PREFIX + panelId, transcript);
    await this.memento.update(INDEX, index);
  }

  list(): TranscriptSummary[] {
    return this.memento.get<TranscriptSummary[]>(INDEX, []);
  }

  remove(panelId: string): Promise<void> {
    this.pending.delete(panelId);
    return this.enqueue(async () => {
      await this.memento.update(PREFIX + panelId, undefined);
      await this.memento.update(INDEX, this.list().filter((item) => item.panelId !== panelId));
    });
  }

  dispose(): void {
    this.saved.dispose();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue
      .then(work)
      .then(() => this.saved.fire())
      // A failed write loses no transcript in memory; say so and keep the queue going.
      .catch((error: unknown) => this.onError(`Could not store a chat transcript: ${String(error)}`));
    return this.queue;
  }
}
