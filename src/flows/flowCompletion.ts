// What to offer at the cursor in a flow file: state names where a target goes, intent names as
// `transitions.intents` keys, integration names in an API_CALL's `integration`, and variables
// inside `{{ }}`. jsonc-parser's getLocation reads the path at the cursor even in a half-typed file.
import { getLocation } from 'jsonc-parser';
import type { JSONPath, Node as JsonNode } from 'jsonc-parser';
import { METADATA_KEYS } from '../flow/flowReader.js';
import { BUILT_IN_VARIABLES } from './flowSymbols.js';
import type { FlowSymbols, Span, StateSymbol } from './flowSymbols.js';
import { firstLine } from './stateSummary.js';

export type CompletionKind = 'state' | 'intent' | 'integration' | 'variable';

export interface FlowCompletionItem {
  label: string;
  kind: CompletionKind;
  /** What the state sends, where the intent or integration is from, who sets the variable. */
  detail: string;
  /** The text that replaces the span (a JSON string with its quotes, or a bare variable name). */
  insertText: string;
  /** Sorts the likeliest first: the variables the flow sets before the built-ins, the current state last. */
  sortText: string;
}

export interface FlowCompletion {
  /** What the chosen item replaces (the whole string being typed, or nothing at the cursor). */
  replace: Span;
  items: FlowCompletionItem[];
}

const TARGET_MAPS = ['buttons', 'keywords', 'regex', 'intents'];
const ACTION_TARGETS = ['success_transition', 'failure_transition', 'then', 'else'];

/** The completion at an offset of the flow's text, or null where nothing of the flow's own fits. */
export function flowCompletions(symbols: FlowSymbols, offset: number, knownIntegrations: readonly string[] = []): FlowCompletion | null {
  const text = symbols.text;
  const location = locate(symbols, offset);
  const node = location.previousNode;
  const inString = node?.type === 'string' && offset > node.offset && offset <= node.offset + node.length;
  if (node && inString && !location.isAtPropertyKey) {
    const variable = variableCompletion(symbols, text.slice(node.offset + 1, offset), offset);
    if (variable) {
      return variable;
    }
  }
  const replace: Span = node && inString ? { offset: node.offset, length: node.length } : (keyStringAround(text, offset) ?? { offset, length: 0 });
  const place = placeOf(symbols, location.path);
  if (place === null) {
    return null;
  }
  const { state, rest } = place;
  const last = rest[rest.length - 1];
  if (!location.isAtPropertyKey) {
    const targetPlace =
      (state === null && rest.length === 1 && last === 'initial_state') ||
      (state !== null && rest[0] === 'transitions' && ((rest.length === 2 && (last === 'always' || last === 'default')) || (rest.length === 3 && TARGET_MAPS.includes(String(rest[1]))))) ||
      (state !== null && rest[0] === 'actions' && rest.length === 3 && ACTION_TARGETS.includes(String(last)));
    if (targetPlace) {
      return { replace, items: stateItems(symbols, state) };
    }
    if (state !== null && rest[0] === 'actions' && rest.length === 3 && last === 'integration') {
      return { replace, items: integrationItems(symbols, knownIntegrations) };
    }
    return null;
  }
  if (state !== null && rest.length === 3 && rest[0] === 'transitions' && rest[1] === 'intents') {
    return { replace, items: intentItems(symbols) };
  }
  return null;
}

/**
 * getLocation reads the text from its start up to the offset; inside a state, reading just that
 * state's value gives the same answer at a cost that does not grow with the flow.
 */
function locate(symbols: FlowSymbols, offset: number): { previousNode?: JsonNode; path: JSONPath; isAtPropertyKey: boolean } {
  const state = stateAround(symbols, offset);
  const value = state?.value;
  if (!state || !value) {
    return getLocation(symbols.text, offset);
  }
  const inner = getLocation(symbols.text.slice(value.offset, value.offset + value.length), offset - value.offset);
  const previous = inner.previousNode;
  return {
    previousNode: previous ? { ...previous, offset: previous.offset + value.offset } : undefined,
    path: [...(symbols.document.wrapped ? ['states'] : []), state.name, ...inner.path],
    isAtPropertyKey: inner.isAtPropertyKey,
  };
}

/** The state whose value holds the offset (states are in file order, so a binary search finds it). */
function stateAround(symbols: FlowSymbols, offset: number): StateSymbol | undefined {
  const states = symbols.states;
  let low = 0;
  let high = states.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = states[middle]?.value;
    if (!value || value.offset + value.length <= offset) {
      low = middle + 1;
    } else if (value.offset >= offset) {
      high = middle - 1;
    } else {
      return states[middle];
    }
  }
  return undefined;
}

/** The state a path is inside (null at the top level) and the path within it; null for metadata. */
function placeOf(symbols: FlowSymbols, path: JSONPath): { state: string | null; rest: JSONPath } | null {
  const [first, second] = path;
  if (symbols.document.wrapped) {
    return first === 'states' ? (typeof second === 'string' ? { state: second, rest: path.slice(2) } : null) : { state: null, rest: path };
  }
  if (typeof first !== 'string') {
    return null;
  }
  return (METADATA_KEYS as readonly string[]).includes(first) ? { state: null, rest: path } : { state: first, rest: path.slice(1) };
}

function stateItems(symbols: FlowSymbols, current: string | null): FlowCompletionItem[] {
  const seen = new Set<string>();
  const items: FlowCompletionItem[] = [];
  for (const state of symbols.states) {
    if (seen.has(state.name)) {
      continue;
    }
    seen.add(state.name);
    items.push({
      label: state.name,
      kind: 'state',
      detail: firstLine(state) || '(sends no message)',
      insertText: JSON.stringify(state.name),
      sortText: `${state.name === current ? '1' : '0'}${state.name}`,
    });
  }
  return items;
}

function intentItems(symbols: FlowSymbols): FlowCompletionItem[] {
  return unique(symbols.intents.map((intent) => intent.name)).map((name) => ({
    label: name,
    kind: 'intent',
    detail: "an intent of this flow's \"intents\"",
    insertText: JSON.stringify(name),
    sortText: name,
  }));
}

function integrationItems(symbols: FlowSymbols, known: readonly string[]): FlowCompletionItem[] {
  const own = unique(symbols.integrations.map((integration) => integration.name));
  return [
    ...own.map((name) => ({ name, detail: "this flow's \"integrations\"" })),
    ...unique(known.filter((name) => !own.includes(name))).map((name) => ({ name, detail: 'sarufi.sandbox.json' })),
  ].map(({ name, detail }) => ({ label: name, kind: 'integration', detail, insertText: JSON.stringify(name), sortText: name }));
}

/** Inside `{{` that is not closed before the cursor: the variables the flow sets, then the built-ins. */
function variableCompletion(symbols: FlowSymbols, before: string, offset: number): FlowCompletion | null {
  const open = before.lastIndexOf('{{');
  if (open === -1 || before.indexOf('}}', open) !== -1) {
    return null;
  }
  const typed = /^\s*(?:variables\.)?([A-Za-z0-9_]*)$/.exec(before.slice(open + 2));
  if (!typed) {
    // Past the variable's name (`{{order.items[0].`): a path inside it, which the flow does not describe.
    return null;
  }
  const word = typed[1] ?? '';
  const after = /^[A-Za-z0-9_]*/.exec(symbols.text.slice(offset))?.[0] ?? '';
  const setters = new Map<string, string>();
  for (const setter of symbols.variableSetters) {
    if (!setters.has(setter.name)) {
      setters.set(setter.name, setter.kind === 'answer' ? `the answer to state ${setter.state}` : `${setter.kind} in state ${setter.state}`);
    }
  }
  const items: FlowCompletionItem[] = [...setters].map(([name, detail]) => ({ label: name, kind: 'variable', detail, insertText: name, sortText: `0${name}` }));
  for (const name of BUILT_IN_VARIABLES) {
    if (!setters.has(name)) {
      items.push({ label: name, kind: 'variable', detail: 'built in', insertText: name, sortText: `1${name}` });
    }
  }
  return { replace: { offset: offset - word.length, length: word.length + after.length }, items };
}

/** The quoted key the cursor is in (getLocation gives no node for a key being typed), quotes included. */
function keyStringAround(text: string, offset: number): Span | null {
  const before = /"[^"\\\n{}[\],:]*$/.exec(text.slice(Math.max(0, offset - 200), offset));
  const after = /^[^"\\\n{}[\],:]*"/.exec(text.slice(offset, offset + 200));
  if (!before || !after) {
    return null;
  }
  return { offset: offset - before[0].length, length: before[0].length + after[0].length };
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
