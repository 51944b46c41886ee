// The transcript of a chat panel: what the author saw, turn by turn, with everything a flow author
// needs to debug it. Plain data (JSON-safe), shared by the host, the webview and every export.
import type { GenericMessage } from '../flow/botMessages.js';
import type { Exchange } from '../sarufi/exchange.js';
import type { Persona } from '../sarufi/sandboxExtensions.js';

/** What the author sent: typed text, or a button / list-row click. */
export interface UserInput {
  text: string;
  buttonId?: string;
}

/** One request to the Chat API and what came back: a session's greeting or a reply to a message. */
export interface TurnEntry {
  kind: 'turn';
  id: string;
  sessionId: string;
  /** Absent on the greeting that opens a session. */
  user?: UserInput;
  messages: GenericMessage[];
  currentState: string | null;
  /**
   * Where `currentState` came from when the reply had none: a greeting of the local sandbox takes
   * it from the sandbox's trace (Sarufi reports no state when a session is created).
   */
  stateFrom?: 'sandbox-trace';
  messagesCount: number | null;
  at: string;
  durationMs: number;
  status: number | null;
  exchange: Exchange;
  /**
   * True while the input is sent and no reply has come: the input is kept even if the window
   * dies mid-turn. Settled into the reply's turn, or into an error entry holding the input.
   */
  pending?: true;
}

/** What the author can do about an error, shown as a button beside it. */
export type ErrorRemedy = 'new-session' | 'set-key' | 'retry' | 'none';

export interface ErrorEntry {
  kind: 'error';
  id: string;
  sessionId: string | null;
  /** The plain-words message of the SarufiError. */
  message: string;
  errorKind: string;
  status: number | null;
  remedy: ErrorRemedy;
  /** The input that failed, so that Retry can send it again. */
  input?: UserInput;
  at: string;
  exchange?: Exchange;
}

/** Separates the sessions of one panel: "New session started", "Session expired". */
export interface DividerEntry {
  kind: 'divider';
  id: string;
  text: string;
  at: string;
}

export type TranscriptEntry = TurnEntry | ErrorEntry | DividerEntry;

/** The header of the panel: which bot, where, and the session's life. */
export interface SessionInfo {
  chatbotId: string;
  chatbotName: string;
  /** Which kind of server: 'sarufi', 'sandbox' or 'custom'. */
  environmentId: string;
  /** Its label, as the status bar shows it. */
  environment: string;
  baseUrl: string;
  sessionId: string | null;
  createdAt: string | null;
  messagesCount: number | null;
  /** When the session expires if no message is sent (30 minutes after the last one). */
  expiresAt: string | null;
  /** The states visited in this session, in order. */
  trail: string[];
  status: 'starting' | 'open' | 'expired' | 'closed' | 'failed';
  /** Who the author chats as (sandbox only); absent: the sandbox's default user. */
  persona?: Persona;
}

/** How a panel's conversation began; kept in its transcript, so a reload names the panel the same. */
export type PanelOrigin = { kind: 'chat' } | { kind: 'preview' } | { kind: 'fromState'; state: string } | { kind: 'fork'; turn: number };

export interface Transcript {
  version: 1;
  /** A transcript shown for reading only (history, an ended session): no input, no sends. */
  readOnly?: boolean;
  /** How the panel's conversation began (its tab title); absent: a plain chat. */
  origin?: PanelOrigin;
  session: SessionInfo;
  entries: TranscriptEntry[];
}

/**
 * Inputs a closed window left pending (sent, no reply seen) become error entries that keep the
 * input and its id, so that the panel says what happened and Retry can send it again.
 */
export function settleInterruptedInputs(transcript: Transcript, failure: { message: string; kind: string }): void {
  transcript.entries = transcript.entries.map((entry) =>
    entry.kind === 'turn' && entry.pending === true && entry.user
      ? {
          kind: 'error',
          id: entry.id,
          sessionId: entry.sessionId,
          message: failure.message,
          errorKind: failure.kind,
          status: null,
          remedy: 'retry',
          input: entry.user,
          at: entry.at,
        }
      : entry,
  );
}
