// A worker thread that runs sessions' turns for the sandbox. It holds no session: each turn comes
// with the conversation's snapshot and goes back with the next one, so the pool can stop (terminate)
// a worker stuck in a flow's regex, condition or template without losing any session.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { setCapped } from '../flow/cappedCache.js';
import { Conversation } from '../flow/engine.js';
import type { FlowModel } from '../flow/flowTypes.js';
import { describeCall } from '../flow/mocks.js';
import type { MockedCall } from '../flow/mocks.js';
import { buildTurnTrace } from '../flow/turnTrace.js';
import { conversationOptions } from './turnOptions.js';
import type { TurnRequest, TurnWorkerData, WorkerMessage } from './turnProtocol.js';

/** Flow models kept per worker; a forgotten one is asked for again. */
const MODELS_KEPT = 64;

function serveTurns(port: MessagePort, data: TurnWorkerData): void {
  const post = (message: WorkerMessage): void => port.postMessage(message);
  const models = new Map<number, FlowModel>();
  const turnOf = new AsyncLocalStorage<number>();

  /** A flow's regex trigger that says which turn runs it and what it is, before it runs. */
  class AnnouncedRegExp extends RegExp {
    // split(), matchAll() and replace() build copies through the species: plain ones will do.
    static override get [Symbol.species](): RegExpConstructor {
      return RegExp;
    }

    constructor(
      pattern: RegExp,
      private readonly what: string,
    ) {
      super(pattern.source, pattern.flags);
    }

    override exec(text: string): RegExpExecArray | null {
      const id = turnOf.getStore();
      if (id === undefined) {
        return super.exec(text);
      }
      post({ type: 'evaluating', id, what: this.what });
      const result = super.exec(text);
      post({ type: 'evaluated', id });
      return result;
    }
  }

  function keep(key: number, model: FlowModel): FlowModel {
    for (const state of model.states.values()) {
      for (const rule of state.transitions.regex) {
        rule.pattern = new AnnouncedRegExp(rule.pattern, `the regex trigger '${rule.key}' of state '${state.name}'`);
      }
    }
    setCapped(models, key, model, MODELS_KEPT);
    return model;
  }

  let inFlight = 0;
  let beat: NodeJS.Timeout | undefined;

  async function run(request: TurnRequest, model: FlowModel): Promise<void> {
    const unmocked: MockedCall[] = [];
    const options = conversationOptions(request.options, model, unmocked);
    if (request.start) {
      options.variables = request.start.variables;
    }
    const conversation = request.snapshot ? Conversation.resume(model, request.snapshot, options) : new Conversation(model, options);
    // Copied before the turn changes them: the trace shows what the turn began with.
    const before = request.traceTurn === null ? null : structuredClone(conversation.variables);
    try {
      const turn = await turnOf.run(request.id, () => (request.input ? conversation.handle(request.input) : conversation.start(request.start?.state)));
      const first = unmocked[0];
      if (request.options.mocks?.strict && first) {
        throw new Error(`strict_mocks: no mock answers ${describeCall(first)}`);
      }
      const snapshot = conversation.snapshot();
      const trace =
        before === null || request.traceTurn === null
          ? undefined
          : buildTurnTrace({ turn: request.traceTurn, from: request.snapshot?.current ?? null, to: turn.current_state, events: turn.trace, before, after: snapshot.variables });
      post({
        type: 'done',
        id: request.id,
        answer: { messages: turn.messages, current_state: turn.current_state, snapshot, ...(trace === undefined ? {} : { trace }) },
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      post({ type: 'failed', id: request.id, name: failure.name, message: failure.message });
    }
  }

  port.on('message', (request: TurnRequest) => {
    const model = request.model ? keep(request.modelKey, request.model) : models.get(request.modelKey);
    if (!model) {
      post({ type: 'missing-model', id: request.id });
      return;
    }
    inFlight += 1;
    // The beat only goes out while the event loop is free: its silence is how the pool sees a stuck turn.
    beat ??= setInterval(() => post({ type: 'beat' }), data.beatMs);
    void run(request, model).finally(() => {
      inFlight -= 1;
      if (inFlight === 0) {
        clearInterval(beat);
        beat = undefined;
      }
    });
  });
  post({ type: 'ready' });
}

if (!isMainThread && parentPort) {
  serveTurns(parentPort, workerData as TurnWorkerData);
}
