// The messages between a debugged conversation (debugConversation.ts, in the debug adapter) and its
// worker thread (debugWorker.ts), which runs the engine under the debug runtime.
import type { KnownMessage } from '../flow/botMessages.js';
import type { ConversationSnapshot } from '../flow/engine.js';
import type { FlowDebugRuntime, DebugStop } from '../flow/debugRuntime.js';
import type { FlowModel } from '../flow/flowTypes.js';
import type { Variables } from '../flow/template.js';
import type { TurnOptions } from './turnProtocol.js';

/** The runtime's methods the adapter may call; each call is answered with a reply of the same id. */
export type RuntimeMethod = 'start' | 'send' | 'setBreakpoints' | 'setExceptionFilters' | 'resume' | 'pause' | 'frames' | 'scopes' | 'evaluate' | 'setVariable' | 'restartFrom' | 'snapshot';

export type RuntimeArgs<M extends RuntimeMethod> = Parameters<FlowDebugRuntime[M]>;
export type RuntimeResult<M extends RuntimeMethod> = Awaited<ReturnType<FlowDebugRuntime[M]>>;

export interface DebugWorkerData {
  model: FlowModel;
  options: TurnOptions;
  snapshot: ConversationSnapshot | null;
  /** The variables a new conversation starts with (a resumed one has its own). */
  variables: Variables;
  /** How often the worker says its event loop is free while a turn is under way. */
  beatMs: number;
}

/** What `start` and `send` answer: the turn, and where the conversation now stands. */
export interface DebugTurnAnswer {
  messages: KnownMessage[];
  current_state: string;
  snapshot: ConversationSnapshot;
}

export interface DebugCall {
  id: number;
  method: RuntimeMethod;
  args: unknown[];
}

export type DebugWorkerMessage =
  | { type: 'ready' }
  | { type: 'beat' }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; name: string; message: string }
  | { type: 'stopped'; stop: DebugStop }
  | { type: 'output'; text: string }
  | { type: 'sent'; messages: KnownMessage[] };
