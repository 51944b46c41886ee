// Flows of Sarufi's first API (v1), as its Python SDK wrote them (sarufi-python-sdk,
// examples/*/flow.json and intents.json): states with a `message` list of strings and a
// `next_state`, `choice_*` states that map an answer to the next state, and an intents file that
// maps intent names to example phrases; a conversation starts at the state named like the intent
// the user's message matched. Such a file is not a dev/v1 flow: this module recognises it (so the
// reader reports one clear error instead of a dozen unknown fields) and converts it.
import { childPath, statePath } from './flowPaths.js';
import { isRecord } from './botMessages.js';

/** Where a flow shows that it is v1, in the reader's path style, and how. */
export interface V1Evidence {
  path: string;
  sign: string;
}

const NEXT_KEYS = ['next_state', 'next'] as const;
const DEV_STATE_KEYS = ['transitions', 'actions'];

/** A `choice_*` state: every value names the state an answer leads to. */
function isChoiceState(name: string, state: Record<string, unknown>): boolean {
  const values = Object.values(state);
  return name.startsWith('choice_') && values.length > 0 && values.every((value) => typeof value === 'string');
}

function isInteractive(value: unknown): boolean {
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
  if (Array.isArray(state.message) && state.message.some(isInteractive)) {
    return { path: childPath(statePath(name), 'message'), sign: 'an "interactive" message' };
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

export function v1FormatMessage(evidence: V1Evidence): string {
  return (
    `${V1_FORMAT_OPENING} (${evidence.sign}). Sarufi's current API and the sandbox run dev/v1 flows only: ` +
    'run "Sarufi: Convert v1 Flow" to write a dev/v1 copy of it.'
  );
}

/** Whether a reader error is the one above (the editor offers the conversion as its quick fix). */
export function isV1FormatMessage(text: string): boolean {
  return text.startsWith(V1_FORMAT_OPENING);
}

export interface V1Conversion {
  /** The dev/v1 flow, in the wrapped shape: `{name, initial_state, intents, states}`. */
  flow: Record<string, unknown>;
  /** What the author should check by hand, one sentence each. */
  notes: string[];
}

export class V1ConversionError extends Error {}

/** A state name not yet taken: `start`, else `start_2`, `start_3`… */
function freeName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let n = 2; taken.has(name); n++) {
    name = `${wanted}_${n}`;
  }
  taken.add(name);
  return name;
}

function readIntents(value: unknown, notes: string[]): Record<string, string[]> {
  if (value === undefined) {
    return {};
  }
  if (!isRecord(value)) {
    throw new V1ConversionError('The intents file must be an object of intent names to example phrases, e.g. {"greet": ["Hi", "Hello"]}.');
  }
  const intents: Record<string, string[]> = {};
  for (const [name, examples] of Object.entries(value)) {
    const phrases = Array.isArray(examples) ? examples.filter((example): example is string => typeof example === 'string') : [];
    if (phrases.length === 0) {
      notes.push(`The intent '${name}' has no example phrases and was left out.`);
      continue;
    }
    intents[name] = phrases;
  }
  return intents;
}

/** A v1 `message` list as dev/v1 messages: lines of text joined into one bubble, interactive buttons as a buttons message. */
function convertMessage(value: unknown, path: string, notes: string[]): { messages: unknown[]; buttonIds: string[] } {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const messages: unknown[] = [];
  const buttonIds: string[] = [];
  let lines: string[] = [];
  const flushText = (): void => {
    if (lines.length > 0) {
      messages.push(lines.join('\n'));
      lines = [];
    }
  };
  for (const item of items) {
    if (typeof item === 'string') {
      lines.push(item);
    } else if (isInteractive(item) && Array.isArray((item as Record<string, unknown>).buttons)) {
      // v1 wrote a button as a one-key object {id: title}.
      const buttons = ((item as Record<string, unknown>).buttons as unknown[]).flatMap((button) =>
        isRecord(button) ? Object.entries(button).map(([id, title]) => ({ id, title: String(title) })) : [],
      );
      buttonIds.push(...buttons.map((button) => button.id));
      messages.push({ type: 'buttons', text: lines.length > 0 ? lines.join('\n') : 'Choose one:', buttons });
      lines = [];
    } else {
      notes.push(`${path}: a message item that is neither text nor interactive buttons was left out: ${JSON.stringify(item)}.`);
    }
  }
  flushText();
  const texts = items.filter((item): item is string => typeof item === 'string');
  for (const text of texts) {
    for (const [placeholder] of text.matchAll(/(?<!\{)\{(\w+)\}(?!\})/g)) {
      notes.push(`${path} says ${placeholder}: dev/v1 writes variables as {{…}}, and stores each answer under the name of the state that asked for it.`);
    }
  }
  return { messages, buttonIds };
}

function single(messages: unknown[]): unknown {
  return messages.length === 1 ? messages[0] : messages;
}

/**
 * Converts a v1 flow (and its intents) to a dev/v1 flow with the same conversation:
 * - a `start` state, initial and silent, matches the intents and moves to the state named like
 *   the intent (as v1 began a conversation); anything else gets `not_understood`, which says so
 *   and returns to `start`;
 * - `next_state: "end"` returns to `start` at once, so the next message is matched against the
 *   intents again (v1's end of a conversation);
 * - `next_state` naming a `choice_*` state turns its answer map into transitions (`buttons` when
 *   the state showed interactive buttons with those ids, else `keywords`), with a `default` that
 *   sends the state's `fallback_message` (or asks again);
 * - `next_state` naming any other state waits for an answer and moves there.
 */
export function convertV1Flow(flowValue: unknown, intentsValue: unknown, name?: string): V1Conversion {
  if (!recogniseV1Flow(flowValue) || !isRecord(flowValue)) {
    throw new V1ConversionError('This file is not a flow in the v1 format (states with "next_state", "choice_" answer maps).');
  }
  const notes: string[] = [];
  const intents = readIntents(intentsValue, notes);
  const v1States = Object.entries(flowValue).filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]));
  const v1Names = new Set(v1States.map(([stateName]) => stateName));
  const taken = new Set(v1Names);
  const start = freeName('start', taken);
  // An answer map's "end" is the end of the conversation, as in next_state: back to start.
  const choiceStates = new Map(
    v1States
      .filter(([stateName, state]) => isChoiceState(stateName, state))
      .map(([stateName, answers]) => [
        stateName,
        Object.fromEntries(Object.entries(answers as Record<string, string>).map(([answer, target]) => [answer, target === 'end' ? start : target])),
      ]),
  );
  const notUnderstood = freeName('not_understood', taken);
  const states: Record<string, unknown> = {};

  const intentTargets: Record<string, string> = {};
  for (const intent of Object.keys(intents)) {
    if (v1Names.has(intent) && !choiceStates.has(intent)) {
      intentTargets[intent] = intent;
    } else {
      notes.push(`No state is named like the intent '${intent}', so matching it leads nowhere; add a transition for it.`);
    }
  }
  states[start] = { transitions: { intents: intentTargets, default: notUnderstood } };
  states[notUnderstood] = { message: "Sorry, I didn't understand that.", transitions: { always: start } };

  for (const [stateName, state] of v1States) {
    if (choiceStates.has(stateName)) {
      continue;
    }
    const path = statePath(stateName);
    const { messages, buttonIds } = convertMessage(state.message, childPath(path, 'message'), notes);
    const next = NEXT_KEYS.map((key) => state[key]).find((value) => value !== undefined);
    const converted: Record<string, unknown> = messages.length > 0 ? { message: single(messages) } : {};
    if (state.validators !== undefined) {
      notes.push(`${path}.validators has no dev/v1 equivalent and was left out; a regex transition can check an answer.`);
    }
    states[stateName] = converted;
    if (next === undefined || next === 'end') {
      converted.transitions = { always: start };
    } else if (typeof next !== 'string' || !v1Names.has(next)) {
      notes.push(`${path} goes to '${String(next)}', which is not a state; it now returns to '${start}'.`);
      converted.transitions = { always: start };
    } else if (choiceStates.has(next)) {
      const answers = choiceStates.get(next) ?? {};
      const fallback = freeName(`${stateName}_fallback`, taken);
      const byButton = Object.keys(answers).every((answer) => buttonIds.includes(answer));
      converted.transitions = { [byButton ? 'buttons' : 'keywords']: { ...answers }, default: fallback };
      const fallbackMessages = convertMessage(state.fallback_message ?? 'Please choose one of the options.', childPath(path, 'fallback_message'), notes).messages;
      states[fallback] = { message: single(fallbackMessages), transitions: { always: stateName } };
      for (const target of Object.values(answers)) {
        if (!v1Names.has(target) && target !== start) {
          notes.push(`${statePath(next)} leads to '${target}', which is not a state.`);
        }
      }
    } else {
      converted.transitions = { default: next };
    }
  }
  for (const choiceName of choiceStates.keys()) {
    if (!v1States.some(([, state]) => NEXT_KEYS.some((key) => state[key] === choiceName))) {
      notes.push(`${statePath(choiceName)} is not the next state of any state and was left out.`);
    }
  }
  return { flow: { ...(name === undefined ? {} : { name }), initial_state: start, intents, states }, notes };
}
