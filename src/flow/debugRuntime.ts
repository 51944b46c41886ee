// A conversation under a debugger: the engine's step hooks decide here whether to stop (breakpoints
// by path, their conditions, hit counts and logpoints, exception filters, stepping, pause), and a
// stopped step waits until the debugger resumes it. Pure: the sandbox's debug worker hosts it and
// relays its stops; nothing here knows the Debug Adapter Protocol.
import type { KnownMessage } from './botMessages.js';
import { evaluateCondition, parseCondition } from './condition.js';
import type { ConditionExpr } from './condition.js';
import { Conversation } from './engine.js';
import type { ConversationOptions, ConversationSnapshot, FlowStep, TurnResult, UserInput } from './engine.js';
import type { ActionModel, FlowModel } from './flowTypes.js';
import { lookupVariable, placeholderPaths, renderTemplate, stringsIn } from './template.js';
import type { Variables } from './template.js';
import { maskSecrets } from '../sarufi/redaction.js';

export interface BreakpointSpec {
  id: number;
  /** The flow path it stops on: a state (`states.menu`), an action or a transition. */
  path: string;
  /** A CONDITION expression; the breakpoint stops only when it is true. */
  condition?: string;
  /** `3`, `>= 3`, `% 2`: how many hits before it stops. */
  hitCondition?: string;
  /** A template printed instead of stopping. */
  logMessage?: string;
}

/** The Breakpoints view's exception filters. `budget` is the sandbox's: a stopped worker cannot stop itself. */
export const EXCEPTION_FILTERS = [
  { filter: 'api_failed', label: 'API_CALL failed', description: 'An API_CALL answered outside 2xx, timed out or could not be sent.' },
  { filter: 'no_match', label: 'No transition matched', description: "The user's message matched no way out of the state." },
  { filter: 'budget', label: 'Turn stopped by its budget', description: 'A regex, condition or template kept the turn busy past sarufi.sandbox.turnTimeoutMs.' },
  { filter: 'missing_variable', label: 'Template used a missing variable', description: 'A message or API_CALL template rendered a variable that is not set.' },
] as const;

export type ExceptionFilter = (typeof EXCEPTION_FILTERS)[number]['filter'];

export type StepMode = 'continue' | 'over' | 'into' | 'out';

export type StopReason = 'entry' | 'breakpoint' | 'step' | 'pause' | 'exception' | 'restart';

/** A frame of the Call Stack: the stopped step, the states this turn entered, then earlier turns. */
export interface DebugFrame {
  name: string;
  /** The flow path its line comes from; null when it has none. */
  path: string | null;
  /** For an earlier turn's frame: that turn's number (Restart Frame forks from it). */
  turn: number | null;
}

export interface DebugStop {
  reason: StopReason;
  description: string;
  /** Exception details (which filter, what failed). */
  text?: string;
  exception?: ExceptionFilter;
  breakpointIds?: number[];
  frames: DebugFrame[];
}

/** What the Variables view shows at a stop, secrets masked. */
export interface DebugScopes {
  variables: Variables;
  response: unknown;
  persona: Record<string, string>;
  turn: Record<string, unknown>;
}

export interface DebugRuntimeEvents {
  stopped(stop: DebugStop): void;
  /** A logpoint's message, or what the runtime wants the Debug Console to say. */
  output(text: string): void;
  /** What the bot sent: before each stop, what it sent up to there; at the end of a turn, the rest. */
  sent(messages: KnownMessage[]): void;
}

export type RuntimeOptions = Omit<ConversationOptions, 'onStep'>;

interface ArmedBreakpoint extends BreakpointSpec {
  expression: ConditionExpr | null;
  hits: number;
}

interface PastTurn {
  turn: number;
  input: string | null;
  state: string;
  snapshot: ConversationSnapshot;
}

/** Earlier turns the Call Stack lists (and Restart Frame can fork from); older ones are dropped. */
const TURNS_KEPT = 30;

/** Thrown into a paused turn that Restart Frame abandons. */
export class TurnAbandoned extends Error {
  constructor() {
    super('The turn was abandoned: the conversation restarted from an earlier turn.');
    this.name = 'TurnAbandoned';
  }
}

/** A hit condition's test: `3` and `>= 3` stop from the third hit, `== 3` only on it, `% 2` every second. */
export function hitConditionMet(condition: string, hits: number): boolean {
  const match = /^\s*(>=|>|==|=|<=|<|%)?\s*(\d+)\s*$/.exec(condition);
  if (!match) {
    throw new Error(`'${condition}' is not a hit count: write a number, or >= 3, == 3, % 2.`);
  }
  const count = Number(match[2]);
  switch (match[1]) {
    case '>':
      return hits > count;
    case '==':
    case '=':
      return hits === count;
    case '<':
      return hits < count;
    case '<=':
      return hits <= count;
    case '%':
      return count > 0 && hits % count === 0;
    default:
      return hits >= count;
  }
}

/** The placeholders of templates that name no variable: what the `missing_variable` filter stops on. */
function missingPlaceholders(templates: unknown, variables: Variables): string[] {
  return stringsIn(templates)
    .flatMap(placeholderPaths)
    .filter((path) => lookupVariable(variables, path) === undefined);
}

function actionTemplates(action: ActionModel): unknown {
  if (action.type !== 'API_CALL') {
    return [];
  }
  return [action.target.kind === 'url' ? action.target.url : action.target.path, action.headers, action.body];
}

function describeStep(step: FlowStep): string {
  switch (step.kind) {
    case 'input':
      return `match '${step.input.message}'${step.input.button_id ? ` (button ${step.input.button_id})` : ''} in '${step.state}'`;
    case 'enter':
      return `enter '${step.state}'`;
    case 'action':
      return `${step.action.type} in '${step.state}'`;
    case 'transition':
      return `${step.trigger} → '${step.to}'`;
    case 'api_request':
      return `${step.method} ${step.url} (before it is sent)`;
    case 'api_response':
      return `answer ${step.status ?? step.error ?? ''} (before it routes)`;
    case 'messages':
      return `send ${step.messages.length} message${step.messages.length === 1 ? '' : 's'} from '${step.state}'`;
    case 'no_match':
      return `no transition matched '${step.input}' in '${step.state}'`;
    case 'turn_end':
      return `end of turn in '${step.state}'`;
  }
}

/** The step kinds Step Over stops on; Step Into adds an API_CALL's request and answer. */
const OVER_KINDS: ReadonlySet<FlowStep['kind']> = new Set(['input', 'enter', 'action', 'transition', 'messages', 'no_match', 'turn_end']);
const BREAKPOINT_KINDS: ReadonlySet<FlowStep['kind']> = new Set(['enter', 'action', 'transition']);

export class FlowDebugRuntime {
  private conversation: Conversation;
  private breakpoints = new Map<string, ArmedBreakpoint[]>();
  private filters = new Set<ExceptionFilter>();
  private mode: StepMode = 'continue';
  private pauseRequested = false;
  private entryRequested = false;
  private resumeStop: ((error?: Error) => void) | null = null;
  private step: FlowStep | null = null;
  /** States entered in the turn under way, oldest first. */
  private entered: string[] = [];
  private turnInput: UserInput | null = null;
  private lastTrigger: Record<string, unknown> | null = null;
  private lastResponse: unknown = undefined;
  private readonly past: PastTurn[] = [];
  /** Where the last finished turn left the conversation (one copy, kept for Restart Frame and sent with the turn's answer). */
  lastTurnSnapshot: ConversationSnapshot | null = null;
  /** Messages the bot has sent that the debugger has not been told of yet (one post per stop or turn, not per message). */
  private readonly unsent: KnownMessage[] = [];
  private turns = 0;

  constructor(
    private readonly model: FlowModel,
    private readonly options: RuntimeOptions,
    private readonly events: DebugRuntimeEvents,
    snapshot: ConversationSnapshot | null = null,
  ) {
    this.conversation = this.create(snapshot);
  }

  get paused(): boolean {
    return this.resumeStop !== null;
  }

  /** Checks and arms the breakpoints; the answer says, per breakpoint, why it cannot work (or null). */
  setBreakpoints(specs: readonly BreakpointSpec[]): (string | null)[] {
    const armed = new Map<string, ArmedBreakpoint[]>();
    const problems = specs.map((spec) => {
      let expression: ConditionExpr | null = null;
      try {
        expression = spec.condition ? parseCondition(spec.condition) : null;
        if (spec.hitCondition) {
          hitConditionMet(spec.hitCondition, 0);
        }
      } catch (error) {
        return `This breakpoint's condition does not read: ${(error as Error).message}`;
      }
      const previous = [...this.breakpoints.values()].flat().find((old) => old.id === spec.id);
      const list = armed.get(spec.path) ?? [];
      list.push({ ...spec, expression, hits: previous?.hits ?? 0 });
      armed.set(spec.path, list);
      return null;
    });
    this.breakpoints = armed;
    return problems;
  }

  setExceptionFilters(filters: readonly string[]): void {
    this.filters = new Set(EXCEPTION_FILTERS.map(({ filter }) => filter).filter((filter) => filters.includes(filter)));
  }

  /** The greeting: the initial state (or `startAt`); `stopOnEntry` stops before its first step. */
  start(options: { startAt?: string; stopOnEntry?: boolean } = {}): Promise<TurnResult> {
    this.entryRequested = options.stopOnEntry === true;
    return this.turn(null, () => this.conversation.start(options.startAt));
  }

  send(input: UserInput): Promise<TurnResult> {
    return this.turn(input, () => this.conversation.handle(input));
  }

  resume(mode: StepMode): void {
    this.mode = mode;
    const resume = this.resumeStop;
    this.resumeStop = null;
    resume?.();
  }

  pause(): void {
    this.pauseRequested = true;
  }

  snapshot(): ConversationSnapshot {
    return this.conversation.snapshot();
  }

  /** The Call Stack now: the stopped step, the states entered in this turn (newest first), earlier turns. */
  frames(): DebugFrame[] {
    const frames: DebugFrame[] = [];
    if (this.step) {
      frames.push({ name: describeStep(this.step), path: this.step.path, turn: null });
    }
    for (const state of [...this.entered].reverse()) {
      frames.push({ name: `'${state}' (this turn)`, path: this.model.states.get(state)?.path ?? null, turn: null });
    }
    if (!this.step && this.entered.length === 0) {
      const state = this.conversation.currentState;
      frames.push({ name: `'${state}' (waiting for the user)`, path: this.model.states.get(state)?.path ?? null, turn: null });
    }
    for (const turn of [...this.past].reverse()) {
      const said = turn.input === null ? 'greeting' : `'${turn.input}'`;
      frames.push({ name: `turn ${turn.turn}: ${said} → '${turn.state}'`, path: this.model.states.get(turn.state)?.path ?? null, turn: turn.turn });
    }
    return frames;
  }

  scopes(): DebugScopes {
    const { contactName, userId, channel, language } = this.options;
    const persona = Object.fromEntries(
      Object.entries({ contact_name: contactName, user_id: userId, channel, language }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const turn: Record<string, unknown> = { state: this.conversation.currentState };
    if (this.turnInput) {
      turn.input = this.turnInput.message;
      turn.button_id = this.turnInput.button_id ?? null;
    }
    if (this.lastTrigger) {
      turn.trigger = this.lastTrigger;
    }
    if (this.step?.kind === 'api_request') {
      turn.request = { method: this.step.method, url: this.step.url, headers: this.step.headers, body: this.step.body };
    }
    const variables = this.conversation.variables;
    return maskSecrets({ variables: { ...variables }, response: this.lastResponse ?? variables.response, persona, turn });
  }

  /** A template path (`variables.order.items[0].id`) or a CONDITION expression, in the stopped conversation. */
  evaluate(expression: string): unknown {
    const text = expression.trim();
    const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(text);
    const path = whole ? whole[1] : /^[\w$-]+(\s*(\.[\w$-]+|\[\s*\d+\s*\]))*$/.test(text) ? text : null;
    const masked = maskSecrets({ ...this.conversation.variables });
    if (path !== null && path !== undefined) {
      const value = lookupVariable(masked, path);
      if (value === undefined) {
        throw new Error(`'${path}' is not set.`);
      }
      return value;
    }
    return evaluateCondition(parseCondition(text), masked);
  }

  /** Set Value: `steps` lead to the variable or field (`order, items, 0`); `value` is JSON, or text when it does not parse. */
  setVariable(steps: string[], valueText: string): unknown {
    let value: unknown;
    try {
      value = JSON.parse(valueText) as unknown;
    } catch {
      value = valueText;
    }
    this.conversation.setVariable(steps, value);
    return maskSecrets({ [steps.at(-1) ?? '']: value })[steps.at(-1) ?? ''];
  }

  /** Restart Frame: abandons the paused turn and goes on from the end of turn `turn`, as Fork from here does. */
  restartFrom(turn: number): void {
    const index = this.past.findIndex((past) => past.turn === turn);
    const past = this.past[index];
    if (!past) {
      throw new Error(`Turn ${turn} is no longer kept; only the last ${TURNS_KEPT} turns can be restarted.`);
    }
    this.past.splice(index + 1);
    this.turns = turn;
    const abandon = this.resumeStop;
    this.resumeStop = null;
    this.conversation = this.create(past.snapshot);
    this.unsent.length = 0;
    this.step = null;
    this.entered = [];
    abandon?.(new TurnAbandoned());
  }

  private create(snapshot: ConversationSnapshot | null): Conversation {
    const options: ConversationOptions = { ...this.options, onStep: (step) => this.onStep(step) };
    return snapshot ? Conversation.resume(this.model, snapshot, options) : new Conversation(this.model, options);
  }

  private async turn(input: UserInput | null, run: () => Promise<TurnResult>): Promise<TurnResult> {
    const conversation = this.conversation;
    this.turnInput = input;
    this.entered = [];
    this.lastTrigger = null;
    this.lastResponse = undefined;
    try {
      const result = await run();
      this.flushSent();
      if (this.conversation === conversation) {
        this.turns += input === null ? 0 : 1;
        this.lastTurnSnapshot = conversation.snapshot();
        this.past.push({ turn: this.turns, input: input?.message ?? null, state: result.current_state, snapshot: this.lastTurnSnapshot });
        this.past.splice(0, Math.max(0, this.past.length - TURNS_KEPT));
      }
      return result;
    } finally {
      if (this.conversation === conversation) {
        this.step = null;
        this.entered = [];
        // Stepping past the end of a turn waits for the user, as running off the end of a program would.
        this.mode = 'continue';
      }
    }
  }

  /** Synchronous unless it stops: a step with nothing to stop at costs no promise. */
  private onStep(step: FlowStep): Promise<void> | undefined {
    this.step = step;
    if (step.kind === 'enter') {
      this.entered.push(step.state);
    } else if (step.kind === 'transition') {
      this.lastTrigger = { from: step.from, to: step.to, trigger: step.trigger, ...(step.key === undefined ? {} : { key: step.key }), ...(step.pattern === undefined ? {} : { pattern: step.pattern }), ...(step.score === undefined ? {} : { score: step.score }), ...(step.value === undefined ? {} : { value: step.value }), ...(step.status === undefined ? {} : { status: step.status }) };
    } else if (step.kind === 'api_response') {
      this.lastResponse = step.body;
    } else if (step.kind === 'messages') {
      this.unsent.push(...step.messages);
    }
    const stop = this.exceptionAt(step) ?? this.breakpointAt(step) ?? this.stepStop(step);
    return stop ? this.stop(stop) : undefined;
  }

  /** What the bot sent since the last flush: said before every stop and at the end of each turn. */
  private flushSent(): void {
    if (this.unsent.length > 0) {
      this.events.sent(this.unsent.splice(0));
    }
  }

  private exceptionAt(step: FlowStep): Omit<DebugStop, 'frames'> | null {
    const variables = this.conversation.variables;
    if (step.kind === 'api_response' && !step.ok && this.filters.has('api_failed')) {
      return { reason: 'exception', exception: 'api_failed', description: 'API_CALL failed', text: `The API_CALL of '${step.state}' failed: ${step.error ?? `HTTP ${step.status}`}` };
    }
    if (step.kind === 'no_match' && this.filters.has('no_match')) {
      return { reason: 'exception', exception: 'no_match', description: 'No transition matched', text: `'${step.input}' matched no transition of '${step.state}'.` };
    }
    if (this.filters.has('missing_variable')) {
      const templates = step.kind === 'messages' ? step.sources : step.kind === 'action' ? actionTemplates(step.action) : null;
      const missing = templates === null ? [] : missingPlaceholders(templates, variables);
      if (missing.length > 0) {
        return {
          reason: 'exception',
          exception: 'missing_variable',
          description: 'Template used a missing variable',
          text: `${missing.map((path) => `{{${path}}}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set in '${step.state}': ${missing.length === 1 ? 'it renders' : 'they render'} empty.`,
        };
      }
    }
    return null;
  }

  private breakpointAt(step: FlowStep): Omit<DebugStop, 'frames'> | null {
    if (!BREAKPOINT_KINDS.has(step.kind) || step.path === null) {
      return null;
    }
    const armed = this.breakpoints.get(step.path);
    if (!armed) {
      return null;
    }
    const hit: number[] = [];
    for (const breakpoint of armed) {
      if (breakpoint.expression && !evaluateCondition(breakpoint.expression, this.conversation.variables)) {
        continue;
      }
      breakpoint.hits += 1;
      if (breakpoint.hitCondition && !hitConditionMet(breakpoint.hitCondition, breakpoint.hits)) {
        continue;
      }
      if (breakpoint.logMessage !== undefined) {
        this.events.output(`${renderTemplate(breakpoint.logMessage, maskSecrets({ ...this.conversation.variables }))}\n`);
        continue;
      }
      hit.push(breakpoint.id);
    }
    return hit.length === 0 ? null : { reason: 'breakpoint', description: `Paused on a breakpoint: ${describeStep(step)}`, breakpointIds: hit };
  }

  private stepStop(step: FlowStep): Omit<DebugStop, 'frames'> | null {
    if (this.entryRequested) {
      this.entryRequested = false;
      return { reason: 'entry', description: `Stopped on entry: ${describeStep(step)}` };
    }
    if (this.pauseRequested) {
      this.pauseRequested = false;
      return { reason: 'pause', description: `Paused: ${describeStep(step)}` };
    }
    const stops = this.mode === 'into' ? true : this.mode === 'over' ? OVER_KINDS.has(step.kind) : this.mode === 'out' ? step.kind === 'turn_end' : false;
    return stops ? { reason: 'step', description: describeStep(step) } : null;
  }

  private stop(stop: Omit<DebugStop, 'frames'>): Promise<void> {
    this.mode = 'continue';
    this.flushSent();
    return new Promise<void>((resolve, reject) => {
      this.resumeStop = (error) => (error ? reject(error) : resolve());
      this.events.stopped({ ...stop, frames: this.frames() });
    });
  }
}
