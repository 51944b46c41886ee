// The sandbox's reading of a flow file: what the engine runs and the validator checks. The raw
// JSON is parsed once by flowReader.ts into these shapes, so neither consumer guesses at shapes.
import type { FlowIssue } from '../sarufi/types.js';
import type { KnownMessage } from './botMessages.js';
import type { ConditionExpr } from './condition.js';

/** Where an integration lives: API_CALL `path`s are appended to `baseUrl`. */
export interface IntegrationConfig {
  baseUrl: string;
  headers?: Record<string, string>;
}

export type InitialStateSource = 'initial_state' | 'initial_flag' | 'first_state';

export interface PlacedMessage {
  message: KnownMessage;
  /** Where the message sits in the file, e.g. `states.menu.message[1]`. */
  path: string;
}

export interface ButtonRule {
  id: string;
  target: string;
}

export interface KeywordRule {
  /** The key as written, e.g. `yes|ndiyo`. */
  key: string;
  /** One case-insensitive, whole-word pattern for all the key's alternatives. */
  pattern: RegExp;
  target: string;
}

export interface RegexRule {
  key: string;
  pattern: RegExp;
  target: string;
}

/** `"intents": {"greet": "welcome"}` in a state's transitions: intent name → state. */
export interface IntentRule {
  intent: string;
  target: string;
}

export interface TransitionsModel {
  buttons: ButtonRule[];
  keywords: KeywordRule[];
  regex: RegexRule[];
  intents: IntentRule[];
  always: string | null;
  default: string | null;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type ApiCallTarget =
  | { kind: 'integration'; integration: string; path: string }
  | { kind: 'url'; url: string };

export interface SendMessageAction {
  type: 'SEND_MESSAGE';
  path: string;
  messages: PlacedMessage[];
}

export interface ApiCallAction {
  type: 'API_CALL';
  path: string;
  target: ApiCallTarget;
  method: HttpMethod;
  headers: Record<string, string>;
  /** Declared fields merged on top of the automatic body; null without one, and on GET/DELETE. */
  body: Record<string, unknown> | null;
  saveTo: string | null;
  successTransition: string | null;
  failureTransition: string | null;
  timeoutMs: number | null;
  fireAndForget: boolean;
}

export interface ConditionAction {
  type: 'CONDITION';
  path: string;
  source: string;
  expression: ConditionExpr;
  then: string | null;
  else: string | null;
}

/** An MCP collection the agent may use: `{"name": "mcp", "collection": "<integration>", "enabled": true}`. */
export interface AgentTool {
  name: string;
  collection: string | null;
  enabled: boolean;
}

/** The shape mcp-integration.mdx documents. */
export interface LlmAgentAction {
  type: 'LLM_AGENT';
  path: string;
  name: string | null;
  systemPrompt: string | null;
  tools: AgentTool[];
}

export type ActionModel = SendMessageAction | ApiCallAction | ConditionAction | LlmAgentAction;

export const ACTION_TYPES = ['SEND_MESSAGE', 'API_CALL', 'CONDITION', 'LLM_AGENT'] as const;

export type EdgeKind = 'button' | 'keyword' | 'regex' | 'intent' | 'always' | 'default' | 'action';

/** Every way out of a state, with the path of the field that names the target. */
export interface FlowEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  path: string;
}

export interface StateModel {
  name: string;
  path: string;
  messages: PlacedMessage[];
  actions: ActionModel[];
  transitions: TransitionsModel;
  saveInputAs: string | null;
}

export interface FlowModel {
  name: string | null;
  description: string | null;
  initialState: string;
  initialSource: InitialStateSource;
  /** In file order. */
  states: Map<string, StateModel>;
  edges: FlowEdge[];
  integrations: Record<string, IntegrationConfig>;
  /** Top-level `"intents"`: intent name → example phrases, in file order. */
  intents: Map<string, string[]>;
}

export interface FlowAnalysis {
  /** Null when the definition is too broken to describe (not an object, no states). */
  model: FlowModel | null;
  errors: FlowIssue[];
  warnings: FlowIssue[];
}
