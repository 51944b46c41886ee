// The sandbox's answer to POST …/flows/{id}/validate: structure (flowReader.ts) plus the checks
// that need the whole flow. Errors stop a flow from running or being published; warnings do not.
import type { ValidationResult } from '../sarufi/types.js';
import { conditionVariables } from './condition.js';
import { childPath, IssueCollector } from './flowPaths.js';
import { CANCEL_INTENT, readFlow } from './flowReader.js';
import type { FlowAnalysis, FlowEdge, FlowModel, PlacedMessage, StateModel } from './flowTypes.js';
import { choicesOf } from './botMessages.js';
import { hasPlaceholder, placeholderPaths, stringsIn, variableRoot } from './template.js';
import { whatsappWarnings } from './whatsappLimits.js';

export const NO_FALLBACK_WARNING = 'No fallback transition defined - users may get stuck.';
export const MAX_AUTOMATIC_MOVES = 25;
export const SAVE_INPUT_AS_NOTICE =
  "'save_input_as' is the sandbox's own addition: Sarufi stores the answer under the state's name";

export interface ValidateOptions {
  /**
   * Integration names the sandbox has a base URL for (from sarufi.sandbox.json or options).
   * When given, an API_CALL naming another integration gets a warning.
   */
  knownIntegrations?: readonly string[];
  /**
   * Warns about regex triggers that can backtrack catastrophically (regexSafety.ts). Passed in
   * rather than imported, so that the editor can load its detector on first use.
   */
  checkRegexSafety?: (state: StateModel, issues: IssueCollector) => void;
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

function cancelsFromAnywhere(model: FlowModel): boolean {
  return model.intents.has(CANCEL_INTENT) && model.states.has(CANCEL_INTENT);
}

/** Each state's outgoing edges, built once so that no check scans every edge per state. */
function edgesByState(model: FlowModel): Map<string, FlowEdge[]> {
  const byState = new Map<string, FlowEdge[]>();
  for (const edge of model.edges) {
    const list = byState.get(edge.from);
    if (list) {
      list.push(edge);
    } else {
      byState.set(edge.from, [edge]);
    }
  }
  return byState;
}

function checkReachability(model: FlowModel, outgoing: Map<string, FlowEdge[]>, issues: IssueCollector): void {
  // The cancel intent reaches the `cancel` state from every state.
  const starts = cancelsFromAnywhere(model) ? [model.initialState, CANCEL_INTENT] : [model.initialState];
  const reached = new Set(starts);
  const queue = [...starts];
  for (let index = 0; index < queue.length; index += 1) {
    for (const edge of outgoing.get(queue[index] ?? '') ?? []) {
      if (model.states.has(edge.to) && !reached.has(edge.to)) {
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
  const fallback = state.transitions.default;
  return state.actions.some(
    (action) =>
      (action.type === 'CONDITION' && action.then !== null && action.else !== null) ||
      (action.type === 'API_CALL' &&
        (action.fireAndForget ? fallback !== null : (action.successTransition ?? fallback) !== null && (action.failureTransition ?? fallback) !== null)),
  );
}

function checkTransitions(model: FlowModel, state: StateModel, hasEdges: boolean, issues: IssueCollector): void {
  const transitions = state.transitions;
  const transitionsPath = childPath(state.path, 'transitions');
  const inputTriggers = transitions.buttons.length + transitions.keywords.length + transitions.regex.length + transitions.intents.length;
  if (hasEdges && transitions.always === null && transitions.default === null && !alwaysRoutesByAction(state)) {
    issues.warn(transitionsPath, NO_FALLBACK_WARNING);
  }
  if (transitions.always !== null && (inputTriggers > 0 || transitions.default !== null)) {
    issues.warn(
      childPath(transitionsPath, 'always'),
      "'always' moves on at once, so this state's buttons, keywords, regex, intents and default are never used.",
    );
  }
  for (const rule of transitions.intents) {
    if (!model.intents.has(rule.intent)) {
      issues.warn(
        childPath(childPath(transitionsPath, 'intents'), rule.intent),
        `No intent '${rule.intent}' in the top-level "intents" (its example phrases), so the sandbox never matches it.`,
      );
    }
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

/**
 * Each state has at most one 'always' target, so every walk is followed once: a walk stops at a
 * state an earlier walk finished, and a loop is found where a walk meets itself.
 */
function checkAlwaysLoops(model: FlowModel, issues: IssueCollector): void {
  const finished = new Set<string>();
  for (const start of model.states.keys()) {
    const walk = new Map<string, number>();
    const chain: string[] = [];
    let current: string | null = start;
    while (current !== null && model.states.has(current) && !finished.has(current) && !walk.has(current)) {
      walk.set(current, chain.length);
      chain.push(current);
      current = model.states.get(current)?.transitions.always ?? null;
    }
    const loopStart = current === null ? undefined : walk.get(current);
    chain.forEach((name) => finished.add(name));
    if (current === null || loopStart === undefined) {
      continue;
    }
    const loop = chain.slice(loopStart);
    const state = model.states.get(current);
    issues.warn(
      childPath(childPath(state?.path ?? '', 'transitions'), 'always'),
      `'always' transitions loop (${[...loop, current].join(' → ')}); the sandbox stops after ${MAX_AUTOMATIC_MOVES} automatic moves.`,
    );
  }
}

function checkIntents(model: FlowModel, issues: IssueCollector): void {
  if (model.intents.has(CANCEL_INTENT) && !model.states.has(CANCEL_INTENT)) {
    issues.warn(
      childPath('intents', CANCEL_INTENT),
      `The '${CANCEL_INTENT}' intent abandons the flow to the '${CANCEL_INTENT}' state, but the flow has no such state.`,
    );
  }
}

const BUILT_IN_VARIABLES = ['contact_name', 'response'];

/** A state named like a built-in or like an API_CALL's save_to: the answer stored under its name replaces that value. */
function warnAnswersThatOverwrite(model: FlowModel, issues: IssueCollector): void {
  const savedTo = new Set<string>();
  for (const state of model.states.values()) {
    for (const action of state.actions) {
      if (action.type === 'API_CALL' && action.saveTo !== null) {
        savedTo.add(action.saveTo);
      }
    }
  }
  for (const state of model.states.values()) {
    const what = BUILT_IN_VARIABLES.includes(state.name) ? 'the built-in variable' : savedTo.has(state.name) ? "an API_CALL's save_to" : null;
    if (what !== null) {
      issues.warn(
        state.path,
        `An answer in '${state.name}' is stored as {{variables.${state.name}}}, which replaces ${what} of that name; rename the state.`,
      );
    }
  }
}

function checkVariables(model: FlowModel, issues: IssueCollector): void {
  const defined = new Set(BUILT_IN_VARIABLES);
  for (const state of model.states.values()) {
    // Every answer is stored under its state's name.
    defined.add(state.name);
    if (state.saveInputAs !== null) {
      defined.add(state.saveInputAs);
      issues.warn(childPath(state.path, 'save_input_as'), `${SAVE_INPUT_AS_NOTICE} ('{{variables.${state.name}}}'); it is kept here as a second name.`);
    }
    for (const action of state.actions) {
      if (action.type === 'API_CALL' && action.saveTo !== null) {
        defined.add(action.saveTo);
      }
    }
  }
  warnAnswersThatOverwrite(model, issues);
  const check = (path: string, variablePaths: string[]): void => {
    const roots = new Set(variablePaths.map(variableRoot).filter((root) => root !== ''));
    for (const root of roots) {
      if (!defined.has(root)) {
        issues.warn(path, `Variable '${root}' is never set in this flow (an answer is stored under its state's name; an API_CALL sets its save_to).`);
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
    checkModel(model, options, issues);
  }
  return { model, errors: issues.errors, warnings: issues.warnings };
}

/** The checks that need the whole flow; each is linear in the flow's size, as it runs on every edit. */
export function checkModel(model: FlowModel, options: ValidateOptions, issues: IssueCollector): void {
  const outgoing = edgesByState(model);
  checkTargets(model, issues);
  checkReachability(model, outgoing, issues);
  for (const state of model.states.values()) {
    checkTransitions(model, state, outgoing.has(state.name), issues);
    checkMessages(state, issues);
    options.checkRegexSafety?.(state, issues);
  }
  checkAlwaysLoops(model, issues);
  checkIntents(model, issues);
  checkVariables(model, issues);
  if (options.knownIntegrations) {
    checkIntegrations(model, options.knownIntegrations, issues);
  }
}

export function validateFlow(definition: unknown, options: ValidateOptions = {}): ValidationResult {
  const { errors, warnings } = analyzeFlow(definition, options);
  return { valid: errors.length === 0, errors, warnings };
}
