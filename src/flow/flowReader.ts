// Reads a raw flow definition (parsed JSON) into a FlowModel, reporting malformed structure with
// paths. Cross-state checks (unknown targets, reachability, limits) live in validator.ts.
import { ConditionSyntaxError, parseCondition } from './condition.js';
import { childPath, IssueCollector, statePath } from './flowPaths.js';
import { isRecord } from './botMessages.js';
import { recogniseStateListFlow, recogniseV1Flow, stateListFormatMessage, v1FormatMessage } from './v1Format.js';
import { ACTION_TYPES } from './flowTypes.js';
import type {
  ActionModel,
  AgentTool,
  ApiCallAction,
  ApiCallTarget,
  EdgeKind,
  FlowAnalysis,
  FlowEdge,
  FlowModel,
  HttpMethod,
  InitialStateSource,
  IntegrationConfig,
  KeywordRule,
  RegexRule,
  StateModel,
  TransitionsModel,
} from './flowTypes.js';
import { MAX_API_TIMEOUT_MS } from './boundedFetch.js';
import { MAX_JSON_DEPTH, pathBeyondDepth } from './jsonDepth.js';
import { readMessages } from './messages.js';

/** Top-level keys that describe the flow rather than name a state, in both shapes. */
export const METADATA_KEYS = ['$schema', 'name', 'description', 'category', 'initial_state', 'integrations', 'intents'] as const;
export const STATE_FIELDS = ['message', 'actions', 'transitions', 'initial', 'save_input_as', 'description'] as const;
export const TRANSITION_TRIGGERS = ['buttons', 'keywords', 'regex', 'always', 'default', 'intents'] as const;
export const API_CALL_FIELDS = [
  'type',
  'integration',
  'path',
  'url',
  'method',
  'headers',
  'body',
  'save_to',
  'success_transition',
  'failure_transition',
  'timeout_ms',
  'fire_and_forget',
] as const;
export const LLM_AGENT_FIELDS = ['type', 'name', 'system_prompt', 'tools'] as const;
/** The intent that abandons the flow from any state (the dashboard user guide's rule). */
export const CANCEL_INTENT = 'cancel';
const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BUILT_IN_VARIABLES = ['contact_name', 'response'];

function warnUnknownFields(
  object: Record<string, unknown>,
  known: readonly string[],
  path: string,
  issues: IssueCollector,
): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      issues.warn(childPath(path, key), `Unknown field '${key}' is ignored.`);
    }
  }
}

function readVariableName(value: unknown, path: string, issues: IssueCollector): string | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== 'string' || !VARIABLE_NAME.test(value)) {
    issues.error(path, 'A variable name must be letters, digits and underscores, e.g. "order_id".');
    return null;
  }
  if (BUILT_IN_VARIABLES.includes(value)) {
    issues.warn(path, `'${value}' is a built-in variable; saving here overwrites it.`);
  }
  return value;
}

class StateReader {
  readonly edges: FlowEdge[] = [];

  constructor(private readonly issues: IssueCollector) {}

  read(name: string, value: Record<string, unknown>): StateModel {
    const path = statePath(name);
    warnUnknownFields(value, STATE_FIELDS, path, this.issues);
    if (value.initial !== undefined && typeof value.initial !== 'boolean') {
      this.issues.error(childPath(path, 'initial'), "'initial' must be true or false.");
    }
    const messages = value.message === undefined ? [] : readMessages(value.message, childPath(path, 'message'), this.issues);
    return {
      name,
      path,
      messages,
      actions: this.readActions(name, value.actions, childPath(path, 'actions')),
      transitions: this.readTransitions(name, value.transitions, childPath(path, 'transitions')),
      saveInputAs: readVariableName(value.save_input_as, childPath(path, 'save_input_as'), this.issues),
    };
  }

  private target(from: string, value: unknown, path: string, kind: EdgeKind): string | null {
    if (typeof value !== 'string' || value.trim() === '') {
      this.issues.error(path, 'A transition target must be the name of a state.');
      return null;
    }
    this.edges.push({ from, to: value, kind, path });
    return value;
  }

  private optionalTarget(from: string, object: Record<string, unknown>, field: string, path: string): string | null {
    const value = object[field];
    return value === undefined || value === null ? null : this.target(from, value, childPath(path, field), 'action');
  }

  private readTransitions(from: string, value: unknown, path: string): TransitionsModel {
    const transitions: TransitionsModel = { buttons: [], keywords: [], regex: [], intents: [], always: null, default: null };
    if (value === undefined || value === null) {
      return transitions;
    }
    if (!isRecord(value)) {
      this.issues.error(path, '\'transitions\' must be an object, e.g. {"default": "next_state"}.');
      return transitions;
    }
    for (const [trigger, spec] of Object.entries(value)) {
      const triggerPath = childPath(path, trigger);
      switch (trigger) {
        case 'default':
        case 'always':
          transitions[trigger] = this.target(from, spec, triggerPath, trigger);
          break;
        case 'buttons':
          for (const [id, to] of this.entries(spec, triggerPath, 'button or list-row id')) {
            const target = this.target(from, to, childPath(triggerPath, id), 'button');
            if (target !== null) {
              transitions.buttons.push({ id, target });
            }
          }
          break;
        case 'keywords':
          for (const [key, to] of this.entries(spec, triggerPath, 'keywords separated by "|"')) {
            const rule = this.keywordRule(key, childPath(triggerPath, key));
            const target = this.target(from, to, childPath(triggerPath, key), 'keyword');
            if (rule && target !== null) {
              transitions.keywords.push({ ...rule, target });
            }
          }
          break;
        case 'regex':
          for (const [key, to] of this.entries(spec, triggerPath, 'a regular expression')) {
            const rule = this.regexRule(key, childPath(triggerPath, key));
            const target = this.target(from, to, childPath(triggerPath, key), 'regex');
            if (rule && target !== null) {
              transitions.regex.push({ ...rule, target });
            }
          }
          break;
        case 'intents':
          for (const [intent, to] of this.entries(spec, triggerPath, 'intent names')) {
            const target = this.target(from, to, childPath(triggerPath, intent), 'intent');
            if (target !== null) {
              transitions.intents.push({ intent, target });
            }
          }
          break;
        default:
          this.issues.error(triggerPath, `Unknown transition trigger '${trigger}'; use ${TRANSITION_TRIGGERS.join(', ')}.`);
      }
    }
    return transitions;
  }

  private entries(spec: unknown, path: string, keyMeaning: string): [string, unknown][] {
    if (!isRecord(spec)) {
      this.issues.error(path, `Must be an object mapping ${keyMeaning} to a state name.`);
      return [];
    }
    return Object.entries(spec);
  }

  private keywordRule(key: string, path: string): Omit<KeywordRule, 'target'> | null {
    const words = key
      .split('|')
      .map((word) => word.trim())
      .filter((word) => word !== '');
    if (words.length === 0) {
      this.issues.error(path, 'A keyword key needs at least one word.');
      return null;
    }
    const alternatives = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
    // Whole words in any script: a keyword may not be glued to a letter, digit or underscore.
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
    return { key, pattern };
  }

  private regexRule(key: string, path: string): Omit<RegexRule, 'target'> | null {
    const literal = /^\/(.+)\/([a-z]*)$/s.exec(key);
    const source = literal ? (literal[1] ?? '') : key;
    // `g` and `y` make RegExp.test stateful between calls, which would make matching flaky.
    const flags = literal ? (literal[2] ?? '').replace(/[gy]/g, '') : '';
    try {
      return { key, pattern: new RegExp(source, flags) };
    } catch (error) {
      this.issues.error(path, `Invalid regular expression: ${(error as Error).message}`);
      return null;
    }
  }

  private readActions(from: string, value: unknown, path: string): ActionModel[] {
    if (value === undefined || value === null) {
      return [];
    }
    if (!Array.isArray(value)) {
      this.issues.error(path, "'actions' must be a list.");
      return [];
    }
    return value.flatMap((action, index) => {
      const model = this.readAction(from, action, childPath(path, index));
      return model ? [model] : [];
    });
  }

  private readAction(from: string, value: unknown, path: string): ActionModel | null {
    if (!isRecord(value)) {
      this.issues.error(path, 'An action must be an object with a "type".');
      return null;
    }
    switch (value.type) {
      case 'SEND_MESSAGE':
        warnUnknownFields(value, ['type', 'message'], path, this.issues);
        if (value.message === undefined) {
          this.issues.error(childPath(path, 'message'), 'SEND_MESSAGE needs a message.');
          return null;
        }
        return { type: 'SEND_MESSAGE', path, messages: readMessages(value.message, childPath(path, 'message'), this.issues) };
      case 'API_CALL':
        return this.readApiCall(from, value, path);
      case 'CONDITION':
        return this.readCondition(from, value, path);
      case 'LLM_AGENT':
        return this.readLlmAgent(value, path);
      default:
        this.issues.error(
          childPath(path, 'type'),
          value.type === undefined
            ? `Missing action type; known: ${ACTION_TYPES.join(', ')}.`
            : `Unknown action type ${JSON.stringify(value.type)}; known: ${ACTION_TYPES.join(', ')}.`,
        );
        return null;
    }
  }

  private readLlmAgent(value: Record<string, unknown>, path: string): ActionModel {
    warnUnknownFields(value, LLM_AGENT_FIELDS, path, this.issues);
    const text = (field: string): string | null => {
      const fieldValue = value[field];
      if (fieldValue !== undefined && typeof fieldValue !== 'string') {
        this.issues.error(childPath(path, field), `'${field}' must be a string.`);
      }
      return typeof fieldValue === 'string' ? fieldValue : null;
    };
    const tools: AgentTool[] = [];
    if (value.tools !== undefined && !Array.isArray(value.tools)) {
      this.issues.error(childPath(path, 'tools'), '\'tools\' must be a list, e.g. [{"name": "mcp", "collection": "orders", "enabled": true}].');
    }
    for (const [index, tool] of (Array.isArray(value.tools) ? value.tools : []).entries()) {
      const toolPath = childPath(childPath(path, 'tools'), index);
      if (!isRecord(tool) || typeof tool.name !== 'string') {
        this.issues.error(toolPath, 'A tool needs a "name", e.g. {"name": "mcp", "collection": "orders", "enabled": true}.');
        continue;
      }
      warnUnknownFields(tool, ['name', 'collection', 'enabled'], toolPath, this.issues);
      if (tool.collection !== undefined && typeof tool.collection !== 'string') {
        this.issues.error(childPath(toolPath, 'collection'), "'collection' must be the name of an MCP integration.");
      }
      if (tool.enabled !== undefined && typeof tool.enabled !== 'boolean') {
        this.issues.error(childPath(toolPath, 'enabled'), "'enabled' must be true or false.");
      }
      tools.push({
        name: tool.name,
        collection: typeof tool.collection === 'string' ? tool.collection : null,
        enabled: tool.enabled !== false,
      });
    }
    return { type: 'LLM_AGENT', path, name: text('name'), systemPrompt: text('system_prompt'), tools };
  }

  private readCondition(from: string, value: Record<string, unknown>, path: string): ActionModel | null {
    warnUnknownFields(value, ['type', 'if', 'then', 'else'], path, this.issues);
    const then = this.optionalTarget(from, value, 'then', path);
    const otherwise = this.optionalTarget(from, value, 'else', path);
    if (value.then == null && value.else == null) {
      this.issues.error(path, "A CONDITION needs 'then' or 'else' (a state name).");
    }
    if (typeof value.if !== 'string') {
      this.issues.error(childPath(path, 'if'), "A CONDITION needs 'if', e.g. \"{{variables.size}} == 'large'\".");
      return null;
    }
    try {
      return { type: 'CONDITION', path, source: value.if, expression: parseCondition(value.if), then, else: otherwise };
    } catch (error) {
      if (error instanceof ConditionSyntaxError) {
        this.issues.error(childPath(path, 'if'), `Invalid condition: ${error.message}`);
        return null;
      }
      throw error;
    }
  }

  private readApiCall(from: string, value: Record<string, unknown>, path: string): ApiCallAction | null {
    const issues = this.issues;
    const before = issues.errors.length;
    warnUnknownFields(value, API_CALL_FIELDS, path, issues);
    const text = (field: string): string | null => {
      const fieldValue = value[field];
      if (fieldValue === undefined || fieldValue === null) {
        return null;
      }
      if (typeof fieldValue !== 'string' || fieldValue.trim() === '') {
        issues.error(childPath(path, field), `'${field}' must be a non-empty string.`);
        return null;
      }
      return fieldValue;
    };

    let target: ApiCallTarget | null = null;
    const integration = text('integration');
    const apiPath = text('path');
    const url = text('url');
    if (integration !== null) {
      if (apiPath === null) {
        issues.error(childPath(path, 'path'), "'path' is required with 'integration', e.g. \"/orders/{{variables.order_id}}\".");
      } else {
        target = { kind: 'integration', integration, path: apiPath };
      }
      if (url !== null) {
        issues.warn(childPath(path, 'url'), "'url' is ignored when 'integration' is given.");
      }
    } else if (url !== null) {
      if (!/^https?:\/\//i.test(url) && !url.trimStart().startsWith('{{')) {
        issues.error(childPath(path, 'url'), "'url' must be an http(s) URL.");
      } else {
        target = { kind: 'url', url };
      }
    } else if (value.integration === undefined && value.url === undefined) {
      issues.error(path, "An API_CALL needs 'integration' and 'path', or a 'url'.");
    }

    const methodValue = value.method ?? 'GET';
    const method = typeof methodValue === 'string' ? methodValue.toUpperCase() : '';
    if (!HTTP_METHODS.includes(method as HttpMethod)) {
      issues.error(childPath(path, 'method'), `'method' must be one of ${HTTP_METHODS.join(', ')}.`);
    }

    const headers: Record<string, string> = {};
    if (value.headers !== undefined) {
      if (!isRecord(value.headers) || Object.values(value.headers).some((header) => typeof header !== 'string')) {
        issues.error(childPath(path, 'headers'), "'headers' must be an object of strings.");
      } else {
        Object.assign(headers, value.headers);
      }
    }
    if (value.body !== undefined) {
      if (method === 'GET' || method === 'DELETE') {
        issues.warn(childPath(path, 'body'), `A ${method} request carries no body; 'body' is ignored.`);
      } else if (!isRecord(value.body)) {
        issues.error(childPath(path, 'body'), "'body' must be an object: its fields are merged on top of the automatic {message, variables} body.");
      }
    }

    let timeoutMs: number | null = null;
    const timeout = value.timeout_ms;
    if (timeout !== undefined) {
      // Timers take whole milliseconds and overflow past 2^31-1, which fires them at once.
      if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_API_TIMEOUT_MS) {
        issues.error(
          childPath(path, 'timeout_ms'),
          `'timeout_ms' must be a whole number of milliseconds from 1 to ${MAX_API_TIMEOUT_MS}.`,
        );
      } else {
        timeoutMs = timeout;
      }
    }

    let fireAndForget = false;
    if (value.fire_and_forget !== undefined) {
      if (typeof value.fire_and_forget !== 'boolean') {
        issues.error(childPath(path, 'fire_and_forget'), "'fire_and_forget' must be true or false.");
      } else {
        fireAndForget = value.fire_and_forget;
      }
    }
    if (fireAndForget) {
      // Nobody waits for the answer, so nothing can be saved or routed on it.
      for (const field of ['save_to', 'success_transition', 'failure_transition']) {
        if (value[field] != null) {
          issues.warn(childPath(path, field), `'${field}' is ignored with fire_and_forget.`);
        }
      }
    }
    const saveTo = readVariableName(value.save_to, childPath(path, 'save_to'), issues);
    const successTransition = fireAndForget ? null : this.optionalTarget(from, value, 'success_transition', path);
    const failureTransition = fireAndForget ? null : this.optionalTarget(from, value, 'failure_transition', path);

    if (target === null || issues.errors.length > before) {
      return null;
    }
    return {
      type: 'API_CALL',
      path,
      target,
      method: method as HttpMethod,
      headers,
      body: isRecord(value.body) && method !== 'GET' && method !== 'DELETE' ? value.body : null,
      saveTo: fireAndForget ? null : saveTo,
      successTransition,
      failureTransition,
      timeoutMs,
      fireAndForget,
    };
  }
}

/** Integrations as a flow file or sarufi.sandbox.json declares them (`baseUrl`, or `base_url`). */
export function readIntegrations(
  value: unknown,
  path: string,
  issues: IssueCollector,
): Record<string, IntegrationConfig> {
  const integrations: Record<string, IntegrationConfig> = {};
  if (value === undefined) {
    return integrations;
  }
  if (!isRecord(value)) {
    issues.error(path, '\'integrations\' must be an object, e.g. {"orders": {"baseUrl": "http://127.0.0.1:8788"}}.');
    return integrations;
  }
  for (const [name, spec] of Object.entries(value)) {
    const specPath = childPath(path, name);
    const baseUrl = isRecord(spec) ? (spec.baseUrl ?? spec.base_url) : undefined;
    if (!isRecord(spec) || typeof baseUrl !== 'string' || !/^https?:\/\//i.test(baseUrl)) {
      issues.error(specPath, 'An integration needs "baseUrl", an http(s) URL.');
      continue;
    }
    const headers = spec.headers;
    if (headers !== undefined && (!isRecord(headers) || Object.values(headers).some((header) => typeof header !== 'string'))) {
      issues.error(childPath(specPath, 'headers'), "'headers' must be an object of strings.");
      continue;
    }
    integrations[name] = headers === undefined ? { baseUrl } : { baseUrl, headers: headers as Record<string, string> };
  }
  return integrations;
}

/** Top-level `"intents": {"greet": ["Hello", "Hi there"]}`: an intent is a name plus example phrases. */
function readIntents(value: unknown, issues: IssueCollector): Map<string, string[]> {
  const intents = new Map<string, string[]>();
  if (value === undefined) {
    return intents;
  }
  if (!isRecord(value)) {
    issues.error('intents', '\'intents\' must be an object of example phrases, e.g. {"greet": ["Hello", "Hi there"]}.');
    return intents;
  }
  for (const [name, examples] of Object.entries(value)) {
    if (!Array.isArray(examples) || examples.length === 0 || examples.some((example) => typeof example !== 'string' || example.trim() === '')) {
      issues.error(childPath('intents', name), 'An intent needs a list of example phrases, e.g. ["Hello", "Hi there"].');
      continue;
    }
    intents.set(name, examples as string[]);
  }
  return intents;
}

function optionalText(value: Record<string, unknown>, key: string, issues: IssueCollector): string | null {
  const field = value[key];
  if (field === undefined) {
    return null;
  }
  if (typeof field !== 'string') {
    issues.error(key, `'${key}' must be a string.`);
    return null;
  }
  return field;
}

function pickInitialState(
  definition: Record<string, unknown>,
  states: Map<string, StateModel>,
  rawStates: Record<string, unknown>,
  issues: IssueCollector,
): { name: string; source: InitialStateSource } {
  const flagged = [...states.keys()].filter((name) => {
    const raw = rawStates[name];
    return isRecord(raw) && raw.initial === true;
  });
  const explicit = optionalText(definition, 'initial_state', issues);
  const first = [...states.keys()][0] ?? '';
  if (explicit !== null) {
    if (!states.has(explicit)) {
      issues.error('initial_state', `Unknown initial state '${explicit}'.`);
      return { name: flagged[0] ?? first, source: flagged.length > 0 ? 'initial_flag' : 'first_state' };
    }
    for (const name of flagged.filter((candidate) => candidate !== explicit)) {
      issues.warn(childPath(statePath(name), 'initial'), `'initial_state' names '${explicit}', which takes precedence.`);
    }
    return { name: explicit, source: 'initial_state' };
  }
  if (flagged.length > 1) {
    for (const name of flagged.slice(1)) {
      issues.error(childPath(statePath(name), 'initial'), `Only one state can be initial; '${flagged[0]}' already is.`);
    }
  }
  const flaggedFirst = flagged[0];
  return flaggedFirst !== undefined ? { name: flaggedFirst, source: 'initial_flag' } : { name: first, source: 'first_state' };
}

/**
 * Two shapes: `{"states": {...}, ...metadata}`, or the states themselves at the top level (then
 * the metadata keys cannot name states, and neither can `states`).
 */
export function readFlow(definition: unknown): FlowAnalysis {
  const issues = new IssueCollector();
  if (!isRecord(definition)) {
    issues.error('', 'A flow must be a JSON object: a map of states, or {"states": {...}}.');
    return { model: null, errors: issues.errors, warnings: issues.warnings };
  }
  // Every later walk (templates, variable checks, answers) recurses, so depth is bounded first.
  const tooDeep = pathBeyondDepth(definition);
  if (tooDeep !== null) {
    issues.error(
      tooDeep.reduce<string>((path, key) => childPath(path, key), ''),
      `The flow nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels here; flatten it.`,
    );
    return { model: null, errors: issues.errors, warnings: issues.warnings };
  }
  const v1 = recogniseV1Flow(definition);
  if (v1) {
    // One clear error instead of an unknown-field error on every state of an older-format file.
    issues.error(v1.path, v1FormatMessage(v1));
    return { model: null, errors: issues.errors, warnings: issues.warnings };
  }
  const stateList = recogniseStateListFlow(definition);
  if (stateList !== null) {
    // Not "'states' must be an object": the file is whole, in a shape of its own.
    issues.error(stateList, stateListFormatMessage());
    return { model: null, errors: issues.errors, warnings: issues.warnings };
  }
  let rawStates: Record<string, unknown>;
  if (definition.states !== undefined) {
    // flows.mdx's own PATCH example sends `{"states": []}`: an empty flow, read like `{}`.
    const states = Array.isArray(definition.states) && definition.states.length === 0 ? {} : definition.states;
    if (!isRecord(states)) {
      issues.error('states', "'states' must be an object mapping state names to states.");
      return { model: null, errors: issues.errors, warnings: issues.warnings };
    }
    rawStates = states;
    warnUnknownFields(definition, [...METADATA_KEYS, 'states'], '', issues);
  } else {
    rawStates = Object.fromEntries(
      Object.entries(definition).filter(([key]) => !(METADATA_KEYS as readonly string[]).includes(key)),
    );
  }

  const name = optionalText(definition, 'name', issues);
  const description = optionalText(definition, 'description', issues);
  optionalText(definition, 'category', issues);
  const integrations = readIntegrations(definition.integrations, 'integrations', issues);
  const intents = readIntents(definition.intents, issues);

  const reader = new StateReader(issues);
  const states = new Map<string, StateModel>();
  for (const [stateName, rawState] of Object.entries(rawStates)) {
    if (!isRecord(rawState)) {
      issues.error(statePath(stateName), 'A state must be an object, e.g. {"message": "Hi!", "transitions": {...}}.');
      continue;
    }
    states.set(stateName, reader.read(stateName, rawState));
  }
  if (states.size === 0) {
    if (Object.keys(rawStates).length === 0) {
      issues.error('states', 'The flow has no states.');
    }
    return { model: null, errors: issues.errors, warnings: issues.warnings };
  }
  const initial = pickInitialState(definition, states, rawStates, issues);
  const model: FlowModel = {
    name,
    description,
    initialState: initial.name,
    initialSource: initial.source,
    states,
    edges: reader.edges,
    integrations,
    intents,
  };
  return { model, errors: issues.errors, warnings: issues.warnings };
}
