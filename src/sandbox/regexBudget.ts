// Runs the regexes that come from flows and test files (a test's `regex:` expectation, a flow's
// regex triggers when coverage is inferred, the generator's samples, the editor's safety check)
// in a worker thread under a budget, so that no pattern can freeze the extension host or the CLI.
// A pattern that runs past the budget is stopped (the worker is terminated and replaced) and is
// not tried again in this process: every later use fails at once with the same error.
import type { Worker } from 'node:worker_threads';
import { setCapped } from '../flow/cappedCache.js';
import { oneLine } from '../flow/oneLine.js';
import type { RegexJob, RegexPatternData, RegexWorkerMessage } from './regexProtocol.js';
import { DEFAULT_TURN_TIMEOUT_MS } from './turnBudget.js';
import { startSandboxWorker } from './workerThreads.js';

/** The heap the worker may use: a pattern that builds a huge sample fails, not the caller. */
const WORKER_HEAP_MB = 128;
/** Stopped patterns remembered; more than a run ever meets. */
const STOPPED_KEPT = 1000;

const keyOf = (pattern: RegexPatternData): string => `${pattern.flags}/${pattern.source}`;

/** Longest part of a pattern quoted in a message: a diagnostic or a CLI line, not the pattern's dump. */
const QUOTED_SOURCE = 120;

/** The pattern as messages show it: on one line, long ones cut. */
export function shownPattern(source: string): string {
  return `/${oneLine(source.length > QUOTED_SOURCE ? `${source.slice(0, QUOTED_SOURCE)}…` : source)}/`;
}

/** A regex that ran past its budget, now or earlier in this process (`earlier`: it was not run again). */
export class RegexStoppedError extends Error {
  constructor(
    readonly pattern: RegexPatternData,
    readonly budgetMs: number,
    readonly earlier: boolean,
    why = `ran past its ${budgetMs} ms budget`,
  ) {
    super(
      earlier
        ? `the regex ${shownPattern(pattern.source)} ${why} earlier, so it is not tried again`
        : `the regex ${shownPattern(pattern.source)} ${why} and was stopped; it is not tried again`,
    );
    this.name = 'RegexStoppedError';
  }
}

interface PendingJob {
  job: RegexJob;
  resolve(value: boolean | string[]): void;
  reject(error: Error): void;
}

export interface RegexBudgetOptions {
  /** How long one regex job may run. Default the sandbox's turn budget. */
  budgetMs?: number;
  log?: (line: string) => void;
}

export class RegexBudget {
  readonly budgetMs: number;
  private worker: Worker | null = null;
  private ready = false;
  /** Sent and not answered, oldest first: the worker runs them in this order, so the first is the one running. */
  private readonly pending = new Map<number, PendingJob>();
  private readonly stopped = new Map<string, string>();
  private watchdog: NodeJS.Timeout | null = null;
  private nextId = 1;

  constructor(private readonly options: RegexBudgetOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_TURN_TIMEOUT_MS;
  }

  /** Whether `pattern` matches `text` (as RegExp.prototype.test, never global). */
  async test(pattern: RegexPatternData, text: string): Promise<boolean> {
    return (await this.submit(pattern, { kind: 'test', text })) as boolean;
  }

  /** Up to `count` strings that `pattern` matches (src/flow/regexSamples.ts). */
  async samples(pattern: RegexPatternData, count: number): Promise<string[]> {
    return (await this.submit(pattern, { kind: 'samples', count })) as string[];
  }

  /** Whether `pattern` can backtrack catastrophically (src/flow/regexSafety.ts). */
  async judge(pattern: RegexPatternData): Promise<boolean> {
    return (await this.submit(pattern, { kind: 'judge' })) as boolean;
  }

  /** Why `pattern` was stopped before, or null when it was not. */
  stoppedBefore(pattern: RegexPatternData): RegexStoppedError | null {
    const why = this.stopped.get(keyOf(pattern));
    return why === undefined ? null : new RegexStoppedError({ source: pattern.source, flags: pattern.flags }, this.budgetMs, true, why);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.clearWatchdog();
    const pending = [...this.pending.values()];
    this.pending.clear();
    pending.forEach((entry) => entry.reject(new Error('the regex worker was closed')));
    await worker?.terminate();
  }

  private submit(pattern: RegexPatternData, what: { kind: 'test'; text: string } | { kind: 'samples'; count: number } | { kind: 'judge' }): Promise<boolean | string[]> {
    const before = this.stoppedBefore(pattern);
    if (before) {
      return Promise.reject(before);
    }
    const job = { id: this.nextId++, source: pattern.source, flags: pattern.flags, ...what } as RegexJob;
    return new Promise((resolve, reject) => {
      this.pending.set(job.id, { job, resolve, reject });
      this.send(job);
    });
  }

  private send(job: RegexJob): void {
    const worker = this.worker ?? this.spawn();
    // A job under way keeps the process alive (a CLI waits for it); an idle worker does not.
    worker.ref();
    worker.postMessage(job);
    this.watch();
  }

  private spawn(): Worker {
    const worker: Worker = startSandboxWorker('sandbox-regex.js', 'regexWorker.ts', { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    this.worker = worker;
    this.ready = false;
    worker.on('message', (message: RegexWorkerMessage) => this.receive(worker, message));
    worker.on('error', (error) => this.lose(worker, `made the regex worker fail (${error.message})`));
    worker.on('exit', (code) => this.lose(worker, `made the regex worker stop (exit code ${code})`));
    worker.unref();
    return worker;
  }

  private watch(): void {
    if (this.ready && this.pending.size > 0) {
      this.watchdog ??= setTimeout(() => this.worker && this.lose(this.worker, `ran past its ${this.budgetMs} ms budget`), this.budgetMs);
    }
  }

  private clearWatchdog(): void {
    if (this.watchdog) {
      clearTimeout(this.watchdog);
      this.watchdog = null;
    }
  }

  private receive(worker: Worker, message: RegexWorkerMessage): void {
    if (worker !== this.worker) {
      return;
    }
    this.watchdog?.refresh();
    if (message.type === 'ready') {
      this.ready = true;
      this.watch();
      return;
    }
    const entry = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (this.pending.size === 0) {
      this.clearWatchdog();
      worker.unref();
    }
    if (message.type === 'done') {
      entry?.resolve(message.value);
    } else {
      entry?.reject(new Error(message.message));
    }
  }

  /** The job running when the worker went silent or died is the culprit: its pattern is stopped for good. */
  private lose(worker: Worker, why: string): void {
    if (worker !== this.worker) {
      return;
    }
    this.worker = null;
    this.clearWatchdog();
    void worker.terminate();
    if (!this.ready) {
      // It never ran a job (a bundle missing, say): no pattern is to blame, and none is marked stopped.
      const pending = [...this.pending.values()];
      this.pending.clear();
      pending.forEach((entry) => entry.reject(new Error(`the regex worker could not start: it ${why}`)));
      return;
    }
    const [culprit, ...rest] = [...this.pending.values()];
    this.pending.clear();
    if (culprit) {
      const pattern = { source: culprit.job.source, flags: culprit.job.flags };
      setCapped(this.stopped, keyOf(pattern), why, STOPPED_KEPT);
      this.options.log?.(`stopped the regex ${shownPattern(pattern.source)}: it ${why}`);
      culprit.reject(new RegexStoppedError(pattern, this.budgetMs, false, why));
    }
    // The others did not run yet: they go to a fresh worker, except those of the stopped pattern.
    for (const entry of rest) {
      const before = this.stoppedBefore(entry.job);
      if (before) {
        entry.reject(before);
      } else {
        this.pending.set(entry.job.id, entry);
        this.send(entry.job);
      }
    }
  }
}

let shared: RegexBudget | undefined;

/** The process's regex worker, started on first use; its idle worker keeps no process alive. */
export function sharedRegexBudget(): RegexBudget {
  shared ??= new RegexBudget();
  return shared;
}
