// Runs one conversation through a flow, without any server: the sandbox's HTTP API, live previews
// and a conversation test runner all drive this class. The rules are in the README, "Flow semantics in the sandbox".
import type { FlowIssue } from '../sarufi/types.js';
import type { KnownMessage } from './botMessages.js';
import { DEFAULT_API_TIMEOUT_MS, performApiCall } from './apiCall.js';
import { boundedFetch } from './boundedFetch.js';
import type { ApiCallContext, ApiCallRequestRecord, ApiCallResponseRecord } from './apiCall.js';
import { evaluateCondition } from './condition.js';
import { CANCEL_INTENT } from './flowReader.js';
import type { ActionModel, ApiCallAction, FlowModel, IntegrationConfig, PlacedMessage, StateModel } from './flowTypes.js';
import { bestIntent, intentScore } from './intentMatching.js';
import { agentReply, DEFAULT_LLM_TIMEOUT_MS } from './llmAgent.js';
import type { LlmEndpoint } from './llmAgent.js';
import { clickedChoice, matchTransition } from './matching.js';
import type { InputTrigger } from './matching.js';
import { choicesOf } from './botMessages.js';
import { renderMessage } from './messages.js';
import { renderTemplate } from './template.js';
import type { Variables } from './template.js';
import { analyzeFlow, MAX_AUTOMATIC_MOVES } from './validator.js';
import { childPath } from './flowPaths.js';

export const DEFAULT_CONTACT_NAME = 'Sandbox user';

export interface ConversationOptions {
  /** The built-in `contact_name` and the X-Sarufi-User-Name header. */
  contactName?: string;
  /** The X-Sarufi-User-Id header; the HTTP sandbox uses the session id. */
  userId?: string;
  chatbotId?: string;
  /** Default "api", like every Chat API session. */
  channel?: string;
  /** The X-Sarufi-Language header (the sandbox's own); none when unset. */
  language?: string;
  /** Defaults to the flow's `name`. */
  flowName?: string;
  /** Added to (and overriding) the flow's own `integrations`. */
  integrations?: Record<string, IntegrationConfig>;
  fetch?: typeof fetch;
  /** For API_CALLs without `timeout_ms`. Default 10 s. */
  apiTimeoutMs?: number;
  /** The loop guard for `always` and action transitions within one turn. Default 25. */
  maxAutomaticMoves?: number;
  /** Variables the conversation starts with. */
  variables?: Variables;
  /** The chat-completions endpoint LLM_AGENT asks; without one it answers with a labelled stand-in. */
  llm?: LlmEndpoint | null;
  /** For LLM_AGENT's endpoint. Default 60 s. */
  llmTimeoutMs?: number;
  /** Called before each step of a turn and awaited (a debugger pauses here); without one, steps cost nothing. */
  onStep?: StepHook;
}

/**
 * One step of a turn, before it happens, for a debugger. `path` is where the step sits in the
 * flow file (`states.menu`, `states.menu.actions[0]`, `states.menu.transitions.buttons.order`),
 * which is how breakpoints name what they stop on.
 */
export type FlowStep =
  | { kind: 'input'; state: string; path: string; input: UserInput }
  | { kind: 'enter'; state: string; path: string }
  | { kind: 'action'; state: string; path: string; action: ActionModel }
  | ({ kind: 'transition'; state: string; path: string | null; from: string; to: string; trigger: TransitionTrigger } & TriggerDetail)
  | { kind: 'api_request'; state: string; path: string; method: string; url: string; headers: Record<string, string>; body: unknown }
  | { kind: 'api_response'; state: string; path: string; ok: boolean; status: number | null; error: string | null; body: unknown }
  | { kind: 'messages'; state: string; path: string; messages: KnownMessage[]; sources: KnownMessage[] }
  | { kind: 'no_match'; state: string; path: string; input: string }
  | { kind: 'turn_end'; state: string; path: string };

export type StepHook = (step: FlowStep) => void | Promise<void>;

export interface UserInput {
  message: string;
  button_id?: string | null;
}

export type TransitionTrigger = InputTrigger | 'cancel_intent' | 'always' | 'condition' | 'api_success' | 'api_failure' | 'api_fired';

/** Why a transition was taken, beyond its trigger's kind; each field only where it applies. */
export interface TriggerDetail {
  /** The button id, keyword key, regex key or intent name that matched; a CONDITION's expression. */
  key?: string;
  /** A keyword's or regex's pattern (RegExp source) that matched the text. */
  pattern?: string;
  /** An intent's similarity to its closest example, 0 to 1. */
  score?: number;
  /** A CONDITION's value. */
  value?: boolean;
  /** The HTTP status behind api_success / api_failure; null when no answer came. */
  status?: number | null;
}

/** What happened during a turn, for previews and test runners that show why a bot answered so. */
export type TraceEvent =
  | { type: 'enter'; state: string }
  | ({ type: 'transition'; from: string; to: string; trigger: TransitionTrigger } & TriggerDetail)
  | { type: 'no_match'; state: string; input: string }
  | { type: 'variable'; name: string; value: unknown }
  | {
      type: 'api_call';
      state: string;
      method: string;
      url: string;
      status: number | null;
      ok: boolean | null;
      error: string | null;
      durationMs: number;
      fireAndForget: boolean;
      /** What was sent (secrets still in: turnTrace.ts masks them); null when nothing could be. */
      request: ApiCallRequestRecord | null;
      /** What came back, bounded; null without an answer, and for fire_and_forget, which is not awaited. */
      response: ApiCallResponseRecord | null;
      /** Answered by a mock set, not the network; null for fire_and_forget (its answer is not awaited). */
      mocked: boolean | null;
    }
  | { type: 'condition'; state: string; expression: string; result: boolean }
  | { type: 'llm_agent'; state: string; model: string | null }
  | { type: 'loop_guard'; state: string; moves: number };

export interface TurnResult {
  messages: KnownMessage[];
  current_state: string;
  trace: TraceEvent[];
}

export class FlowError extends Error {
  constructor(readonly errors: FlowIssue[]) {
    const first = errors[0];
    super(
      `The flow has ${errors.length} error${errors.length === 1 ? '' : 's'}` +
        (first ? `, first: ${first.path || '(top level)'}: ${first.message}` : '.'),
    );
    this.name = 'FlowError';
  }
}

/** Where a conversation stands between turns, as plain data: the sandbox runs each turn in a
 * worker it may have to stop, so a session's state lives outside the worker. */
export interface ConversationSnapshot {
  current: string;
  started: boolean;
  lastInput: string;
  variables: Variables;
}

interface Turn {
  messages: KnownMessage[];
  trace: TraceEvent[];
}

interface Move extends TriggerDetail {
  to: string;
  trigger: TransitionTrigger;
  /** The field of an action that named the target (a CONDITION's `then`), for the debugger. */
  path?: string;
}

/** Where the transition a state took is written, for breakpoints on transitions; null for the cancel intent. */
function transitionPath(state: StateModel, trigger: TransitionTrigger, key: string | undefined): string | null {
  const transitions = childPath(state.path, 'transitions');
  switch (trigger) {
    case 'button':
      return childPath(childPath(transitions, 'buttons'), key ?? '');
    case 'keyword':
      return childPath(childPath(transitions, 'keywords'), key ?? '');
    case 'regex':
      return childPath(childPath(transitions, 'regex'), key ?? '');
    case 'intent':
      return childPath(childPath(transitions, 'intents'), key ?? '');
    case 'always':
      return childPath(transitions, 'always');
    case 'default':
    case 'api_fired':
    case 'api_success':
    case 'api_failure':
    case 'condition':
      return childPath(transitions, 'default');
    case 'cancel_intent':
      return null;
  }
}

export class Conversation {
  private current: string;
  private started = false;
  private lastInput = '';
  private readonly vars: Variables;
  private readonly pending = new Set<Promise<unknown>>();
  /** Turns run one at a time even when a caller does not wait (API calls make them async). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly onStep: StepHook | undefined;

  constructor(
    readonly model: FlowModel,
    private readonly options: ConversationOptions = {},
  ) {
    this.current = model.initialState;
    this.onStep = options.onStep;
    this.vars = { ...options.variables, contact_name: options.contactName ?? DEFAULT_CONTACT_NAME };
  }

  /** A conversation that goes on from `snapshot`, as if it had run its turns here. */
  static resume(model: FlowModel, snapshot: ConversationSnapshot, options: ConversationOptions = {}): Conversation {
    const conversation = new Conversation(model, options);
    conversation.current = snapshot.current;
    conversation.started = snapshot.started;
    conversation.lastInput = snapshot.lastInput;
    // Defined, not assigned: a variable named `__proto__` (a session request may start with one) stays a variable.
    for (const [name, value] of Object.entries(snapshot.variables)) {
      Object.defineProperty(conversation.vars, name, { value, writable: true, enumerable: true, configurable: true });
    }
    return conversation;
  }

  snapshot(): ConversationSnapshot {
    return {
      current: this.current,
      started: this.started,
      lastInput: this.lastInput,
      variables: structuredClone(this.vars),
    };
  }

  get currentState(): string {
    return this.current;
  }

  get variables(): Readonly<Variables> {
    return this.vars;
  }

  /** Sets a variable, or a field inside one (`order, items, 0`): a debugger's Set Value, seen by the next steps. */
  setVariable(steps: readonly string[], value: unknown): void {
    const [first, ...rest] = steps;
    if (first === undefined) {
      throw new Error('Name the variable to set.');
    }
    if (rest.length === 0) {
      this.vars[first] = value;
      return;
    }
    let container: unknown = this.vars[first];
    for (const [index, step] of rest.entries()) {
      if (typeof container !== 'object' || container === null) {
        throw new Error(`'${[first, ...rest.slice(0, index)].join('.')}' is not an object or a list.`);
      }
      if (index === rest.length - 1) {
        (container as Record<string, unknown>)[step] = value;
        return;
      }
      container = (container as Record<string, unknown>)[step];
    }
  }

  /** The initial state's messages (the greeting); or those of `state`, entered as a greeting would. */
  start(state: string = this.model.initialState): Promise<TurnResult> {
    return this.enqueue(async (turn) => {
      if (this.started) {
        throw new Error('The conversation has already started.');
      }
      this.started = true;
      await this.enter(state, turn);
    });
  }

  handle(input: UserInput): Promise<TurnResult> {
    return this.enqueue(async (turn) => {
      if (!this.started) {
        throw new Error('Call start() before handle().');
      }
      const state = this.stateNamed(this.current);
      if (this.onStep) {
        await this.onStep({ kind: 'input', state: state.name, path: state.path, input });
      }
      this.lastInput = input.message;
      const offered = this.offeredChoices(state);
      const clicked = clickedChoice(offered, input.message, input.button_id);
      // A click with no text saves the title the user saw, as a typed answer would.
      const answer = input.message !== '' ? input.message : (offered.find((choice) => choice.id === clicked)?.title ?? clicked ?? '');
      // The user guide: "The variable name is always the state name." save_input_as is the sandbox's own extra name.
      for (const name of state.saveInputAs === null ? [state.name] : [state.name, state.saveInputAs]) {
        this.vars[name] = answer;
        turn.trace.push({ type: 'variable', name, value: answer });
      }
      const match = (clicked === null ? this.cancelMatch(input.message) : null) ?? matchTransition(state.transitions, input.message, clicked, this.model.intents);
      if (!match) {
        // No way on (also in a state with no way out at all): ask again, without running the state's actions a second time.
        turn.trace.push({ type: 'no_match', state: state.name, input: input.message });
        if (this.onStep) {
          await this.onStep({ kind: 'no_match', state: state.name, path: state.path, input: input.message });
        }
        await this.send(state, state.messages, turn);
        return;
      }
      const { to, trigger, ...detail } = match;
      if (this.onStep) {
        await this.onStep({ kind: 'transition', state: state.name, path: transitionPath(state, trigger, detail.key), from: state.name, to, trigger, ...detail });
      }
      turn.trace.push({ type: 'transition', from: state.name, to, trigger, ...detail });
      await this.enter(to, turn);
    });
  }

  /**
   * The user guide's `cancel` intent abandons the flow from any state, when the flow has a
   * `cancel` state. Only when no other intent is more similar: "track my order" shares two words
   * with "cancel my order", and must not cancel a flow that has a `track` intent.
   */
  private cancelMatch(message: string): { to: string; trigger: 'cancel_intent'; key: string; score: number } | null {
    const intents = this.model.intents;
    if (!intents.has(CANCEL_INTENT) || !this.model.states.has(CANCEL_INTENT)) {
      return null;
    }
    const others = [...intents.keys()].filter((name) => name !== CANCEL_INTENT);
    return bestIntent([CANCEL_INTENT, ...others], intents, message) === CANCEL_INTENT
      ? { to: CANCEL_INTENT, trigger: 'cancel_intent', key: CANCEL_INTENT, score: intentScore(intents.get(CANCEL_INTENT) ?? [], message) }
      : null;
  }

  /** Resolves when every fire_and_forget API call has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.allSettled([...this.pending]);
    }
  }

  private enqueue(work: (turn: Turn) => Promise<void>): Promise<TurnResult> {
    const run = this.queue.then(async () => {
      const turn: Turn = { messages: [], trace: [] };
      await work(turn);
      if (this.onStep) {
        await this.onStep({ kind: 'turn_end', state: this.current, path: this.stateNamed(this.current).path });
      }
      return { messages: turn.messages, current_state: this.current, trace: turn.trace };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private stateNamed(name: string): StateModel {
    const state = this.model.states.get(name);
    if (!state) {
      // Validation rejects unknown targets, so this means a model built by hand.
      throw new Error(`Unknown state '${name}'.`);
    }
    return state;
  }

  private offeredChoices(state: StateModel): { id: string; title: string }[] {
    const messages = [
      ...state.messages.map(({ message }) => message),
      ...state.actions.flatMap((action) => (action.type === 'SEND_MESSAGE' ? action.messages.map(({ message }) => message) : [])),
    ];
    return messages.flatMap((message) => choicesOf(renderMessage(message, this.vars)));
  }

  /** Enters a state and follows `always` and action transitions until the flow waits for the user. */
  private async enter(name: string, turn: Turn): Promise<void> {
    const limit = this.options.maxAutomaticMoves ?? MAX_AUTOMATIC_MOVES;
    let next = name;
    for (let moves = 0; ; moves += 1) {
      const state = this.stateNamed(next);
      this.current = state.name;
      turn.trace.push({ type: 'enter', state: state.name });
      if (this.onStep) {
        await this.onStep({ kind: 'enter', state: state.name, path: state.path });
      }
      const routed = await this.runActions(state, turn);
      await this.send(state, state.messages, turn);
      const move: Move | null = routed ?? (state.transitions.always === null ? null : { to: state.transitions.always, trigger: 'always' });
      if (move === null) {
        return;
      }
      if (moves >= limit) {
        turn.trace.push({ type: 'loop_guard', state: state.name, moves });
        turn.messages.push({
          type: 'text',
          text: `[Sandbox] Stopped after ${limit} automatic moves without waiting for the user (in state '${state.name}'): check the flow for a loop of 'always' or action transitions.`,
        });
        return;
      }
      const { to, path, ...detail } = move;
      if (this.onStep) {
        await this.onStep({ kind: 'transition', state: state.name, path: path ?? transitionPath(state, detail.trigger, detail.key), from: state.name, to, ...detail });
      }
      turn.trace.push({ type: 'transition', from: state.name, to, ...detail });
      next = to;
    }
  }

  /** Renders messages into the turn: the bot sends them now. */
  private async send(state: StateModel, placed: readonly PlacedMessage[], turn: Turn, path: string = state.path): Promise<void> {
    const messages = placed.map(({ message }) => renderMessage(message, this.vars));
    if (this.onStep && messages.length > 0) {
      await this.onStep({ kind: 'messages', state: state.name, path, messages, sources: placed.map(({ message }) => message) });
    }
    turn.messages.push(...messages);
  }

  /** Runs the state's actions in order; the first one that routes stops the rest. */
  private async runActions(state: StateModel, turn: Turn): Promise<Move | null> {
    for (const action of state.actions) {
      if (this.onStep) {
        await this.onStep({ kind: 'action', state: state.name, path: action.path, action });
      }
      switch (action.type) {
        case 'SEND_MESSAGE':
          await this.send(state, action.messages, turn, action.path);
          break;
        case 'LLM_AGENT': {
          const endpoint = this.options.llm ?? null;
          turn.trace.push({ type: 'llm_agent', state: state.name, model: endpoint?.model ?? null });
          const text = await agentReply(action, this.lastInput, {
            endpoint,
            fetch: this.options.fetch ?? boundedFetch,
            timeoutMs: this.options.llmTimeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
          });
          turn.messages.push({ type: 'text', text });
          break;
        }
        case 'CONDITION': {
          const result = evaluateCondition(action.expression, this.vars);
          turn.trace.push({ type: 'condition', state: state.name, expression: action.source, result });
          const target = result ? action.then : action.else;
          if (target !== null) {
            return { to: target, trigger: 'condition', key: action.source, value: result, path: childPath(action.path, result ? 'then' : 'else') };
          }
          break;
        }
        case 'API_CALL': {
          const move = await this.runApiCall(action, state, turn);
          if (move !== null) {
            return move;
          }
          break;
        }
      }
    }
    return null;
  }

  /**
   * api-call.mdx: 2xx → success_transition, else failure_transition; "both are optional: omitting
   * them falls back to the state's default transition". fire_and_forget "transitions immediately".
   */
  private async runApiCall(action: ApiCallAction, state: StateModel, turn: Turn): Promise<Move | null> {
    const context = this.apiContext(state, action);
    if (action.fireAndForget) {
      // Not awaited, and its outcome (an error too) is dropped: only idle() waits for it.
      const call = performApiCall(action, context).finally(() => this.pending.delete(call));
      this.pending.add(call);
      turn.trace.push({
        type: 'api_call',
        state: state.name,
        method: action.method,
        url: action.target.kind === 'url' ? renderTemplate(action.target.url, this.vars) : `${action.target.integration}:${renderTemplate(action.target.path, this.vars)}`,
        status: null,
        ok: null,
        error: null,
        durationMs: 0,
        fireAndForget: true,
        request: null,
        response: null,
        mocked: null,
      });
      return state.transitions.default === null ? null : { to: state.transitions.default, trigger: 'api_fired' };
    }
    const outcome = await performApiCall(action, context);
    if (this.onStep) {
      await this.onStep({ kind: 'api_response', state: state.name, path: action.path, ok: outcome.ok, status: outcome.status, error: outcome.error, body: outcome.body });
    }
    turn.trace.push({
      type: 'api_call',
      state: state.name,
      method: outcome.method,
      url: outcome.url,
      status: outcome.status,
      ok: outcome.ok,
      error: outcome.error,
      durationMs: outcome.durationMs,
      fireAndForget: false,
      request: outcome.request,
      response: outcome.response,
      mocked: outcome.mocked,
    });
    this.vars.response = outcome.body;
    if (outcome.ok && action.saveTo !== null) {
      this.vars[action.saveTo] = outcome.body;
    }
    const field = outcome.ok ? action.successTransition : action.failureTransition;
    const target = field ?? state.transitions.default;
    const path = field === null ? undefined : childPath(action.path, outcome.ok ? 'success_transition' : 'failure_transition');
    return target === null ? null : { to: target, trigger: outcome.ok ? 'api_success' : 'api_failure', status: outcome.status, ...(path === undefined ? {} : { path }) };
  }

  private apiContext(state: StateModel, action: ApiCallAction): ApiCallContext {
    const options = this.options;
    const fetcher = options.fetch ?? boundedFetch;
    const onStep = this.onStep;
    return {
      variables: this.vars,
      lastInput: this.lastInput,
      state: state.name,
      flowName: options.flowName ?? this.model.name ?? '',
      chatbotId: options.chatbotId ?? '',
      userId: options.userId ?? 'sandbox-user',
      userName: options.contactName ?? DEFAULT_CONTACT_NAME,
      channel: options.channel ?? 'api',
      ...(options.language === undefined ? {} : { language: options.language }),
      integrations: { ...this.model.integrations, ...options.integrations },
      // With a debugger, the request stops here rendered, exactly as it is about to go out.
      fetch: onStep && !action.fireAndForget ? (async (url, init) => {
        const headers: Record<string, string> = {};
        new Headers(init?.headers).forEach((value, name) => {
          headers[name] = value;
        });
        const body = typeof init?.body === 'string' ? parseBodyText(init.body) : null;
        await onStep({ kind: 'api_request', state: state.name, path: action.path, method: init?.method ?? 'GET', url: String(url), headers, body });
        return fetcher(url, init);
      }) as typeof fetch : fetcher,
      defaultTimeoutMs: options.apiTimeoutMs ?? DEFAULT_API_TIMEOUT_MS,
    };
  }
}

function parseBodyText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Reads and checks a flow definition; throws FlowError when it has errors. */
export function createConversation(definition: unknown, options: ConversationOptions = {}): Conversation {
  const { model, errors } = analyzeFlow(definition);
  if (!model || errors.length > 0) {
    throw new FlowError(errors);
  }
  return new Conversation(model, options);
}
