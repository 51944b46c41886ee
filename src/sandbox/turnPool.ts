// Runs the sandbox's turns in worker threads, off the thread that answers HTTP, so a flow whose
// regex backtracks without end stops its own turn (the worker is terminated when it stays silent
// past the turn budget) while every other session keeps answering from another worker.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ConversationSnapshot, UserInput } from '../flow/engine.js';
import type { FlowModel } from '../flow/flowTypes.js';
import { DEFAULT_TURN_TIMEOUT_MS } from './turnBudget.js';
import { startSandboxWorker } from './workerThreads.js';
import type { TurnAnswer, TurnExtras, TurnOptions, TurnRequest, TurnWorkerData, WorkerMessage } from './turnProtocol.js';

/** The heap a worker may use: a flow that builds a huge text fails its turn, not the sandbox. */
const WORKER_HEAP_MB = 256;

/** A turn the pool stopped; `culprit` is false for a turn that only shared the stuck worker. */
export class TurnStoppedError extends Error {
  constructor(
    readonly state: string,
    readonly budgetMs: number,
    readonly doing: string | null,
    readonly culprit: boolean,
  ) {
    super(
      culprit
        ? `the turn ran past its ${budgetMs} ms budget ${doing ? `in ${doing}` : `in state '${state}' (its triggers, conditions or templates)`} and was stopped (setting sarufi.sandbox.turnTimeoutMs). The session is still open, in state '${state}'.`
        : `the turn was stopped because another session's turn ran past its ${budgetMs} ms budget in the same sandbox worker. The session is still open, in state '${state}'; send the message again.`,
    );
    this.name = 'TurnStoppedError';
  }
}

interface Pending {
  request: TurnRequest;
  model: FlowModel;
  state: string;
  resolve(answer: TurnAnswer): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
  sentModels: Set<number>;
  /** Fires when the worker has been silent for the whole budget while it has turns. */
  watchdog: NodeJS.Timeout | null;
  /** Loading a worker is not a turn's time: the watchdog starts once the worker says it is ready. */
  ready: boolean;
  /** The regex a turn is testing right now, if the last word from the worker was that it started one. */
  evaluating: { id: number; what: string } | null;
}

export interface TurnPoolOptions {
  budgetMs?: number;
  /** Most workers at once; default 2 to 4, with the machine's cores. */
  size?: number;
  log?: (line: string) => void;
  /** Told when a worker starts testing one of a flow's regexes (what, as errors name it): a turn is then under way in that worker, not queued. */
  onEvaluating?: (what: string) => void;
}

export class TurnPool {
  readonly budgetMs: number;
  private readonly size: number;
  private readonly workers: PoolWorker[] = [];
  private readonly modelKeys = new WeakMap<FlowModel, number>();
  private nextModelKey = 1;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: TurnPoolOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_TURN_TIMEOUT_MS;
    this.size = options.size ?? Math.max(2, Math.min(4, availableParallelism()));
  }

  /** The greeting (snapshot null) or one turn; the snapshot in the answer is where it goes on from. */
  run(model: FlowModel, snapshot: ConversationSnapshot | null, input: UserInput | null, options: TurnOptions, extras: TurnExtras = {}): Promise<TurnAnswer> {
    if (this.closed) {
      return Promise.reject(new Error('the sandbox is shutting down'));
    }
    let modelKey = this.modelKeys.get(model);
    if (modelKey === undefined) {
      modelKey = this.nextModelKey++;
      this.modelKeys.set(model, modelKey);
    }
    const request: TurnRequest = { id: this.nextId++, modelKey, snapshot, input, options, traceTurn: extras.traceTurn ?? null, start: extras.start ?? null };
    const state = snapshot?.current ?? extras.start?.state ?? model.initialState;
    return new Promise<TurnAnswer>((resolve, reject) => {
      const target = this.pick();
      target.pending.set(request.id, { request, model, state, resolve, reject });
      // A turn under way keeps the process alive (a CLI with no server waits for it); an idle pool does not.
      target.worker.ref();
      this.send(target, request, model);
      this.watch(target);
    });
  }

  private watch(entry: PoolWorker): void {
    if (entry.ready && entry.pending.size > 0) {
      entry.watchdog ??= setTimeout(() => this.stopStuck(entry), this.budgetMs);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopping = this.workers.splice(0);
    for (const entry of stopping) {
      this.fail(entry, () => new Error('the sandbox stopped before the turn finished'));
    }
    await Promise.all(stopping.map((entry) => entry.worker.terminate()));
  }

  /** An idle worker, else a new one while there is room, else the least busy. */
  private pick(): PoolWorker {
    // Two from the start, so that a second session never waits for a worker to load.
    while (this.workers.length < Math.min(2, this.size)) {
      this.spawn();
    }
    const idle = this.workers.find((entry) => entry.pending.size === 0);
    if (idle) {
      return idle;
    }
    if (this.workers.length < this.size) {
      return this.spawn();
    }
    return this.workers.reduce((best, entry) => (entry.pending.size < best.pending.size ? entry : best));
  }

  private send(target: PoolWorker, request: TurnRequest, model: FlowModel): void {
    const withModel = !target.sentModels.has(request.modelKey);
    target.sentModels.add(request.modelKey);
    target.worker.postMessage(withModel ? { ...request, model } : request);
  }

  private spawn(): PoolWorker {
    const data: TurnWorkerData = { beatMs: Math.max(10, Math.floor(this.budgetMs / 4)) };
    const worker = startSandboxWorker('sandbox-turns.js', 'turnWorker.ts', { workerData: data, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    const entry: PoolWorker = { worker, pending: new Map(), sentModels: new Set(), watchdog: null, ready: false, evaluating: null };
    worker.on('message', (message: WorkerMessage) => this.receive(entry, message));
    worker.on('error', (error) => {
      this.options.log?.(`a turn worker failed: ${error.message}`);
      this.retire(entry, () => new Error(`the sandbox's turn worker failed (${error.message})`));
    });
    worker.on('exit', (code) => {
      this.retire(entry, () => new Error(`the sandbox's turn worker stopped (exit code ${code})`));
    });
    // An idle pool must not keep a CLI or a test process alive.
    worker.unref();
    this.workers.push(entry);
    return entry;
  }

  private receive(entry: PoolWorker, message: WorkerMessage): void {
    entry.watchdog?.refresh();
    switch (message.type) {
      case 'ready':
        entry.ready = true;
        this.watch(entry);
        return;
      case 'beat':
        entry.evaluating = null;
        return;
      case 'evaluating':
        entry.evaluating = { id: message.id, what: message.what };
        this.options.onEvaluating?.(message.what);
        return;
      case 'evaluated':
        entry.evaluating = null;
        return;
      case 'missing-model': {
        const pending = entry.pending.get(message.id);
        if (pending) {
          entry.worker.postMessage({ ...pending.request, model: pending.model });
        }
        return;
      }
      case 'done':
      case 'failed': {
        const pending = entry.pending.get(message.id);
        entry.pending.delete(message.id);
        if (entry.pending.size === 0) {
          entry.worker.unref();
          if (entry.watchdog) {
            clearTimeout(entry.watchdog);
            entry.watchdog = null;
          }
        }
        if (!pending) {
          return;
        }
        if (message.type === 'done') {
          pending.resolve(message.answer);
        } else {
          pending.reject(new Error(message.message));
        }
      }
    }
  }

  private stopStuck(entry: PoolWorker): void {
    const culpritId = entry.evaluating?.id ?? (entry.pending.size === 1 ? [...entry.pending.keys()][0] : undefined);
    const doing = entry.evaluating?.what ?? null;
    this.options.log?.(`stopped a turn worker silent for ${this.budgetMs} ms${doing ? ` in ${doing}` : ''}`);
    this.retire(entry, (pending) => {
      const culprit = culpritId === undefined || pending.request.id === culpritId;
      return new TurnStoppedError(pending.state, this.budgetMs, culprit ? doing : null, culprit);
    });
    void entry.worker.terminate();
  }

  /** Takes the worker out of the pool and fails its turns; the next turn spawns a fresh one. */
  private retire(entry: PoolWorker, errorFor: (pending: Pending) => Error): void {
    const index = this.workers.indexOf(entry);
    if (index !== -1) {
      this.workers.splice(index, 1);
    }
    this.fail(entry, errorFor);
  }

  private fail(entry: PoolWorker, errorFor: (pending: Pending) => Error): void {
    if (entry.watchdog) {
      clearTimeout(entry.watchdog);
      entry.watchdog = null;
    }
    const pending = [...entry.pending.values()];
    entry.pending.clear();
    for (const turn of pending) {
      turn.reject(errorFor(turn));
    }
  }
}
