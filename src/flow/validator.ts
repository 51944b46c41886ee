// The sandbox's answer to POST …/flows/{id}/validate: structure (flowReader.ts) plus the checks
// that need the whole flow. Errors stop a flow from running or being published; warnings do not.
import type { ValidationResult } from '../sarufi/types.js';
import { conditionVariables } from './condition.js';
import { childPath, IssueCollector } from './flowPaths.js';
import { readFlow } from './flowReader.js';
import { checkRegexSafety } from './regexSafety.js';
import type { FlowAnalysis, FlowModel, PlacedMessage, StateModel } from './flowTypes.js';
import { choicesOf } from './messages.js';
import { hasPlaceholder, placeholderPaths, stringsIn, variableRoot } from './template.js';
import { whatsappWarnings } from './whatsappLimits.js';

export const NO_FALLBACK_WARNING = 'No fallback transition defined - users may get stuck.';
export const MAX_AUTOMATIC_MOVES = 25;

export interface ValidateOptions {
  /**
   * Integration names the sandbox has a base URL for (from sarufi.sandbox.json or options).
   * When given, an API_CALL naming another integration gets a warning.
   */
  knownIntegrations?: readonly string[];
}

function messagesOf(state: StateModel): PlacedMessage[] {
  return [
    ...state.messages,
    ...state.actions.flatMap((action) => (action.type === 'SEND_MESSAGE' ? action.messages : [])),
  ];
}

function checkTargets(model: FlowModel, issues: IssueCollector): void {
  for (const edge of model.edges) {
    if (!model.states.has(edge.to)) {
      issues.error(edge.path, `Unknown state '${edge.to}'.`);
    }
  }
}

function checkReachability(model: FlowModel, issues: IssueCollector): void {
  const reached = new Set([model.initialState]);
  const queue = [model.initialState];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const edge of model.edges) {
      if (edge.from === next && model.states.has(edge.to) && !reached.has(edge.to)) {
        reached.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  for (const state of model.states.values()) {
    if (!reached.has(state.name)) {
      issues.warn(state.path, `State '${state.name}' is unreachable from the initial state '${model.initialState}'.`);
    }
  }
}

/** True when some action always moves on (both outcomes routed), so the state never waits. */
function alwaysRoutesByAction(state: StateModel): boolean {
  return state.actions.some(
    (action) =>
      (action.type === 'CONDITION' && action.then !== null && action.else !== null) ||
      (action.type === 'API_CALL' && action.successTransition !== null && action.failureTransition !== null),
  );
}

function checkTransitions(model: FlowModel, state: StateModel, issues: IssueCollector): void {
  const transitions = state.transitions;
  const transitionsPath = childPath(state.path, 'transitions');
  const inputTriggers = transitions.buttons.length + transitions.keywords.length + transitions.regex.length;
  const hasEdges = model.edges.some((edge) => edge.from === state.name);
  if (hasEdges && transitions.always === null && transitions.default === null && !alwaysRoutesByAction(state)) {
    issues.warn(transitionsPath, NO_FALLBACK_WARNING);
  }
  if (transitions.always !== null && (inputTriggers > 0 || transitions.default !== null)) {
    issues.warn(
      childPath(transitionsPath, 'always'),
      "'always' moves on at once, so this state's buttons, keywords, regex and default are never used.",
    );
  }
  const offered = messagesOf(state).flatMap(({ message }) => choicesOf(message));
  if (!offered.some((choice) => hasPlaceholder(choice.id))) {
    for (const rule of transitions.buttons) {
      if (!offered.some((choice) => choice.id === rule.id)) {
        issues.warn(
          childPath(childPath(transitionsPath, 'buttons'), rule.id),
          `No button or list row with id '${rule.id}' in this state's messages.`,
        );
      }
    }
  }
}

function checkMessages(state: StateModel, issues: IssueCollector): void {
  for (const { message, path } of messagesOf(state)) {
    for (const warning of whatsappWarnings(message, path)) {
      issues.warn(warning.path, warning.message);
    }
    const seen = new Set<string>();
    for (const { id } of choicesOf(message)) {
      if (seen.has(id)) {
        issues.warn(path, `Duplicate button or row id '${id}': WhatsApp needs unique ids in a message.`);
      }
      seen.add(id);
    }
  }
}

function checkAlwaysLoops(model: FlowModel, issues: IssueCollector): void {
  const reported = new Set<string>();
  for (const start of model.states.keys()) {
    const chain: string[] = [];
    let current: string | null = start;
    while (current !== null && model.states.has(current) && !chain.includes(current)) {
      chain.push(current);
      current = model.states.get(current)?.transitions.always ?? null;
    }
    if (current === null || !chain.includes(current)) {
      continue;
    }
    const loop = chain.slice(chain.indexOf(current));
    const key = [...loop].sort().join('\u0000');
    if (!reported.has(key)) {
      reported.add(key);
      const state = model.states.get(current);
      issues.warn(
        childPath(childPath(state?.path ?? '', 'transitions'), 'always'),
        `'always' transitions loop (${[...loop, current].join(' → ')}); the sandbox stops after ${MAX_AUTOMATIC_MOVES} automatic moves.`,
      );
    }
  }
}

function checkVariables(model: FlowModel, issues: IssueCollector): void {
  const defined = new Set(['contact_name', 'response']);
  for (const state of model.states.values()) {
    if (state.saveInputAs !== null) {
      defined.add(state.saveInputAs);
    }
    for (const action of state.actions) {
      if (action.type === 'API_CALL' && action.saveTo !== null) {
        defined.add(action.saveTo);
      }
    }
  }
  const check = (path: string, variablePaths: string[]): void => {
    const roots = new Set(variablePaths.map(variableRoot).filter((root) => root !== ''));
    for (const root of roots) {
      if (!defined.has(root)) {
        issues.warn(path, `Variable '${root}' is never set in this flow (set it with save_input_as or an API_CALL's save_to).`);
      }
    }
  };
  const inStrings = (value: unknown): string[] => stringsIn(value).flatMap(placeholderPaths);
  for (const state of model.states.values()) {
    for (const { message, path } of state.messages) {
      check(path, inStrings(message));
    }
    for (const action of state.actions) {
      switch (action.type) {
        case 'SEND_MESSAGE':
          for (const { message, path } of action.messages) {
            check(path, inStrings(message));
          }
          break;
        case 'API_CALL':
          check(
            childPath(action.path, action.target.kind === 'url' ? 'url' : 'path'),
            inStrings(action.target.kind === 'url' ? action.target.url : action.target.path),
          );
          check(childPath(action.path, 'headers'), inStrings(action.headers));
          check(childPath(action.path, 'body'), inStrings(action.body));
          break;
        case 'CONDITION':
          check(childPath(action.path, 'if'), conditionVariables(action.expression));
          break;
        case 'LLM_AGENT':
          break;
      }
    }
  }
}

function checkIntegrations(model: FlowModel, known: readonly string[], issues: IssueCollector): void {
  const available = new Set([...known, ...Object.keys(model.integrations)]);
  for (const state of model.states.values()) {
    for (const action of state.actions) {
      if (action.type === 'API_CALL' && action.target.kind === 'integration' && !available.has(action.target.integration)) {
        issues.warn(
          childPath(action.path, 'integration'),
          `The sandbox has no base URL for integration '${action.target.integration}': add it to sarufi.sandbox.json or the flow's "integrations".`,
        );
      }
    }
  }
}

/** Reads and checks a flow; the engine runs `model` only when `errors` is empty. */
export function analyzeFlow(definition: unknown, options: ValidateOptions = {}): FlowAnalysis {
  const read = readFlow(definition);
  const issues = new IssueCollector();
  issues.errors.push(...read.errors);
  issues.warnings.push(...read.warnings);
  const model = read.model;
  if (model) {
    checkTargets(model, issues);
    checkReachability(model, issues);
    for (const state of model.states.values()) {
      checkTransitions(model, state, issues);
      checkMessages(state, issues);
      checkRegexSafety(state, issues);
    }
    checkAlwaysLoops(model, issues);
    checkVariables(model, issues);
    if (options.knownIntegrations) {
      checkIntegrations(model, options.knownIntegrations, issues);
    }
  }
  return { model, errors: issues.errors, warnings: issues.warnings };
}

export function validateFlow(definition: unknown, options: ValidateOptions = {}): ValidationResult {
  const { errors, warnings } = analyzeFlow(definition, options);
  return { valid: errors.length === 0, errors, warnings };
}
