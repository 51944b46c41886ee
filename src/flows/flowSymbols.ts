// The symbols of one flow file, read from its text with jsonc-parser offsets: states, the places
// that lead to a state, intents, integrations, and the variables templates and conditions read
// with where each is set. Every editor feature (definition, references, rename, outline,
// completion, hover) and the canvas's edges read this one index. A file that does not parse is
// indexed as far as jsonc-parser recovers it.
import type { Node as JsonNode } from 'jsonc-parser';
import { CANCEL_INTENT, METADATA_KEYS } from '../flow/flowReader.js';
import { conditionVariableSpans } from '../flow/condition.js';
import { placeholderSpans, variableRootSpan } from '../flow/template.js';
import type { PlaceholderSpan } from '../flow/template.js';
import { FlowDocument } from './flowDocument.js';
import type { Range } from './positions.js';

/** A stretch of the document's text, as offsets (UTF-16 code units, as VS Code counts). */
export interface Span {
  offset: number;
  length: number;
}

/** The variables the engine sets itself; no state, save_to or save_input_as needs to. */
export const BUILT_IN_VARIABLES: readonly string[] = ['contact_name', 'response'];

/** Where a state is named as a target; the names are the flow file's own keys. */
export type StateReferenceKind =
  | 'buttons'
  | 'keywords'
  | 'regex'
  | 'intents'
  | 'always'
  | 'default'
  | 'success_transition'
  | 'failure_transition'
  | 'then'
  | 'else'
  | 'initial_state'
  /** The top-level `intents.cancel` key: the cancel intent leads to the state named `cancel`. */
  | 'cancel_intent';

export interface StateSymbol {
  name: string;
  /** The key with its quotes, `"greet"`. */
  key: Span;
  /** The key and its value, `"greet": {…}`. */
  whole: Span;
  /** The state's value (an object when the file is right). */
  value: JsonNode | undefined;
  /** The state a new session starts in (initial_state, else `"initial": true`, else the first). */
  initial: boolean;
}

export interface StateReference {
  kind: StateReferenceKind;
  /** The state named. */
  name: string;
  /** The string with its quotes, `"checkout"`; for `cancel_intent`, the intent's key. */
  span: Span;
  /** The state the reference is in; null for `initial_state` and `cancel_intent`. */
  from: string | null;
  /** What leads there: the button id, keyword key, regex or intent name; null for the others. */
  label: string | null;
}

export interface IntentSymbol {
  name: string;
  /** The key in the top-level `intents`, with its quotes. */
  key: Span;
  /** The key and its examples. */
  whole: Span;
}

export interface IntentReference {
  name: string;
  /** The key in a state's `transitions.intents`, with its quotes. */
  key: Span;
  from: string;
}

export interface IntegrationSymbol {
  name: string;
  /** The key in the flow's top-level `integrations` (or a sarufi.sandbox.json's), with its quotes. */
  key: Span;
  /** The key and its settings. */
  whole: Span;
}

export interface IntegrationReference {
  name: string;
  /** An API_CALL's `integration` value, with its quotes. */
  span: Span;
  from: string;
}

/** How a variable gets its value: a state's answer, an API_CALL's save_to, a state's save_input_as. */
export type VariableSetterKind = 'answer' | 'save_to' | 'save_input_as';

export interface VariableSetter {
  name: string;
  kind: VariableSetterKind;
  /** The state's key for an answer; the value (with quotes) for save_to and save_input_as. */
  span: Span;
  state: string;
}

export interface VariableReference {
  /** The variable the placeholder starts from: `order` in `{{variables.order.items[0]}}`. */
  name: string;
  /** The placeholder's whole path as written, `variables.order.items[0]`. */
  path: string;
  /** The variable's name inside the file's text (escapes taken into account). */
  span: Span;
  from: string;
  /** In a CONDITION's `if`, rather than a template. */
  inCondition: boolean;
}

/** What is at an offset: the kind and name of a symbol, and whether this place defines or uses it. */
export interface SymbolAt {
  kind: 'state' | 'intent' | 'integration' | 'variable';
  name: string;
  role: 'definition' | 'reference';
  span: Span;
}

const TARGET_MAPS: ReadonlySet<string> = new Set(['buttons', 'keywords', 'regex', 'intents']);
const TARGET_FIELDS: ReadonlySet<string> = new Set(['always', 'default']);
const ACTION_TARGETS: ReadonlySet<string> = new Set(['success_transition', 'failure_transition', 'then', 'else']);

export class FlowSymbols {
  readonly states: StateSymbol[] = [];
  readonly stateReferences: StateReference[] = [];
  readonly intents: IntentSymbol[] = [];
  readonly intentReferences: IntentReference[] = [];
  readonly integrations: IntegrationSymbol[] = [];
  readonly integrationReferences: IntegrationReference[] = [];
  readonly variableSetters: VariableSetter[] = [];
  /** Strings holding `{{`, read for their variables when first asked (most keystrokes never ask). */
  private readonly placeholderStrings: { from: string; node: JsonNode; inCondition: boolean }[] = [];
  private variables: VariableReference[] | undefined;
  private readonly byName = new Map<string, StateSymbol>();
  private referencesByName: Map<string, StateReference[]> | undefined;
  private occurrences: SymbolAt[] | undefined;

  constructor(readonly document: FlowDocument) {
    const root = document.root;
    if (root?.type !== 'object') {
      return;
    }
    const container = document.statesNode();
    const metadata = container === root ? (METADATA_KEYS as readonly string[]) : [];
    let initialState: string | null = null;
    let flagged: StateSymbol | null = null;
    for (const property of root.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key?.type !== 'string') {
        continue;
      }
      if (key.value === 'initial_state' && value?.type === 'string') {
        initialState = value.value as string;
        this.stateReferences.push({ kind: 'initial_state', name: initialState, span: spanOf(value), from: null, label: null });
      } else if (key.value === 'intents') {
        this.readIntentDefinitions(value);
      } else if (key.value === 'integrations') {
        this.integrations.push(...integrationsIn(value));
      }
    }
    if (container?.type === 'object') {
      for (const property of container.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key?.type !== 'string' || metadata.includes(key.value as string)) {
          continue;
        }
        const state: StateSymbol = { name: key.value as string, key: spanOf(key), whole: spanOf(property), value, initial: false };
        this.states.push(state);
        if (!this.byName.has(state.name)) {
          this.byName.set(state.name, state);
        }
        if (flagged === null && value?.type === 'object' && propertyValue(value, 'initial')?.value === true) {
          flagged = state;
        }
        this.readState(state);
      }
    }
    // The engine's rule (flowReader's pickInitialState): initial_state when it names a state, then the flag, then the first.
    const initial = (initialState !== null ? this.byName.get(initialState) : undefined) ?? flagged ?? this.states[0];
    if (initial) {
      initial.initial = true;
    }
  }

  /** Indexes a flow file's text. */
  static of(text: string): FlowSymbols {
    return new FlowSymbols(new FlowDocument(text));
  }

  get text(): string {
    return this.document.text;
  }

  /** The state of that name (the first, if a broken file repeats a key). */
  state(name: string): StateSymbol | undefined {
    return this.byName.get(name);
  }

  get initialState(): StateSymbol | undefined {
    return this.states.find((state) => state.initial);
  }

  /** Every place that names the state as a target, in file order. */
  referencesTo(name: string): readonly StateReference[] {
    if (!this.referencesByName) {
      this.referencesByName = new Map();
      for (const reference of this.stateReferences) {
        const list = this.referencesByName.get(reference.name);
        if (list) {
          list.push(reference);
        } else {
          this.referencesByName.set(reference.name, [reference]);
        }
      }
    }
    return this.referencesByName.get(name) ?? [];
  }

  /** Every variable a template or a condition reads, in file order. */
  get variableReferences(): readonly VariableReference[] {
    if (!this.variables) {
      const variables: VariableReference[] = [];
      for (const { from, node, inCondition } of this.placeholderStrings) {
        const source = node.value as string;
        this.addVariables(variables, from, node, inCondition ? conditionVariableSpans(source) : placeholderSpans(source), inCondition);
      }
      this.variables = variables;
    }
    return this.variables;
  }

  /** The templates and conditions that read a variable (a state's answer is read under the state's name). */
  variableReferencesTo(name: string): VariableReference[] {
    return this.variableReferences.filter((reference) => reference.name === name);
  }

  /** Where a variable is set in this flow; a built-in has no place (the engine sets it). */
  settersOf(name: string): VariableSetter[] {
    return this.variableSetters.filter((setter) => setter.name === name);
  }

  /** The symbol whose span holds the offset (a cursor just after a name still counts), if any. */
  symbolAt(offset: number): SymbolAt | undefined {
    const all = this.allOccurrences();
    // The last occurrence starting at or before the offset; spans never nest, so it is the only candidate.
    let low = 0;
    let high = all.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if ((all[middle]?.span.offset ?? 0) <= offset) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    // The cancel intent's key is both the intent and a reference to the state `cancel`: the state comes first.
    while (found > 0 && all[found - 1]?.span.offset === all[found]?.span.offset) {
      found -= 1;
    }
    const candidate = all[found];
    return candidate && offset <= candidate.span.offset + candidate.span.length ? candidate : undefined;
  }

  /** Every occurrence of a symbol, definitions and references, for Find All References. */
  occurrencesOf(kind: SymbolAt['kind'], name: string): SymbolAt[] {
    if (kind !== 'state') {
      return this.allOccurrences().filter((occurrence) => occurrence.kind === kind && occurrence.name === name);
    }
    // A state's uses are grouped already: no need to gather and sort every symbol of the flow.
    const definitions = this.states.filter((state) => state.name === name).map((state): SymbolAt => ({ kind, name, role: 'definition', span: state.key }));
    const references = this.referencesTo(name).map((reference): SymbolAt => ({ kind, name, role: 'reference', span: reference.span }));
    return [...definitions, ...references].sort((a, b) => a.span.offset - b.span.offset);
  }

  range(span: Span): Range {
    return this.document.lines.range(span.offset, span.length);
  }

  private allOccurrences(): SymbolAt[] {
    if (!this.occurrences) {
      const all: SymbolAt[] = [];
      const add = (kind: SymbolAt['kind'], role: SymbolAt['role'], name: string, span: Span): void => {
        all.push({ kind, name, role, span });
      };
      for (const state of this.states) {
        add('state', 'definition', state.name, state.key);
      }
      for (const reference of this.stateReferences) {
        add('state', 'reference', reference.name, reference.span);
      }
      for (const intent of this.intents) {
        add('intent', 'definition', intent.name, intent.key);
      }
      for (const reference of this.intentReferences) {
        add('intent', 'reference', reference.name, reference.key);
      }
      for (const integration of this.integrations) {
        add('integration', 'definition', integration.name, integration.key);
      }
      for (const reference of this.integrationReferences) {
        add('integration', 'reference', reference.name, reference.span);
      }
      // A state's key defines its answer too; the state's own entry stands for both.
      for (const setter of this.variableSetters.filter((candidate) => candidate.kind !== 'answer')) {
        add('variable', 'definition', setter.name, setter.span);
      }
      for (const reference of this.variableReferences) {
        add('variable', 'reference', reference.name, reference.span);
      }
      // Stable: at one offset (the cancel intent's key) the state reference stays before the intent.
      this.occurrences = all.sort((a, b) => a.span.offset - b.span.offset);
    }
    return this.occurrences;
  }

  private readIntentDefinitions(value: JsonNode | undefined): void {
    forEachProperty(value, (name, key) => {
      this.intents.push({ name, key: spanOf(key), whole: spanOf(key.parent ?? key) });
      if (name === CANCEL_INTENT) {
        this.stateReferences.push({ kind: 'cancel_intent', name: CANCEL_INTENT, span: spanOf(key), from: null, label: null });
      }
    });
  }

  private readState(state: StateSymbol): void {
    const value = state.value;
    if (value?.type !== 'object') {
      return;
    }
    this.variableSetters.push({ name: state.name, kind: 'answer', span: state.key, state: state.name });
    for (const property of value.children ?? []) {
      const [key, field] = property.children ?? [];
      if (key?.type !== 'string' || !field) {
        continue;
      }
      switch (key.value) {
        case 'transitions':
          this.readTransitions(state.name, field);
          break;
        case 'actions':
          for (const action of field.type === 'array' ? (field.children ?? []) : []) {
            this.readAction(state.name, action);
          }
          break;
        case 'save_input_as':
          if (field.type === 'string') {
            this.variableSetters.push({ name: field.value as string, kind: 'save_input_as', span: spanOf(field), state: state.name });
          }
          break;
        default:
          this.readTemplates(state.name, field);
      }
    }
  }

  private readTransitions(from: string, transitions: JsonNode): void {
    // An unknown trigger is the validator's to report: nothing under it names a state for sure.
    forEachProperty(transitions, (trigger, _key, target) => {
      if (TARGET_FIELDS.has(trigger)) {
        this.addTarget(trigger as StateReferenceKind, target, from, null);
      } else if (TARGET_MAPS.has(trigger)) {
        forEachProperty(target, (label, labelKey, to) => {
          this.addTarget(trigger as StateReferenceKind, to, from, label);
          if (trigger === 'intents') {
            this.intentReferences.push({ name: label, key: spanOf(labelKey), from });
          }
        });
      }
    });
  }

  private readAction(from: string, action: JsonNode): void {
    forEachProperty(action, (field, _key, value) => {
      if (ACTION_TARGETS.has(field)) {
        this.addTarget(field as StateReferenceKind, value, from, null);
      } else if (field === 'integration') {
        if (value?.type === 'string') {
          this.integrationReferences.push({ name: value.value as string, span: spanOf(value), from });
        }
      } else if (field === 'save_to') {
        if (value?.type === 'string') {
          this.variableSetters.push({ name: value.value as string, kind: 'save_to', span: spanOf(value), state: from });
        }
      } else if (field === 'if') {
        if (value?.type === 'string' && (value.value as string).includes('{{')) {
          this.placeholderStrings.push({ from, node: value, inCondition: true });
        }
      } else if (field !== 'type') {
        this.readTemplates(from, value);
      }
    });
  }

  private addTarget(kind: StateReferenceKind, node: JsonNode | undefined, from: string, label: string | null): void {
    if (node?.type === 'string') {
      this.stateReferences.push({ kind, name: node.value as string, span: spanOf(node), from, label });
    }
  }

  /** Every `{{…}}` in the strings of a value (messages, URLs, headers, bodies). */
  private readTemplates(from: string, node: JsonNode | undefined): void {
    if (!node) {
      return;
    }
    if (node.type === 'string') {
      const text = node.value as string;
      if (text.includes('{{')) {
        this.placeholderStrings.push({ from, node, inCondition: false });
      }
      return;
    }
    if (node.type === 'object' || node.type === 'array') {
      for (const child of node.children ?? []) {
        this.readTemplates(from, child.type === 'property' ? child.children?.[1] : child);
      }
    }
  }

  private addVariables(variables: VariableReference[], from: string, node: JsonNode, spans: PlaceholderSpan[], inCondition: boolean): void {
    if (spans.length === 0) {
      return;
    }
    const toText = textOffsets(this.document.text, node);
    for (const placeholder of spans) {
      const root = variableRootSpan(placeholder.path);
      if (!root) {
        continue;
      }
      const start = toText(placeholder.start + root.start);
      const end = toText(placeholder.start + root.start + root.name.length);
      variables.push({ name: root.name, path: placeholder.path, span: { offset: start, length: end - start }, from, inCondition });
    }
  }
}

function spanOf(node: JsonNode): Span {
  return { offset: node.offset, length: node.length };
}

/** The value of an object's property, if the node is an object that has it. */
export function propertyValue(node: JsonNode | undefined, name: string): JsonNode | undefined {
  if (node?.type !== 'object') {
    return undefined;
  }
  for (const property of node.children ?? []) {
    if (property.children?.[0]?.value === name) {
      return property.children[1];
    }
  }
  return undefined;
}

/** The integrations an `integrations` object defines (a flow's, or a sarufi.sandbox.json's). */
function integrationsIn(node: JsonNode | undefined): IntegrationSymbol[] {
  const integrations: IntegrationSymbol[] = [];
  forEachProperty(node, (name, key) => {
    integrations.push({ name, key: spanOf(key), whole: spanOf(key.parent ?? key) });
  });
  return integrations;
}

/** The integrations a sarufi.sandbox.json defines, each with the range of its key in that text. */
export function sandboxConfigIntegrations(text: string): (IntegrationSymbol & { keyRange: Range })[] {
  const document = new FlowDocument(text);
  return integrationsIn(propertyValue(document.root, 'integrations')).map((integration) => ({
    ...integration,
    keyRange: document.lines.range(integration.key.offset, integration.key.length),
  }));
}

/** Calls `visit` with each property of an object whose key is a string (no arrays allocated: this runs per keystroke). */
function forEachProperty(node: JsonNode | undefined, visit: (name: string, key: JsonNode, value: JsonNode | undefined) => void): void {
  if (node?.type !== 'object' || !node.children) {
    return;
  }
  for (const property of node.children) {
    const children = property.children;
    const key = children?.[0];
    if (key?.type === 'string') {
      visit(key.value as string, key, children?.[1]);
    }
  }
}

/**
 * Maps an index in a string node's decoded value to an offset in the document's text. Without
 * escapes that is a shift past the opening quote; with them (`\n`, `\u00e9`), each escape is
 * walked so that a variable after one still lands on its name.
 */
export function textOffsets(text: string, node: JsonNode): (index: number) => number {
  const rawStart = node.offset + 1;
  const raw = text.slice(rawStart, node.offset + node.length - 1);
  if (!raw.includes('\\')) {
    return (index) => rawStart + index;
  }
  const starts: number[] = [];
  for (let at = 0; at < raw.length; ) {
    starts.push(at);
    at += raw[at] !== '\\' ? 1 : raw[at + 1] === 'u' ? 6 : 2;
  }
  return (index) => rawStart + (starts[index] ?? raw.length);
}
