// The flow graph's edits as text edits on the flow file: add a state, draw a transition, delete a
// transition, delete a state. jsonc-parser's `modify` keeps the file's formatting; an edit made of
// several changes comes out as one replacement, so the host applies it as one undo step.
import { applyEdits, modify } from 'jsonc-parser';
import type { FormattingOptions, JSONPath } from 'jsonc-parser';
import { pathSegments } from '../conversationTests/coverage.js';
import { analyzeFlow } from '../flow/validator.js';
import { FlowDocument } from './flowDocument.js';
import { createStateEdits } from './quickFixes.js';
import type { TextEdit } from './quickFixes.js';

export type Formatting = { tabSize: number; insertSpaces: boolean; eol: string };

/** The trigger of a transition drawn on the graph. */
export type NewTrigger =
  | { kind: 'default' }
  | { kind: 'always' }
  | { kind: 'button'; id: string }
  | { kind: 'keyword'; key: string }
  | { kind: 'regex'; key: string }
  | { kind: 'intent'; intent: string };

export class GraphEditError extends Error {}

/** Add state: a new state with a TODO message at the end of the states, named `new_state`, `new_state_2`… */
export function addStateEdit(text: string, formatting: Formatting): { name: string; edits: TextEdit[] } {
  const document = parsedDocument(text);
  const taken = new Set(document.states().map((state) => state.name));
  let name = 'new_state';
  for (let index = 2; taken.has(name); index += 1) {
    name = `new_state_${index}`;
  }
  return { name, edits: createStateEdits(text, name, formatting) };
}

/** A transition from `from` to `to` with this trigger; refuses one that would replace another. */
export function addTransitionEdit(text: string, from: string, to: string, trigger: NewTrigger, formatting: Formatting): TextEdit[] {
  const document = parsedDocument(text);
  if (!document.state(from)) {
    throw new GraphEditError(`State '${from}' is not in the file (any more).`);
  }
  const base = [...statePath(document), from, 'transitions'];
  const path: JSONPath =
    trigger.kind === 'default' || trigger.kind === 'always'
      ? [...base, trigger.kind]
      : [...base, { button: 'buttons', keyword: 'keywords', regex: 'regex', intent: 'intents' }[trigger.kind], trigger.kind === 'button' ? trigger.id : trigger.kind === 'intent' ? trigger.intent : trigger.key];
  const existing = valueAt(document.value, path);
  if (typeof existing === 'string') {
    throw new GraphEditError(`'${from}' already has that transition (to '${existing}'): delete it first, or edit it in the file.`);
  }
  return oneEdit(document, [(current) => modify(current, path, to, { formattingOptions: formattingOptions(formatting) })]);
}

/** Deletes the field an edge comes from (its id is that field's path); an emptied section goes with it. */
export function deleteTransitionEdit(text: string, edgePath: string, formatting: Formatting): TextEdit[] {
  const document = parsedDocument(text);
  return oneEdit(document, [(current) => removeField(current, fieldPath(document, edgePath), formatting)]);
}

/** The transitions of other states that lead to `name`, by their edge ids (paths). */
export function incomingTransitions(text: string, name: string): { from: string; path: string }[] {
  const model = analyzeFlow(parsedDocument(text).value).model;
  return (model?.edges ?? []).filter((edge) => edge.to === name && edge.from !== name).map((edge) => ({ from: edge.from, path: edge.path }));
}

/** Deletes a state and, if asked, the transitions of other states that still lead to it. */
export function deleteStateEdit(text: string, name: string, withIncoming: boolean, formatting: Formatting): TextEdit[] {
  const document = parsedDocument(text);
  if (!document.state(name)) {
    throw new GraphEditError(`State '${name}' is not in the file (any more).`);
  }
  const incoming = withIncoming ? incomingTransitions(text, name) : [];
  // Last field first, so that a removed section never shifts a path still to be removed.
  const removals = [...incoming].reverse().map(({ path }) => (current: string) => removeField(current, fieldPath(document, path), formatting));
  return oneEdit(document, [...removals, (current) => modify(current, [...statePath(document), name], undefined, { formattingOptions: formattingOptions(formatting) })]);
}

function parsedDocument(text: string): FlowDocument {
  const document = new FlowDocument(text);
  if (!document.parsed || document.root?.type !== 'object') {
    throw new GraphEditError('The file does not parse: fix it in the editor first, then edit the graph.');
  }
  return document;
}

function statePath(document: FlowDocument): JSONPath {
  return document.wrapped ? ['states'] : [];
}

/** An issue/edge path (always `states.…`) as the JSON path in this file's shape. */
function fieldPath(document: FlowDocument, path: string): JSONPath {
  const segments = pathSegments(path);
  return segments[0] === 'states' ? [...statePath(document), ...segments.slice(1)] : segments;
}

function removeField(text: string, path: JSONPath, formatting: Formatting): ReturnType<typeof modify> {
  const parent = path.slice(0, -1);
  const siblings = valueAt(JSON.parse(text) as unknown, parent);
  // `"buttons": {}` left behind says nothing: the section goes with its last entry (not `transitions` itself).
  const emptied = parent.length > 0 && parent.at(-1) !== 'transitions' && typeof siblings === 'object' && siblings !== null && !Array.isArray(siblings) && Object.keys(siblings).length === 1;
  return modify(text, emptied ? parent : path, undefined, { formattingOptions: formattingOptions(formatting) });
}

function valueAt(value: unknown, path: JSONPath): unknown {
  let at: unknown = value;
  for (const segment of path) {
    if (typeof at !== 'object' || at === null) {
      return undefined;
    }
    at = (at as Record<string | number, unknown>)[segment];
  }
  return at;
}

function formattingOptions(formatting: Formatting): FormattingOptions {
  return { tabSize: formatting.tabSize, insertSpaces: formatting.insertSpaces, eol: formatting.eol };
}

/** Runs the changes one after another and returns the difference as one replacement (one undo step). */
function oneEdit(document: FlowDocument, changes: ((text: string) => ReturnType<typeof modify>)[]): TextEdit[] {
  const before = document.text;
  let after = before;
  for (const change of changes) {
    after = applyEdits(after, change(after));
  }
  if (after === before) {
    return [];
  }
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) {
    start += 1;
  }
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) {
    end += 1;
  }
  return [{ range: document.lines.range(start, before.length - end - start), newText: after.slice(start, after.length - end) }];
}
