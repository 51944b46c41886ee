// The typed messages between the extension host and its webviews (the chat, the flow graph). Both
// sides import this file, so a message that one side sends and the other does not understand is a
// compile error.
import type { SessionInfo, TranscriptEntry, UserInput } from './chat/transcript.js';
import type { Exchange } from './sarufi/exchange.js';
import type { GenericMessage } from './flow/botMessages.js';
import type { TurnTrace } from './flow/turnTrace.js';
import type { Variables } from './flow/template.js';
import type { Persona } from './sarufi/sandboxExtensions.js';

/**
 * An entry as the page gets it: without its raw exchange, which stays in the host until the
 * inspector asks for it (`inspect`), so a long transcript is sent as what the log shows.
 */
export type ShownEntry = TranscriptEntry extends infer Entry
  ? Entry extends { exchange?: Exchange }
    ? Omit<Entry, 'exchange'> & { inspectable: boolean; traced: boolean }
    : Entry
  : never;

/** A run of consecutive entries, and whether the transcript holds older ones before it. */
export interface ShownWindow {
  entries: ShownEntry[];
  hasEarlier: boolean;
}

export type ShownTurn = Extract<ShownEntry, { kind: 'turn' }>;
export type ShownError = Extract<ShownEntry, { kind: 'error' }>;

/** What became of a `send` the page posted: its outcome, or null while the bot is still at it. */
export interface SendState {
  requestId: number;
  ok: boolean | null;
}

/** Messages the webview posts to the host. */
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; requestId: number; input: UserInput }
  | { type: 'retry'; entryId: string }
  /** The inspector was opened: the host answers with `exchange` and the same id. */
  | { type: 'inspect'; requestId: number; entryId: string }
  /** The author scrolled to the top: the host answers with `earlierEntries` and the same id. */
  | { type: 'earlier'; requestId: number; beforeId: string }
  /** The Why? or Variables view of a turn was opened: the host answers with `trace` and the same id. */
  | { type: 'trace'; requestId: number; entryId: string }
  /** Fork from here: a new panel whose session starts where this one stood after the turn. */
  | { type: 'fork'; entryId: string }
  /** Chat from here: the author filled in the start form (`init`'s `startForm`) and pressed Start. */
  | { type: 'startAt'; variables: Variables }
  /** A new session as this persona (sandbox only). */
  | { type: 'setPersona'; persona: Persona }
  /** Stop replaying the inputs of a fork on a server without snapshots. */
  | { type: 'cancelReplay' }
  /** Pick another transcript and open both in VS Code's diff editor. */
  | { type: 'compare' }
  | { type: 'newSession' }
  | { type: 'restartSession' }
  | { type: 'saveAsTest' }
  | { type: 'setApiKey' }
  | { type: 'export'; format: 'json' | 'markdown' }
  | { type: 'copy'; text: string; what: string }
  /** Copy as curl: the host builds the command, with the sandbox's key when the entry went to the sandbox. */
  | { type: 'copyCurl'; entryId: string }
  | { type: 'openLink'; url: string }
  | { type: 'revealState'; state: string }
  | { type: 'log'; level: 'error' | 'warn'; text: string };

/**
 * Whether the bot is working on a reply, with a note (a rate-limit wait, where the debugger holds
 * the turn), and what the bot has sent so far in a turn the flow debugger holds: the page shows
 * those messages as they are sent, before the turn ends and becomes an entry.
 */
export interface BusyState {
  busy: boolean;
  note?: string;
  sent?: GenericMessage[];
}

/** Messages the host posts to the webview. */
export type HostToWebview =
  /**
   * The whole panel: sent on ready, which a page says again when a hidden panel is shown (VS Code
   * drops a hidden page). It carries what the page missed meanwhile: whether the bot is working,
   * and what became of the sends the page posted, so a send that ended out of sight settles then.
   * `entries` are the newest ones only (src/chat/shownEntry.ts's SHOWN_WINDOW); the page asks for
   * the rest with `earlier`.
   */
  | ({
      type: 'init';
      panelId: string;
      session: SessionInfo;
      readOnly: boolean;
      busy: BusyState;
      sends: SendState[];
      /** A fork's replay under way, for a page that was hidden when its progress went out. */
      replay: ReplayProgress | null;
      /** Chat from here: the session waits for the author to check the variables and press Start. */
      startForm: StartForm | null;
    } & ShownWindow)
  /** One more entry; the page appends it without re-rendering the rest. */
  | { type: 'append'; entry: ShownEntry }
  /** The answer to `inspect`: the entry's exchange, or null when there is none (any more). */
  | { type: 'exchange'; requestId: number; exchange: Exchange | null }
  /** The answer to `trace`: the turn's sandbox trace, or null when the server sent none (Sarufi does not). */
  | { type: 'trace'; requestId: number; trace: TurnTrace | null }
  /** A fork replaying inputs on a server without snapshots; null when it ended or was cancelled. */
  | { type: 'replay'; progress: ReplayProgress | null }
  /** The answer to `earlier`: the entries before the one named, oldest first. */
  | ({ type: 'earlierEntries'; requestId: number } & ShownWindow)
  | { type: 'session'; session: SessionInfo }
  /** The bot is working on a reply (typing indicator); `note` says why it takes long (rate limit). */
  | ({ type: 'busy' } & BusyState)
  /** The outcome of a `send`: on failure the page keeps the typed text in the box. */
  | { type: 'sendResult'; requestId: number; ok: boolean }
  /**
   * What the host posted within one turn of its event loop, in order. In code-server each post is
   * a trip through a WebSocket and two frames: a reply's session, entry, busy and outcome go as one.
   */
  | { type: 'batch'; messages: HostToWebview[] };

/** How far a fork's replay of the author's inputs has got. */
export interface ReplayProgress {
  done: number;
  total: number;
}

/** Chat from here: the state a session will start in, and the variables prefilled from the flow's `{{…}}`. */
export interface StartForm {
  state: string;
  variables: Variables;
}

/** What the page keeps across hide/show and reloads through `setState`: the author's own input. */
export interface ChatViewState {
  panelId: string;
  draft: string;
  history: string[];
  /** Typed sends not yet settled, by request id: a page recreated meanwhile still knows them. */
  pendingSends: [number, string][];
  /** Request ids go on counting across page reloads, so an old outcome never settles a new send. */
  nextRequestId: number;
  /** Shown as WhatsApp would show it (phone width, its limits marked). Absent in older states: false. */
  whatsapp?: boolean;
}

/** The subset of the VS Code webview API the page uses; injected by VS Code, faked in tests. */
export interface VsCodeApi<State, Message = WebviewToHost> {
  postMessage(message: Message): void;
  getState(): State | undefined;
  setState(state: State): void;
}

/**
 * The longest message the Chat API accepts, counted as the service counts (code points): the page
 * refuses longer text before sending, with the same count as the client.
 */
export { characterCount, MAX_MESSAGE_LENGTH } from './sarufi/endpoints.js';

/**
 * The page's WhatsApp view marks what WhatsApp would refuse with the sandbox's own rules, and shows
 * a masked trace value as the trace names it: re-exported here because the page may import values
 * only from this file and src/flow/botMessages.ts.
 */
export { WHATSAPP_LIMITS, whatsappWarnings } from './flow/whatsappLimits.js';
export { MASKED_VALUE } from './flow/turnTrace.js';
/** The header says who the author chats as in the same words as the tab and the dividers. */
export { personaLabel } from './chat/panelTitle.js';

// ---------------------------------------------------------------------------------------------
// The flow graph (Sarufi: Show Flow Graph): the host reads the flow and sends the graph; the page
// lays it out and draws it, and reports what the author does. Every edit is made by the host, as
// a text edit on the document.

/** What a state's node shows beside its name. */
export type GraphNodeMark = 'buttons' | 'list' | 'media' | 'API_CALL' | 'CONDITION' | 'LLM_AGENT' | 'SEND_MESSAGE' | 'cancel';

/** The trigger an edge is labelled with: one per way out of a state. */
export type GraphTrigger = 'button' | 'keyword' | 'regex' | 'intent' | 'default' | 'always' | 'success' | 'failure' | 'then' | 'else' | 'cancel';

export interface GraphNode {
  /** The state's name (unique in a flow). */
  id: string;
  /** The first line of its first message, if it has one. */
  firstLine: string | null;
  marks: GraphNodeMark[];
  initial: boolean;
  /** Nothing leads here from the initial state. */
  unreachable: boolean;
  /** From the editor's diagnostics on the state's range: counts and the first message. */
  errors: number;
  warnings: number;
  problem: string | null;
  /** 0-based line of the state's key. */
  line: number;
}

export interface GraphEdge {
  /** The JSON path of the field that names the target: unique, and stable while the field stays. */
  id: string;
  from: string;
  to: string;
  trigger: GraphTrigger;
  /** The button title, keyword, `/regex/`, intent name…, as the author reads it. */
  label: string;
  /** The target is not a state of the flow. */
  dangling: boolean;
}

export interface FlowGraph {
  /** The flow's name, or the file's. */
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** One step of a path drawn on the graph: the edge taken (null when it could not be told) into `to`. */
export interface GraphPathStep {
  from: string;
  to: string;
  edge: string | null;
}

/** A chat on this flow: its current state and the path its conversation took, in order. */
export interface GraphLiveChat {
  panelId: string;
  title: string;
  current: string | null;
  steps: GraphPathStep[];
}

/** The last Run with Coverage of this flow. */
export interface GraphCoverage {
  statesReached: number;
  statesTotal: number;
  transitionsReached: number;
  transitionsTotal: number;
  /** Names of the states and ids (paths) of the edges that no test reached. */
  unreachedStates: string[];
  unreachedEdges: string[];
}

/** A failing conversation test of this flow: its path up to the step that failed. */
export interface GraphFailingTest {
  name: string;
  message: string;
  steps: GraphPathStep[];
  /** The state the conversation stood in when the step failed. */
  failedAt: string | null;
}

/** Why the text does not parse: the last good graph stays under a banner that says this. */
export interface GraphProblem {
  /** 1-based. */
  line: number;
  message: string;
}

export type GraphHostToWebview =
  | {
      type: 'init';
      /** The document's URI (kept in the page's state, so a reload restores the same graph). */
      uri: string;
      /** The file's name, for the header. */
      fileName: string;
      locked: boolean;
      graph: FlowGraph | null;
      problem: GraphProblem | null;
      selected: string | null;
      live: GraphLiveChat[];
      coverage: GraphCoverage | null;
      failing: GraphFailingTest[];
    }
  /** The flow as it is now (an edit, an undo, a write on disk, or another document followed). */
  | { type: 'graph'; uri: string; fileName: string; graph: FlowGraph }
  /** The text does not parse (null: it does again). */
  | { type: 'problem'; problem: GraphProblem | null }
  /** The editor's cursor moved into this state. */
  | { type: 'select'; state: string | null }
  | { type: 'locked'; locked: boolean }
  | { type: 'live'; chats: GraphLiveChat[] }
  | { type: 'coverage'; coverage: GraphCoverage | null }
  | { type: 'failing'; tests: GraphFailingTest[] }
  | { type: 'batch'; messages: GraphHostToWebview[] };

export type GraphWebviewToHost =
  | { type: 'ready' }
  /** A node was clicked or chosen with Enter: put the editor's cursor on the state's key. */
  | { type: 'reveal'; state: string }
  | { type: 'addState' }
  /** The author drew a transition; the host asks which trigger. */
  | { type: 'addTransition'; from: string; to: string }
  | { type: 'deleteTransition'; edge: string }
  | { type: 'deleteState'; state: string }
  | { type: 'rename'; state: string }
  | { type: 'chatFromHere'; state: string }
  | { type: 'previewFlow' }
  | { type: 'copyMermaid' }
  /** Save as SVG: the drawing as the page shows it, without the page's live marks' animation. */
  | { type: 'saveSvg'; svg: string }
  | { type: 'toggleLock' }
  | { type: 'log'; level: 'error' | 'warn'; text: string };

/** What the graph page keeps across hide/show and reloads: which file, and where the author looked. */
export interface GraphViewState {
  uri: string;
  locked: boolean;
  view?: { x: number; y: number; scale: number };
}
