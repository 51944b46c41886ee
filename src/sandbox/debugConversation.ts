// One conversation under the debugger, run in a worker thread of its own (debugWorker.ts) under the
// sandbox's turn budget: the worker beats while a turn runs, and a turn silent past the budget (a
// regex that backtracks without end) is stopped by terminating the worker, as the turn pool does.
// Time spent stopped at a breakpoint is the author's, not the turn's: the watchdog sleeps then.
import type { ConversationSnapshot, UserInput } from '../flow/engine.js';
import type { DebugStop, StepMode } from '../flow/debugRuntime.js';
import type { KnownMessage } from '../flow/botMessages.js';
import type { FlowModel } from '../flow/flowTypes.js';
import type { Variables } from '../flow/template.js';
import type { Worker } from 'node:worker_threads';
import type { DebugCall, DebugTurnAnswer, DebugWorkerData, DebugWorkerMessage, RuntimeArgs, RuntimeMethod, RuntimeResult } from './debugProtocol.js';
import { DEFAULT_TURN_TIMEOUT_MS } from './turnBudget.js';
import type { TurnOptions } from './turnProtocol.js';
import { startSandboxWorker } from './workerThreads.js';

/** The heap the worker may use, as the turn pool's. */
const WORKER_HEAP_MB = 256;

export interface DebugConversationEvents {
  stopped(stop: DebugStop): void;
  output(text: string): void;
  sent(messages: KnownMessage[]): void;
  /** A turn ran past its budget and was stopped; the conversation goes on from before that turn. */
  budgetStopped(message: string): void;
}

export interface DebugConversationOptions {
  model: FlowModel;
  options: TurnOptions;
  variables?: Variables;
  budgetMs?: number;
  events: DebugConversationEvents;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class DebugConversation {
  readonly budgetMs: number;
  private worker!: Worker;
  private ready = false;
  private readonly calls = new Map<number, PendingCall>();
  private nextId = 1;
  private turnsInFlight = 0;
  private paused = false;
  private watchdog: NodeJS.Timeout | null = null;
  private snapshot: ConversationSnapshot | null = null;
  /** What a new worker is told again after a stopped one: the breakpoints and filters stay armed. */
  private armed: { breakpoints: RuntimeArgs<'setBreakpoints'> | null; filters: RuntimeArgs<'setExceptionFilters'> | null } = { breakpoints: null, filters: null };
  private state: string;
  private closed = false;

  constructor(private readonly config: DebugConversationOptions) {
    this.budgetMs = config.budgetMs ?? DEFAULT_TURN_TIMEOUT_MS;
    this.state = config.model.initialState;
    this.spawn();
  }

  /** The greeting; `startAt` enters another state first, `stopOnEntry` stops before its first step. */
  start(options: RuntimeArgs<'start'>[0] = {}): Promise<DebugTurnAnswer> {
    return this.turn('start', [options]);
  }

  send(input: UserInput): Promise<DebugTurnAnswer> {
    return this.turn('send', [input]);
  }

  resume(mode: StepMode): Promise<void> {
    this.paused = false;
    this.watch();
    return this.call('resume', mode);
  }

  setBreakpoints(...args: RuntimeArgs<'setBreakpoints'>): Promise<RuntimeResult<'setBreakpoints'>> {
    this.armed.breakpoints = args;
    return this.call('setBreakpoints', ...args);
  }

  setExceptionFilters(...args: RuntimeArgs<'setExceptionFilters'>): Promise<void> {
    this.armed.filters = args;
    return this.call('setExceptionFilters', ...args);
  }

  restartFrom(turn: number): Promise<void> {
    this.paused = false;
    return this.call('restartFrom', turn);
  }

  /** Any other method of the runtime (frames, scopes, evaluate, setVariable, pause), answered by the worker. */
  call<M extends RuntimeMethod>(method: M, ...args: RuntimeArgs<M>): Promise<RuntimeResult<M>> {
    if (this.closed) {
      return Promise.reject(new Error('The debug session has ended.'));
    }
    const id = this.nextId++;
    return new Promise<RuntimeResult<M>>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const message: DebugCall = { id, method, args };
      this.worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sleep();
    this.failCalls(() => new Error('The debug session has ended.'));
    await this.worker.terminate();
  }

  private async turn(method: 'start' | 'send', args: unknown[]): Promise<DebugTurnAnswer> {
    this.turnsInFlight += 1;
    this.watch();
    try {
      const answer = (await this.call(method, ...(args as RuntimeArgs<typeof method>))) as unknown as DebugTurnAnswer;
      this.snapshot = answer.snapshot;
      this.state = answer.current_state;
      return answer;
    } finally {
      this.turnsInFlight -= 1;
      if (this.turnsInFlight === 0) {
        this.sleep();
      }
    }
  }

  private spawn(): void {
    const data: DebugWorkerData = { model: this.config.model, options: this.config.options, snapshot: this.snapshot, variables: this.config.variables ?? {}, beatMs: Math.max(10, Math.floor(this.budgetMs / 4)) };
    const worker = startSandboxWorker('sandbox-debug.js', 'debugWorker.ts', { workerData: data, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    this.worker = worker;
    this.ready = false;
    worker.on('message', (message: DebugWorkerMessage) => this.receive(message));
    worker.on('error', (error) => {
      if (this.worker === worker) {
        this.failCalls(() => new Error(`The debugged conversation's worker failed: ${error.message}`));
      }
    });
    // The adapter's process must be able to end while a conversation waits for the user.
    worker.unref();
    for (const [method, args] of [
      ['setBreakpoints', this.armed.breakpoints],
      ['setExceptionFilters', this.armed.filters],
    ] as const) {
      if (args !== null) {
        const message: DebugCall = { id: this.nextId++, method, args };
        worker.postMessage(message);
      }
    }
  }

  private receive(message: DebugWorkerMessage): void {
    this.watchdog?.refresh();
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.watch();
        return;
      case 'beat':
        return;
      case 'stopped':
        this.paused = true;
        this.sleep();
        this.config.events.stopped(message.stop);
        return;
      case 'output':
        this.config.events.output(message.text);
        return;
      case 'sent':
        this.config.events.sent(message.messages);
        return;
      case 'reply': {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        if (!call) {
          return;
        }
        if (message.ok) {
          call.resolve(message.value);
        } else {
          const error = new Error(message.message);
          error.name = message.name;
          call.reject(error);
        }
      }
    }
  }

  private watch(): void {
    if (this.ready && this.turnsInFlight > 0 && !this.paused && !this.closed) {
      this.watchdog ??= setTimeout(() => this.stopStuckTurn(), this.budgetMs);
    }
  }

  private sleep(): void {
    if (this.watchdog) {
      clearTimeout(this.watchdog);
      this.watchdog = null;
    }
  }

  private stopStuckTurn(): void {
    this.watchdog = null;
    const stuck = this.worker;
    const message = `The turn ran past its ${this.budgetMs} ms budget in state '${this.state}' (its triggers, conditions or templates) and was stopped (setting sarufi.sandbox.turnTimeoutMs). The conversation is still open, in state '${this.snapshot?.current ?? this.state}' as before that turn.`;
    this.failCalls(() => Object.assign(new Error(message), { name: 'TurnStoppedError' }));
    void stuck.terminate();
    this.paused = false;
    this.spawn();
    this.config.events.budgetStopped(message);
  }

  private failCalls(errorFor: () => Error): void {
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const call of calls) {
      call.reject(errorFor());
    }
  }
}
