// Which states of a flow file a preview has reached: the current one, the visited ones, and the
// rest (not yet visited), with where each is defined, for the editor's decorations and lists.
import type { FlowModel } from '../flow/flowTypes.js';
import { analyzeFlow, MAX_AUTOMATIC_MOVES } from '../flow/validator.js';
import { FlowDocument } from './flowDocument.js';
import type { StateDefinition } from './flowDocument.js';

export interface PreviewProgress {
  /** The state the conversation is in; null before the session opened. */
  current: string | null;
  /** Every state the conversation stopped in, including the initial one once it greeted. */
  visited: string[];
  /** The file's states that the preview has not reached yet, in file order. */
  notVisited: string[];
}

export interface PreviewRun {
  /** True once the session greeted (the conversation is in the initial state). */
  started: boolean;
  /** The states after each turn, in order (the chat panel's trail). */
  trail: readonly string[];
}

export interface MarkedState extends StateDefinition {
  mark: 'current' | 'visited' | 'not-visited';
}

/** Matches a preview's trail against the file as it is now (states may have been renamed since). */
export function previewProgress(text: string, run: PreviewRun): PreviewProgress & { states: MarkedState[] } {
  const document = new FlowDocument(text);
  const definitions = document.states();
  const model = document.parsed ? analyzeFlow(document.value).model : null;
  const initial = model?.initialState ?? definitions[0]?.name;
  const greeting = initial === undefined ? [] : model ? greetingPath(model, initial) : [initial];
  const path = run.started ? [...greeting, ...run.trail] : [...run.trail];
  const current = run.started ? (path[path.length - 1] ?? null) : null;
  const reached = new Set(path);
  const states = definitions.map((definition): MarkedState => ({
    ...definition,
    mark: definition.name === current ? 'current' : reached.has(definition.name) ? 'visited' : 'not-visited',
  }));
  return {
    current,
    visited: definitions.filter((definition) => reached.has(definition.name)).map((definition) => definition.name),
    notVisited: states.filter((state) => state.mark === 'not-visited').map((state) => state.name),
    states,
  };
}

/**
 * The states a greeting passes through: the Chat API reports no state when a session opens, but
 * `always` moves from the initial state are certain (actions, which may route elsewhere, stop it).
 */
function greetingPath(model: FlowModel, initial: string): string[] {
  const path = [initial];
  let state = model.states.get(initial);
  while (state && state.actions.length === 0 && state.transitions.always !== null && path.length <= MAX_AUTOMATIC_MOVES) {
    const next = state.transitions.always;
    if (path.includes(next) || !model.states.has(next)) {
      break;
    }
    path.push(next);
    state = model.states.get(next);
  }
  return path;
}
