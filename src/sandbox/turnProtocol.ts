// The messages between the sandbox's turn pool (turnPool.ts) and its workers (turnWorker.ts).
import type { ConversationOptions, ConversationSnapshot, UserInput } from '../flow/engine.js';
import type { FlowModel } from '../flow/flowTypes.js';
import type { KnownMessage } from '../flow/botMessages.js';
import type { MockSet } from '../flow/mocks.js';
import type { Variables } from '../flow/template.js';
import type { TurnTrace } from '../flow/turnTrace.js';

/** What a session's conversation is started with, the same on every turn. */
export type TurnOptions = Pick<ConversationOptions, 'chatbotId' | 'userId' | 'contactName' | 'channel' | 'language' | 'flowName' | 'integrations' | 'llm'> & {
  /** Canned API_CALL answers: with them, the turn's fetch never reaches the network. */
  mocks?: MockSet;
};

export interface TurnRequest {
  id: number;
  /** The pool's number for `model`: a worker keeps the models it was sent. */
  modelKey: number;
  /** Sent the first time a worker needs it, or when the worker says it has forgotten it. */
  model?: FlowModel;
  /** Null starts the conversation (the greeting); otherwise the turn goes on from here. */
  snapshot: ConversationSnapshot | null;
  input: UserInput | null;
  options: TurnOptions;
  /** Set when the answer should carry the turn's trace: the session's number for this turn. */
  traceTurn: number | null;
  /** A greeting (snapshot and input null) that enters this state with these variables, not the initial state. */
  start: TurnStart | null;
}

/** What `run` may add to a turn beyond the conversation's place and the input. */
export interface TurnExtras {
  traceTurn?: number | null;
  start?: TurnStart | null;
}

export interface TurnStart {
  state: string;
  variables: Variables;
}

export interface TurnAnswer {
  messages: KnownMessage[];
  current_state: string;
  snapshot: ConversationSnapshot;
  /** Only when the request named `traceTurn`; secrets masked (src/flow/turnTrace.ts). */
  trace?: TurnTrace;
}

export interface TurnWorkerData {
  /** How often a worker whose event loop is free says so while it has turns. */
  beatMs: number;
}

export type WorkerMessage =
  | { type: 'done'; id: number; answer: TurnAnswer }
  | { type: 'failed'; id: number; name: string; message: string }
  | { type: 'missing-model'; id: number }
  /** Sent before a flow's own regex runs, so a stopped turn can name what it was doing. */
  | { type: 'evaluating'; id: number; what: string }
  | { type: 'evaluated'; id: number }
  | { type: 'beat' }
  /** The worker has loaded: from now on its silence counts against the budget. */
  | { type: 'ready' };
