// The Debug Adapter Protocol side of debugging a flow: VS Code and any other DAP client talk to this
// session over stdio (dist/flowDebugAdapter.js, a process of its own). It owns no flow logic: lines ↔ flow
// paths come from src/flows/flowBreakpoints.ts, and the conversation runs in the sandbox's debug
// worker (src/sandbox/debugConversation.ts) under the turn budget.
import { Handles, InitializedEvent, LoggingDebugSession, OutputEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread, Event } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { basename } from 'node:path';
import type { KnownMessage } from '../flow/botMessages.js';
import { EXCEPTION_FILTERS } from '../flow/debugRuntime.js';
import type { BreakpointSpec, DebugFrame, DebugScopes, DebugStop, StepMode } from '../flow/debugRuntime.js';
import type { UserInput } from '../flow/engine.js';
import { FlowBreakpointMap } from '../flows/flowBreakpoints.js';
import { DebugConversation } from '../sandbox/debugConversation.js';
import { LaunchError, readDebugTarget } from '../sandbox/debugTarget.js';
import type { DebugLaunchFields, DebugTarget } from '../sandbox/debugTarget.js';
import { messageToMarkdown } from '../chat/exportTranscript.js';

/** launch.json's fields for `"type": "sarufi-flow"`. */
export interface FlowLaunchArguments extends DebugProtocol.LaunchRequestArguments, DebugLaunchFields {
  stopOnEntry?: boolean;
  /** Messages sent one after another once the greeting is done (a conversation test's steps, a script). */
  inputs?: unknown;
  /**
   * A chat panel is the debuggee's window (VS Code): a message typed in the Debug Console goes to
   * it as an `sarufiInput` event, and comes back through the panel, which shows it as the user's.
   */
  routeInputs?: boolean;
}

/** The custom events a chat panel (the debuggee's window) follows. */
export const SENT_EVENT = 'sarufiSent';
export const PAUSED_EVENT = 'sarufiPaused';
export const RESUMED_EVENT = 'sarufiResumed';
/** After each turn: `{messages, current_state}`, or `{error}` when the turn failed. */
export const TURN_EVENT = 'sarufiTurn';
/** The custom request a chat panel sends the user's message with. */
export const SEND_REQUEST = 'sarufiSend';
/** With `routeInputs`: a message typed in the Debug Console, for the chat panel to send. */
export const INPUT_EVENT = 'sarufiInput';

const THREAD_ID = 1;

interface VariableContainer {
  value: unknown;
  /** The steps to it from the flow's variables, when Set Value may change it; null for read-only scopes. */
  steps: string[] | null;
}

function readInputs(value: unknown): UserInput[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new LaunchError('"inputs" must be a list of messages: "text", or {"button": "id"} / {"send": "text"}.');
  }
  return value.map((item, index) => {
    if (typeof item === 'string') {
      return { message: item };
    }
    if (typeof item === 'object' && item !== null) {
      const { send, button } = item as { send?: unknown; button?: unknown };
      if (typeof button === 'string') {
        return { message: '', button_id: button };
      }
      if (typeof send === 'string') {
        return { message: send };
      }
    }
    throw new LaunchError(`"inputs[${index}]" must be text, {"send": "text"} or {"button": "id"}.`);
  });
}

function preview(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `Array(${value.length})`;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    return `{${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

export class FlowDebugSession extends LoggingDebugSession {
  private conversation: DebugConversation | null = null;
  private breakpointMap: FlowBreakpointMap | null = null;
  private flowFile = '';
  private flowName = '';
  private readonly configured: Promise<void>;
  private markConfigured!: () => void;
  private frames: DebugFrame[] = [];
  private scopesAtStop: Promise<DebugScopes> | null = null;
  private readonly containers = new Handles<VariableContainer>();
  private lastStop: DebugStop | null = null;
  private exceptionFilters: string[] = [];

  /** Whether the Debug Console's messages go to the chat panel (launch's `routeInputs`). */
  private routeInputs = false;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.configured = new Promise((resolve) => {
      this.markConfigured = resolve;
    });
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsRestartFrame: true,
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map(({ filter, label, description }) => ({ filter, label, description, default: false })),
    };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.markConfigured();
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: FlowLaunchArguments): Promise<void> {
    let inputs: UserInput[];
    let target: DebugTarget;
    this.routeInputs = args.routeInputs === true;
    try {
      target = await readDebugTarget(args);
      inputs = readInputs(args.inputs);
    } catch (error) {
      this.sendErrorResponse(response, { id: 1001, format: error instanceof LaunchError ? error.message : `Cannot debug this flow: ${String(error)}`, showUser: true });
      return;
    }
    this.flowFile = target.file;
    this.flowName = target.model.name ?? basename(target.file);
    this.breakpointMap = new FlowBreakpointMap(target.text);
    for (const note of target.notes) {
      this.say(`${note}\n`, 'stderr');
    }
    const conversation = new DebugConversation({
      model: target.model,
      options: target.options,
      variables: target.variables,
      budgetMs: target.budgetMs,
      events: {
        stopped: (stop) => this.stopped(stop),
        output: (text) => this.say(text, 'console'),
        sent: (messages) => this.botSent(messages),
        budgetStopped: (message) => void this.budgetStopped(message),
      },
    });
    this.conversation = conversation;
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
    await this.configured;
    // Breakpoints are armed by now (the client sets them before configurationDone): the greeting may stop.
    await conversation.setExceptionFilters(this.exceptionFilters).catch(() => undefined);
    if (!(await this.turn(() => conversation.start({ startAt: target.startAt, stopOnEntry: args.stopOnEntry === true })))) {
      return;
    }
    for (const input of inputs) {
      if (!(await this.turn(() => conversation.send(input)))) {
        return;
      }
    }
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const requested = args.breakpoints ?? [];
    const map = this.breakpointMap;
    const sameFile = args.source.path !== undefined && this.convertClientPathToDebugger(args.source.path) === this.flowFile;
    const specs: BreakpointSpec[] = [];
    const breakpoints: DebugProtocol.Breakpoint[] = requested.map((wanted, index) => {
      const id = this.breakpointId(args.source.path ?? '', wanted.line, index);
      const line = this.convertClientLineToDebugger(wanted.line);
      if (!sameFile || !map) {
        return { id, verified: false, line: wanted.line, message: `This session debugs ${basename(this.flowFile) || 'another flow'}; start one on this file to stop here.` };
      }
      const located = map.locate(line);
      if (!located.verified) {
        return { id, verified: false, line: wanted.line, message: located.message };
      }
      for (const place of map.placesOn(line)) {
        specs.push({ id, path: place.path, ...(wanted.condition ? { condition: wanted.condition } : {}), ...(wanted.hitCondition ? { hitCondition: wanted.hitCondition } : {}), ...(wanted.logMessage !== undefined ? { logMessage: wanted.logMessage } : {}) });
      }
      return { id, verified: true, line: this.convertDebuggerLineToClient(located.line), message: located.label, source: this.source() };
    });
    if (sameFile && this.conversation) {
      const problems = await this.conversation.setBreakpoints(specs).catch(() => specs.map(() => null));
      problems.forEach((problem, index) => {
        const spec = specs[index];
        const breakpoint = breakpoints.find((candidate) => candidate.id === spec?.id);
        if (problem !== null && breakpoint) {
          breakpoint.verified = false;
          breakpoint.message = problem;
        }
      });
    }
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    this.exceptionFilters = args.filters;
    await this.conversation?.setExceptionFilters(args.filters).catch(() => undefined);
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, `Conversation with ${this.flowName || 'the flow'}`)] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const start = args.startFrame ?? 0;
    const count = args.levels === undefined || args.levels === 0 ? this.frames.length : args.levels;
    const frames = this.frames.slice(start, start + count).map((frame, offset) => {
      const line = frame.path === null ? null : (this.breakpointMap?.lineOf(frame.path) ?? null);
      const stackFrame: DebugProtocol.StackFrame = new StackFrame(start + offset + 1, frame.name, line === null ? undefined : this.source(), line === null ? undefined : this.convertDebuggerLineToClient(line));
      stackFrame.canRestart = frame.turn !== null;
      if (frame.turn !== null) {
        stackFrame.presentationHint = 'subtle';
      }
      return stackFrame;
    });
    response.body = { stackFrames: frames, totalFrames: this.frames.length };
    this.sendResponse(response);
  }

  protected override async scopesRequest(response: DebugProtocol.ScopesResponse): Promise<void> {
    const scopes = await this.currentScopes();
    const scope = (name: string, value: unknown, steps: string[] | null, expensive = false): DebugProtocol.Scope => new Scope(name, this.containers.create({ value, steps }), expensive);
    response.body = {
      scopes: [
        scope('Variables', scopes.variables, []),
        ...(scopes.response === undefined ? [] : [scope('Response', { response: scopes.response }, null)]),
        scope('This turn', scopes.turn, null),
        scope('Persona', scopes.persona, null),
      ],
    };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const container = this.containers.get(args.variablesReference);
    const entries: [string, unknown][] = Array.isArray(container?.value) ? container.value.map((item, index) => [String(index), item]) : typeof container?.value === 'object' && container.value !== null ? Object.entries(container.value) : [];
    response.body = {
      variables: entries.map(([name, value]) => {
        const nested = typeof value === 'object' && value !== null;
        return {
          name,
          value: preview(value),
          type: Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value,
          variablesReference: nested ? this.containers.create({ value, steps: container?.steps ? [...container.steps, name] : null }) : 0,
          evaluateName: container?.steps ? [...container.steps, name].map((step, index) => (/^\d+$/.test(step) ? `[${step}]` : index === 0 ? step : `.${step}`)).join('') : undefined,
          ...(container?.steps ? {} : { presentationHint: { attributes: ['readOnly'] } }),
        } satisfies DebugProtocol.Variable;
      }),
    };
    this.sendResponse(response);
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    const container = this.containers.get(args.variablesReference);
    if (!container?.steps || !this.conversation) {
      this.sendErrorResponse(response, { id: 1002, format: 'Only the flow\'s variables can be changed; the persona, the turn and the answer are what happened.', showUser: true });
      return;
    }
    try {
      const value = await this.conversation.call('setVariable', [...container.steps, args.name], args.value);
      this.scopesAtStop = null;
      response.body = { value: preview(value) };
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, { id: 1003, format: (error as Error).message, showUser: true });
    }
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    const conversation = this.conversation;
    if (!conversation) {
      this.sendErrorResponse(response, { id: 1004, format: 'The conversation has not started.' });
      return;
    }
    const text = args.expression.trim();
    // In the Debug Console, a line is the user's message unless it is an expression: `{{…}}` or `?path`.
    if (args.context === 'repl' && !text.startsWith('{{') && !text.startsWith('?')) {
      const input = { message: args.expression };
      if (this.routeInputs) {
        this.sendEvent(new Event(INPUT_EVENT, input));
      } else {
        void this.turn(() => conversation.send(input));
      }
      response.body = { result: `→ sent "${args.expression}"`, variablesReference: 0 };
      this.sendResponse(response);
      return;
    }
    try {
      const value = await conversation.call('evaluate', text.replace(/^\?/, ''));
      const nested = typeof value === 'object' && value !== null;
      response.body = { result: nested ? JSON.stringify(value) : preview(value), variablesReference: nested ? this.containers.create({ value, steps: null }) : 0 };
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, { id: 1005, format: (error as Error).message, showUser: false });
    }
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.resume(response, 'continue');
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.resume(response, 'over');
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.resume(response, 'into');
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.resume(response, 'out');
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    await this.conversation?.call('pause').catch(() => undefined);
    this.sendResponse(response);
  }

  protected override async restartFrameRequest(response: DebugProtocol.RestartFrameResponse, args: DebugProtocol.RestartFrameArguments): Promise<void> {
    const frame = this.frames[args.frameId - 1];
    if (frame?.turn === null || frame?.turn === undefined || !this.conversation) {
      this.sendErrorResponse(response, { id: 1006, format: 'Restart Frame works on an earlier turn of the Call Stack: the conversation goes on from there.', showUser: true });
      return;
    }
    try {
      await this.conversation.restartFrom(frame.turn);
      this.sendResponse(response);
      this.say(`Forked from turn ${frame.turn}: the conversation goes on from there.\n`, 'console');
      this.stopped({ reason: 'restart', description: `Restarted from turn ${frame.turn}`, frames: await this.conversation.call('frames') });
    } catch (error) {
      this.sendErrorResponse(response, { id: 1007, format: (error as Error).message, showUser: true });
    }
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const stop = this.lastStop;
    response.body = {
      exceptionId: stop?.exception ?? 'none',
      description: stop?.text ?? stop?.description ?? '',
      breakMode: 'always',
    };
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command !== SEND_REQUEST || !this.conversation) {
      super.customRequest(command, response, args);
      return;
    }
    const { text, buttonId } = (args ?? {}) as { text?: unknown; buttonId?: unknown };
    const conversation = this.conversation;
    void this.turn(() => conversation.send({ message: typeof text === 'string' ? text : '', ...(typeof buttonId === 'string' ? { button_id: buttonId } : {}) }));
    this.sendResponse(response);
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    const conversation = this.conversation;
    this.conversation = null;
    await conversation?.close();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    const conversation = this.conversation;
    this.conversation = null;
    await conversation?.close();
    this.sendResponse(response);
  }

  /** Runs one turn; false when it failed (said in the Debug Console), so a script of inputs stops. */
  private async turn(run: () => Promise<{ current_state: string }>): Promise<boolean> {
    try {
      const answer = await run();
      this.sendEvent(new Event(TURN_EVENT, answer));
      this.say(`[waiting for the user in '${answer.current_state}': type a message in the chat panel or here]\n`, 'console');
      return true;
    } catch (error) {
      const failure = error as Error;
      // An abandoned turn (Restart Frame) and an ended session are no failures of the flow.
      if (failure.name !== 'TurnAbandoned' && this.conversation !== null) {
        this.say(`The turn failed: ${failure.message}\n`, 'stderr');
        this.sendEvent(new Event(TURN_EVENT, { error: failure.message }));
      }
      return false;
    }
  }

  private resume(response: DebugProtocol.Response, mode: StepMode): void {
    this.frames = [];
    this.scopesAtStop = null;
    this.containers.reset();
    this.lastStop = null;
    this.conversation?.resume(mode).catch(() => undefined);
    this.sendResponse(response);
    this.sendEvent(new Event(RESUMED_EVENT, {}));
  }

  private stopped(stop: DebugStop): void {
    this.lastStop = stop;
    this.frames = stop.frames;
    this.scopesAtStop = null;
    this.containers.reset();
    const event: DebugProtocol.StoppedEvent = new StoppedEvent(stop.reason, THREAD_ID, stop.text);
    event.body.description = stop.description;
    event.body.allThreadsStopped = true;
    if (stop.breakpointIds) {
      event.body.hitBreakpointIds = stop.breakpointIds;
    }
    this.sendEvent(event);
    this.sendEvent(new Event(PAUSED_EVENT, { description: stop.description, reason: stop.reason }));
  }

  private async budgetStopped(message: string): Promise<void> {
    this.say(`${message}\n`, 'stderr');
    if (!this.exceptionFilters.includes('budget') || !this.conversation) {
      return;
    }
    const frames = await this.conversation.call('frames').catch(() => []);
    this.stopped({ reason: 'exception', exception: 'budget', description: 'Turn stopped by its budget', text: message, frames });
  }

  private botSent(messages: KnownMessage[]): void {
    for (const message of messages) {
      this.say(`${messageToMarkdown(message).join('\n')}\n`, 'stdout');
    }
    this.sendEvent(new Event(SENT_EVENT, { messages }));
  }

  private currentScopes(): Promise<DebugScopes> {
    if (!this.conversation) {
      return Promise.resolve({ variables: {}, response: undefined, persona: {}, turn: {} });
    }
    this.scopesAtStop ??= this.conversation.call('scopes');
    return this.scopesAtStop;
  }

  private say(text: string, category: 'console' | 'stdout' | 'stderr'): void {
    this.sendEvent(new OutputEvent(text, category));
  }

  private source(): Source {
    return new Source(basename(this.flowFile), this.convertDebuggerPathToClient(this.flowFile));
  }

  /** Stable ids per file and line, so a hit names the breakpoint the client set. */
  private readonly ids = new Map<string, number>();
  private nextBreakpointId = 1;

  private breakpointId(file: string, line: number, index: number): number {
    const key = `${file}:${line}:${index}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.nextBreakpointId++;
      this.ids.set(key, id);
    }
    return id;
  }
}
