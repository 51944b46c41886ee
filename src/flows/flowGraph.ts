// The flow graph that Sarufi: Show Flow Graph draws: one node per state, one edge per way out,
// labelled with its trigger. The edges are the symbol index's state references (the ones every
// editor feature reads), each named by the JSON path of the field that names its target, the same
// path the flow model, coverage and the graph's edits use; what a node shows comes from the model.
// Pure: the host adds the editor's diagnostics and posts the graph; the page lays it out.
import { findNodeAtOffset, getNodePath } from 'jsonc-parser';
import { choicesOf } from '../flow/botMessages.js';
import type { GenericMessage } from '../flow/botMessages.js';
import { CANCEL_INTENT } from '../flow/flowReader.js';
import { childPath } from '../flow/flowPaths.js';
import type { FlowModel, StateModel } from '../flow/flowTypes.js';
import { analyzeFlow } from '../flow/validator.js';
import type { FlowGraph, GraphEdge, GraphNode, GraphNodeMark, GraphProblem, GraphTrigger } from '../protocol.js';
import { FlowDocument } from './flowDocument.js';
import type { StateDefinition } from './flowDocument.js';
import { FlowSymbols } from './flowSymbols.js';
import type { StateReference, StateReferenceKind } from './flowSymbols.js';
import type { Range } from './positions.js';

/** How much of a state's first message line a node shows. */
const FIRST_LINE_CHARS = 80;

export type GraphReading =
  | { ok: true; graph: FlowGraph; model: FlowModel; states: StateDefinition[] }
  | { ok: false; problem: GraphProblem };

/** Reads the graph of a flow file's text; a text that does not parse gives the first problem's line. */
export function readFlowGraph(text: string, fileName: string): GraphReading {
  const document = new FlowDocument(text);
  if (!document.parsed) {
    const first = document.syntaxProblems[0];
    return { ok: false, problem: { line: document.lines.position(first?.offset ?? 0).line + 1, message: first?.message ?? 'Not valid JSON.' } };
  }
  const analysis = analyzeFlow(document.value);
  const model = analysis.model;
  if (!model) {
    return { ok: false, problem: { line: 1, message: analysis.errors[0]?.message ?? 'This file is not a flow.' } };
  }
  const states = document.states();
  const lineOf = new Map(states.map((state) => [state.name, state.keyRange.start.line]));
  const globalCancel = model.states.has(CANCEL_INTENT) && model.intents.has(CANCEL_INTENT);
  const reachable = reachableStates(model, globalCancel);
  const nodes = [...model.states.values()].map(
    (state): GraphNode => ({
      id: state.name,
      firstLine: firstLine(state),
      marks: marksOf(state, globalCancel),
      initial: state.name === model.initialState,
      unreachable: !reachable.has(state.name),
      errors: 0,
      warnings: 0,
      problem: null,
      line: lineOf.get(state.name) ?? 0,
    }),
  );
  const symbols = new FlowSymbols(document);
  const edges = symbols.stateReferences.flatMap((reference) => (reference.from === null ? [] : [graphEdge(document, model, reference, reference.from)]));
  return { ok: true, graph: { title: model.name ?? fileName, nodes, edges }, model, states };
}

/** A diagnostic of the editor, as the graph needs it. */
export interface StateProblem {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

/** Counts the editor's diagnostics on each state's range (the same ones the Problems panel shows). */
export function withProblems(graph: FlowGraph, states: readonly StateDefinition[], problems: readonly StateProblem[]): FlowGraph {
  const byState = new Map<string, StateProblem[]>();
  for (const problem of problems) {
    const state = states.find((candidate) => contains(candidate.range, problem.line));
    if (state) {
      byState.set(state.name, [...(byState.get(state.name) ?? []), problem]);
    }
  }
  if (byState.size === 0) {
    return graph;
  }
  const nodes = graph.nodes.map((node) => {
    const found = byState.get(node.id);
    if (!found) {
      return node;
    }
    const errors = found.filter((problem) => problem.severity === 'error');
    return { ...node, errors: errors.length, warnings: found.length - errors.length, problem: (errors[0] ?? found[0])?.message ?? null };
  });
  return { ...graph, nodes };
}

/** The state whose definition holds this line (the editor's cursor), if any. */
export function stateAtLine(states: readonly StateDefinition[], line: number): string | null {
  return states.find((state) => contains(state.range, line))?.name ?? null;
}

function contains(range: Range, line: number): boolean {
  return range.start.line <= line && line <= range.end.line;
}

function firstLine(state: StateModel): string | null {
  const first = state.messages[0]?.message;
  if (!first) {
    return null;
  }
  const text = 'text' in first ? first.text : 'media_caption' in first && first.media_caption ? first.media_caption : `(${first.type})`;
  const line = text.split('\n', 1)[0]?.trim() ?? '';
  return line.length > FIRST_LINE_CHARS ? `${line.slice(0, FIRST_LINE_CHARS - 1)}…` : line;
}

function marksOf(state: StateModel, globalCancel: boolean): GraphNodeMark[] {
  const marks = new Set<GraphNodeMark>();
  for (const { message } of state.messages) {
    if (message.type === 'buttons') {
      marks.add('buttons');
    } else if (message.type === 'list') {
      marks.add('list');
    } else if (message.type !== 'text') {
      marks.add('media');
    }
  }
  for (const action of state.actions) {
    marks.add(action.type);
  }
  if (globalCancel && state.name === CANCEL_INTENT) {
    marks.add('cancel');
  }
  return [...marks];
}

/** States reached from the initial one; the `cancel` state too when the cancel intent leads there from anywhere. */
function reachableStates(model: FlowModel, globalCancel: boolean): Set<string> {
  const outgoing = new Map<string, string[]>();
  for (const edge of model.edges) {
    outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge.to]);
  }
  const seen = new Set<string>();
  const queue = [model.initialState, ...(globalCancel ? [CANCEL_INTENT] : [])];
  while (queue.length > 0) {
    const state = queue.pop() as string;
    if (seen.has(state)) {
      continue;
    }
    seen.add(state);
    queue.push(...(outgoing.get(state) ?? []));
  }
  return seen;
}

function graphEdge(document: FlowDocument, model: FlowModel, reference: StateReference, from: string): GraphEdge {
  const { trigger, label } = triggerOf(model, reference, from);
  return { id: fieldPath(document, reference), from, to: reference.name, trigger, label, dangling: !model.states.has(reference.name) };
}

/** The JSON path of the field that names the target, as the flow model writes it (`states.menu.transitions.buttons.order`). */
function fieldPath(document: FlowDocument, reference: StateReference): string {
  const node = document.root ? findNodeAtOffset(document.root, reference.span.offset + 1) : undefined;
  const segments = node ? getNodePath(node) : [];
  return (document.wrapped ? segments : ['states', ...segments]).reduce<string>((path, segment) => childPath(path, segment), '');
}

const TRIGGERS: Readonly<Record<Exclude<StateReferenceKind, 'initial_state' | 'cancel_intent'>, GraphTrigger>> = {
  buttons: 'button',
  keywords: 'keyword',
  regex: 'regex',
  intents: 'intent',
  always: 'always',
  default: 'default',
  success_transition: 'success',
  failure_transition: 'failure',
  then: 'then',
  else: 'else',
};

function triggerOf(model: FlowModel, reference: StateReference, from: string): { trigger: GraphTrigger; label: string } {
  const key = reference.label ?? '';
  const trigger = reference.kind === 'initial_state' || reference.kind === 'cancel_intent' ? 'cancel' : TRIGGERS[reference.kind];
  switch (trigger) {
    case 'button':
      return { trigger, label: buttonTitle(model.states.get(from), key) ?? key };
    case 'keyword':
      return { trigger, label: key.split('|').join(' | ') };
    case 'regex':
      return { trigger, label: `/${key}/` };
    case 'intent':
      return key === CANCEL_INTENT ? { trigger: 'cancel', label: 'cancel intent' } : { trigger, label: `intent ${key}` };
    case 'success':
      return { trigger, label: '✓ success' };
    case 'failure':
      return { trigger, label: '✗ failure' };
    default:
      return { trigger, label: trigger };
  }
}

/** The title the author gave a button (or list row) id in the state's own messages. */
function buttonTitle(state: StateModel | undefined, id: string): string | null {
  for (const { message } of state?.messages ?? []) {
    const choice = choicesOf(message as GenericMessage).find((candidate) => candidate.id === id);
    if (choice) {
      return choice.title;
    }
  }
  return null;
}

/**
 * The graph as Mermaid's `stateDiagram-v2`, for a README or a pull request. States get short ids
 * (names may hold any character) and are labelled with their names.
 */
export function toMermaid(graph: FlowGraph): string {
  const ids = new Map(graph.nodes.map((node, index) => [node.id, `s${index}`]));
  const idOf = (name: string): string => {
    let id = ids.get(name);
    if (id === undefined) {
      id = `s${ids.size}`;
      ids.set(name, id);
    }
    return id;
  };
  const lines = ['stateDiagram-v2'];
  for (const node of graph.nodes) {
    lines.push(`  state "${mermaidText(node.id).replace(/"/g, "'")}" as ${idOf(node.id)}`);
  }
  for (const node of graph.nodes.filter((candidate) => candidate.initial)) {
    lines.push(`  [*] --> ${idOf(node.id)}`);
  }
  for (const edge of graph.edges) {
    lines.push(`  ${idOf(edge.from)} --> ${idOf(edge.to)}: ${mermaidText(edge.label)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid ends a statement at a newline or `;`, and reads `#…;` as an entity and `:` as a label. */
function mermaidText(text: string): string {
  return text.replace(/[\r\n;#:]+/g, ' ').trim() || '(blank)';
}
