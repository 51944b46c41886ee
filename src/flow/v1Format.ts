// Flows of Sarufi's first API (v1), as its SDKs and dashboard wrote them: states with a `message`
// list and a `next_state`, answer maps (`choice_*`) that map an answer to the next state, and an
// intents file of intent names to example phrases. Also the state-list shape seen in 2026
// (`states: [{name, type, actions, transitions}]`), which Sarufi's docs do not describe. Neither is
// a dev/v1 flow: this module recognises them, so the reader reports one clear error instead of a
// dozen unknown fields; v1Convert.ts and stateListConvert.ts (loaded on demand) convert them.
import { childPath, statePath } from './flowPaths.js';
import { isRecord } from './botMessages.js';

/** Where a flow shows that it is v1, in the reader's path style, and how. */
export interface V1Evidence {
  path: string;
  sign: string;
}

const NEXT_KEYS = ['next_state', 'next'] as const;
const DEV_STATE_KEYS = ['transitions', 'actions'];

/** A `choice_*` state: every value but its `fallback_message` names the state an answer leads to. */
function isChoiceState(name: string, state: Record<string, unknown>): boolean {
  const answers = Object.entries(state).filter(([key]) => key !== 'fallback_message');
  return name.startsWith('choice_') && answers.length > 0 && answers.every(([, value]) => typeof value === 'string');
}

export function isInteractive(value: unknown): boolean {
  return isRecord(value) && value.type === 'interactive';
}

function signOf(name: string, state: Record<string, unknown>): V1Evidence | null {
  for (const key of [...NEXT_KEYS, 'fallback_message', 'validators']) {
    if (state[key] !== undefined) {
      return { path: childPath(statePath(name), key), sign: `'${key}'` };
    }
  }
  if (isChoiceState(name, state)) {
    return { path: statePath(name), sign: `the answer map of '${name}'` };
  }
  if (isInteractive(state) || (Array.isArray(state.message) && state.message.some(isInteractive))) {
    return { path: childPath(statePath(name), isInteractive(state) ? 'type' : 'message'), sign: 'an "interactive" message' };
  }
  if (Array.isArray(state.message) && state.message.some(Array.isArray)) {
    return { path: childPath(statePath(name), 'message'), sign: 'a list of alternative messages' };
  }
  return null;
}

/**
 * The first sign that `definition` is a v1 flow, or null. A file that also has dev/v1 transitions
 * or actions is read as dev/v1 (its stray keys get the reader's own errors).
 */
export function recogniseV1Flow(definition: unknown): V1Evidence | null {
  if (!isRecord(definition) || definition.states !== undefined) {
    return null;
  }
  const states = Object.entries(definition).filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]));
  if (states.some(([, state]) => DEV_STATE_KEYS.some((key) => state[key] !== undefined))) {
    return null;
  }
  for (const [name, state] of states) {
    const evidence = signOf(name, state);
    if (evidence) {
      return evidence;
    }
  }
  return null;
}

const V1_FORMAT_OPENING = "This is a flow in Sarufi's first (v1) format";
const STATE_LIST_OPENING = 'This flow lists its states';

/**
 * The state-list shape seen in 2026: `states` is a list of `{name, type, actions, transitions}`.
 * Answers the reader's path of it, or null. (An empty list is flows.mdx's empty flow, not this.)
 */
export function recogniseStateListFlow(definition: unknown): string | null {
  if (!isRecord(definition) || !Array.isArray(definition.states) || definition.states.length === 0) {
    return null;
  }
  return definition.states.every((state) => isRecord(state) && typeof state.name === 'string') ? 'states' : null;
}

export function stateListFormatMessage(): string {
  return (
    `${STATE_LIST_OPENING} by name and type (STANDARD, TERMINAL, FALLBACK) with SEND_MESSAGE texts: a shape seen in 2026 that Sarufi's docs ` +
    'do not describe. Sarufi\'s documented API and the sandbox run dev/v1 flows (a map of states): run "Sarufi: Convert v1 Flow" to write a dev/v1 copy of it.'
  );
}

export function v1FormatMessage(evidence: V1Evidence): string {
  return (
    `${V1_FORMAT_OPENING} (${evidence.sign}). Sarufi's current API and the sandbox run dev/v1 flows only: ` +
    'run "Sarufi: Convert v1 Flow" to write a dev/v1 copy of it.'
  );
}

/** Whether a reader error is one of the two above (the editor offers the conversion as its quick fix). */
export function isV1FormatMessage(text: string): boolean {
  return text.startsWith(V1_FORMAT_OPENING) || text.startsWith(STATE_LIST_OPENING);
}

