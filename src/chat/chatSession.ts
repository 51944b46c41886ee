// Drives one chat panel's conversation with a chatbot: opens sessions, sends turns, and turns every
// outcome (reply or failure) into a transcript entry. Knows nothing of VS Code or of the page.
import type { CreateSessionResponse, SendMessageRequest, SendMessageResponse } from '../sarufi/types.js';
import type { Exchange, Result } from '../sarufi/exchange.js';
import type { SandboxSessionRequest } from '../sarufi/sandboxExtensions.js';
import type {
  DividerEntry,
  ErrorEntry,
  ErrorRemedy,
  SessionInfo,
  Transcript,
  TranscriptEntry,
  TurnEntry,
  UserInput,
} from './transcript.js';
import { endpoints, SESSION_IDLE_MS } from '../sarufi/endpoints.js';
import { originAfterRestart } from './panelTitle.js';
import { entryTrace } from './entryTrace.js';

/** The two Chat API calls a panel needs; the SarufiClient provides them. */
export interface ChatApi {
  /** `request` goes only to the local sandbox (Sarufi's endpoint takes no body): persona, fork, start in a state. */
  createSession(chatbotId: string, signal?: AbortSignal, request?: SandboxSessionRequest): Promise<Result<CreateSessionResponse>>;
  sendMessage(chatbotId: string, sessionId: string, body: SendMessageRequest, signal?: AbortSignal): Promise<Result<SendMessageResponse>>;
}

/** The fields of a failure that the transcript keeps (SarufiError has them all). */
export interface FailureLike {
  message: string;
  kind: string;
  status?: number;
  exchange?: Exchange;
}

export interface ChatSessionOptions {
  api: ChatApi;
  chatbotId: string;
  chatbotName: string;
  environmentId: string;
  environment: string;
  baseUrl: string;
  /** A transcript to continue (after a reload); its session is resumed if it has not expired. */
  transcript?: Transcript;
  now?: () => number;
  newId?: () => string;
  /** Told of every new entry and every header change, in order. */
  onEntry?: (entry: TranscriptEntry) => void;
  onSession?: (session: SessionInfo) => void;
  /** Told when an input is recorded before its reply (not shown yet), so that it can be saved. */
  onPending?: (entry: TurnEntry) => void;
}

let counter = 0;
function defaultId(): string {
  counter += 1;
  return `e${Date.now().toString(36)}${counter.toString(36)}`;
}

export class ChatSession {
  private api: ChatApi;
  private readonly now: () => number;
  private readonly newId: () => string;
  readonly transcript: Transcript;
  private controller = new AbortController();

  constructor(private readonly options: ChatSessionOptions) {
    this.api = options.api;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? defaultId;
    this.transcript = options.transcript ?? {
      version: 1,
      session: {
        chatbotId: options.chatbotId,
        chatbotName: options.chatbotName,
        environmentId: options.environmentId,
        environment: options.environment,
        baseUrl: options.baseUrl,
        sessionId: null,
        createdAt: null,
        messagesCount: null,
        expiresAt: null,
        trail: [],
        status: 'starting',
      },
      entries: [],
    };
  }

  /** Talks through another client from now on (a new key, or a sandbox restarted on another port). */
  useApi(api: ChatApi, baseUrl: string): void {
    this.api = api;
    this.updateSession({ baseUrl });
  }

  get session(): SessionInfo {
    return this.transcript.session;
  }

  /**
   * Opens a new session and records its greeting. A failure is recorded, never thrown, and
   * returned; with `quiet` it is only returned (a fork tells a lost sandbox session in its own words).
   * The session's persona goes with every session it opens (sandbox only).
   */
  async start(start?: SandboxSessionRequest['start'], quiet = false): Promise<FailureLike | undefined> {
    this.updateSession({ status: 'starting' });
    const persona = this.session.persona;
    const request: SandboxSessionRequest | undefined = start || persona ? { ...(persona ? { persona } : {}), ...(start ? { start } : {}) } : undefined;
    try {
      const { data, exchange } = await this.api.createSession(this.session.chatbotId, this.controller.signal, request);
      const at = new Date(this.now()).toISOString();
      const greeting: TurnEntry = {
        kind: 'turn',
        id: this.newId(),
        sessionId: data.session_id,
        messages: data.messages,
        currentState: null,
        messagesCount: null,
        at,
        durationMs: exchange.durationMs,
        status: exchange.status,
        exchange,
      };
      // Sarufi reports no state for a greeting; the local sandbox's trace says where it came from.
      const startedIn = entryTrace(greeting)?.to ?? null;
      if (startedIn !== null) {
        greeting.currentState = startedIn;
        greeting.stateFrom = 'sandbox-trace';
      }
      this.updateSession({
        sessionId: data.session_id,
        createdAt: data.created_at ?? at,
        messagesCount: data.messages.length,
        expiresAt: this.expiryFrom(this.now()),
        trail: startedIn === null ? [] : [startedIn],
        status: 'open',
      });
      this.push(greeting);
      return undefined;
    } catch (error) {
      this.updateSession({ status: 'failed' });
      if (!quiet) {
        this.recordFailure(error, undefined);
      }
      return toFailure(error);
    }
  }

  /** Who the author chats as from the next session on (sandbox only); undefined: the sandbox's default user. */
  setPersona(persona: SessionInfo['persona']): void {
    if (persona) {
      this.transcript.session.persona = persona;
    } else {
      delete this.transcript.session.persona;
    }
    this.options.onSession?.(this.transcript.session);
  }

  /** Starts over in a new session; the old transcript stays above a divider. */
  async restart(reason = 'New session started'): Promise<void> {
    const origin = originAfterRestart(this.transcript.origin);
    if (origin) {
      this.transcript.origin = origin;
    }
    if (this.transcript.entries.length > 0) {
      this.push<DividerEntry>({ kind: 'divider', id: this.newId(), text: reason, at: new Date(this.now()).toISOString() });
    }
    await this.start();
  }

  /**
   * Sends one input and records the reply. Resolves true when the bot answered; false when the
   * failure was recorded as an error entry (the caller keeps the typed text).
   */
  async send(input: UserInput): Promise<boolean> {
    const sessionId = this.session.sessionId;
    if (!sessionId || this.session.status !== 'open') {
      this.push<ErrorEntry>({
        kind: 'error',
        id: this.newId(),
        sessionId,
        message: 'There is no open session to send to. Start a new session to talk to the bot again.',
        errorKind: 'session-closed',
        status: null,
        remedy: 'new-session',
        input,
        at: new Date(this.now()).toISOString(),
      });
      return false;
    }
    const body: SendMessageRequest = input.buttonId
      ? { message: input.text, message_type: 'button', button_id: input.buttonId }
      : { message: input.text, message_type: 'text' };
    const pending = this.recordPending(sessionId, input, body);
    try {
      const { data, exchange } = await this.api.sendMessage(this.session.chatbotId, sessionId, body, this.controller.signal);
      const state = data.current_state ?? null;
      const trail = this.session.trail.slice();
      if (state !== null && trail[trail.length - 1] !== state) {
        trail.push(state);
      }
      this.updateSession({ messagesCount: data.messages_count ?? null, expiresAt: this.expiryFrom(this.now()), trail });
      const reply: TurnEntry = {
        kind: 'turn',
        id: pending.id,
        sessionId,
        user: input,
        messages: data.messages,
        currentState: state,
        messagesCount: data.messages_count ?? null,
        at: new Date(this.now()).toISOString(),
        durationMs: exchange.durationMs,
        status: exchange.status,
        exchange,
      };
      this.push(reply, pending);
      return true;
    } catch (error) {
      this.recordFailure(error, input, pending);
      return false;
    }
  }

  /**
   * Keeps the input in the transcript before it is sent, with the request as it will go out, so
   * that a window that dies mid-turn still has it. Not announced as an entry: the reply's turn or
   * the error entry takes its place (and its id) when the answer comes.
   */
  private recordPending(sessionId: string, input: UserInput, body: SendMessageRequest): TurnEntry {
    const request = endpoints.sendMessage(this.session.chatbotId, sessionId, body);
    const at = new Date(this.now()).toISOString();
    const entry: TurnEntry = {
      kind: 'turn',
      id: this.newId(),
      sessionId,
      user: input,
      messages: [],
      currentState: null,
      messagesCount: null,
      at,
      durationMs: 0,
      status: null,
      exchange: {
        method: request.method,
        url: `${this.options.baseUrl}${request.path}`,
        requestHeaders: {},
        requestBody: request.body,
        status: null,
        responseHeaders: {},
        responseText: '',
        responseJson: undefined,
        startedAt: at,
        durationMs: 0,
        attempt: 1,
      },
      pending: true,
    };
    this.transcript.entries.push(entry);
    this.options.onPending?.(entry);
    return entry;
  }

  /** Records that the server lost the session (the sandbox was restarted): closed, with a way on. */
  sessionLost(error: unknown): void {
    if (this.session.status === 'open') {
      this.recordFailure(error, undefined);
    }
  }

  /** Adds a divider with a notice, such as "Flow changed", without touching the session. */
  addDivider(text: string): void {
    this.push<DividerEntry>({ kind: 'divider', id: this.newId(), text, at: new Date(this.now()).toISOString() });
  }

  /** Sends again the input of a failed entry. */
  async retry(entryId: string): Promise<boolean> {
    const entry = this.transcript.entries.find((e): e is ErrorEntry => e.kind === 'error' && e.id === entryId);
    if (!entry) {
      return false;
    }
    if (!entry.input) {
      await this.restart('Retrying to open a session');
      return this.session.status === 'open';
    }
    return this.send(entry.input);
  }

  /** Whether the session has passed its 30-minute idle limit by the local clock. */
  isExpired(): boolean {
    return this.session.expiresAt !== null && Date.parse(this.session.expiresAt) <= this.now();
  }

  /** Stops any request in flight (the panel was closed). */
  dispose(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }

  private recordFailure(error: unknown, input: UserInput | undefined, replacing?: TurnEntry): void {
    const failure = toFailure(error);
    const closed = failure.kind === 'session-closed' || (failure.kind === 'not-found' && this.session.sessionId !== null);
    if (closed) {
      this.updateSession({ status: this.isExpired() ? 'expired' : 'closed' });
    }
    const entry: ErrorEntry = {
      kind: 'error',
      id: replacing?.id ?? this.newId(),
      sessionId: this.session.sessionId,
      message: failure.message,
      errorKind: failure.kind,
      status: failure.status ?? null,
      remedy: closed ? 'new-session' : remedyFor(failure.kind),
      ...(input ? { input } : {}),
      at: new Date(this.now()).toISOString(),
      ...(failure.exchange ? { exchange: failure.exchange } : {}),
    };
    this.push(entry, replacing);
  }

  private expiryFrom(time: number): string {
    return new Date(time + SESSION_IDLE_MS).toISOString();
  }

  /**
   * Adds an entry, or puts it in the place of `replacing` (a pending input it settles), so that
   * entries never move: the store appends a settled entry with the same id, which replaces the
   * pending one when the file is read again.
   */
  private push<T extends TranscriptEntry>(entry: T, replacing?: TurnEntry): void {
    const index = replacing ? this.transcript.entries.indexOf(replacing) : -1;
    if (index >= 0) {
      this.transcript.entries[index] = entry;
    } else {
      this.transcript.entries.push(entry);
    }
    this.options.onEntry?.(entry);
  }

  private updateSession(patch: Partial<SessionInfo>): void {
    Object.assign(this.transcript.session, patch);
    this.options.onSession?.(this.transcript.session);
  }
}

/** What the author can do about each kind of failure. */
export function remedyFor(kind: string): ErrorRemedy {
  switch (kind) {
    case 'auth':
      return 'set-key';
    case 'session-closed':
      return 'new-session';
    case 'rate-limited':
    case 'server':
    case 'network':
    case 'timeout':
    case 'bad-response':
      return 'retry';
    default:
      return 'none';
  }
}

function toFailure(error: unknown): FailureLike {
  if (error && typeof error === 'object' && 'message' in error && 'kind' in error) {
    return error as FailureLike;
  }
  // Not a SarufiError: a bug of ours. Say so rather than pretend it was the service.
  const text = error instanceof Error ? error.message : String(error);
  return { message: `Unexpected error in the extension: ${text}. Please report it.`, kind: 'internal' };
}
