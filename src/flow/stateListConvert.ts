// Converts the state-list shape seen in 2026 (`{version, name, initial_state, fallback_state,
// states: [{name, type, actions, transitions}], intents: [{name, examples, connected_to, …}]}`) to
// a dev/v1 flow. Sarufi's docs do not describe that shape, so what this reads is what the files
// seen hold, and whatever else a file holds becomes a note rather than a guess.
import { isRecord } from './botMessages.js';
import { childPath, statePath } from './flowPaths.js';
import { TRANSITION_TRIGGERS } from './flowReader.js';
import { recogniseStateListFlow } from './v1Format.js';
import { V1ConversionError } from './v1Convert.js';
import type { V1Conversion } from './v1Convert.js';

const STATE_TYPES = ['STANDARD', 'TERMINAL', 'FALLBACK'];
/** A transition written as a list item: which dev/v1 trigger each `type` becomes. */
const LIST_TRIGGERS: Record<string, string> = { INTENT: 'intents', KEYWORD: 'keywords', BUTTON: 'buttons', REGEX: 'regex', DEFAULT: 'default', ALWAYS: 'always' };

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

interface ListedState {
  name: string;
  type: string;
  raw: Record<string, unknown>;
  path: string;
}

class StateListConverter {
  readonly notes: string[] = [];
  readonly states: Record<string, Record<string, unknown>> = {};

  constructor(private readonly listed: ListedState[]) {}

  private has(name: unknown): name is string {
    return typeof name === 'string' && this.listed.some((state) => state.name === name);
  }

  convertState(state: ListedState): Record<string, unknown> {
    const converted: Record<string, unknown> = {};
    const messages: string[] = [];
    const actions = Array.isArray(state.raw.actions) ? state.raw.actions : [];
    for (const [index, action] of actions.entries()) {
      const actionText = isRecord(action) ? text(action.text ?? action.message) : null;
      if (isRecord(action) && action.type === 'SEND_MESSAGE' && actionText !== null) {
        messages.push(actionText);
      } else {
        this.notes.push(`${childPath(childPath(state.path, 'actions'), index)} (${isRecord(action) ? String(action.type) : typeof action}) was left out: only SEND_MESSAGE with a text is read; add it by hand.`);
      }
    }
    if (messages.length > 0) {
      converted.message = messages.length === 1 ? messages[0] : messages;
    } else {
      this.notes.push(`${state.path} sends nothing: it has no SEND_MESSAGE text; add a message.`);
    }
    converted.transitions = this.transitionsOf(state);
    return converted;
  }

  /** Transitions as dev/v1 triggers (an object), or a list of `{type, value, target}` items. */
  private transitionsOf(state: ListedState): Record<string, unknown> {
    const raw = state.raw.transitions;
    const path = childPath(state.path, 'transitions');
    const out: Record<string, unknown> = {};
    const add = (trigger: string, key: string | null, target: unknown, at: string): void => {
      if (!this.has(target)) {
        this.notes.push(`${at} goes to ${JSON.stringify(target)}, which is not a state, and was left out: name an existing state.`);
        return;
      }
      if (key === null) {
        out[trigger] = target;
      } else {
        out[trigger] = { ...(isRecord(out[trigger]) ? out[trigger] : {}), [key]: target };
      }
    };
    if (isRecord(raw)) {
      for (const [trigger, spec] of Object.entries(raw)) {
        const at = childPath(path, trigger);
        if (!(TRANSITION_TRIGGERS as readonly string[]).includes(trigger)) {
          this.notes.push(`${at} is not a trigger the sandbox knows (${TRANSITION_TRIGGERS.join(', ')}) and was left out.`);
        } else if (trigger === 'default' || trigger === 'always') {
          add(trigger, null, spec, at);
        } else if (isRecord(spec)) {
          for (const [key, target] of Object.entries(spec)) {
            add(trigger, key, target, childPath(at, key));
          }
        }
      }
    } else if (Array.isArray(raw)) {
      for (const [index, item] of raw.entries()) {
        const at = childPath(path, index);
        const trigger = isRecord(item) && typeof item.type === 'string' ? LIST_TRIGGERS[item.type.toUpperCase()] : undefined;
        const target = isRecord(item) ? (item.target ?? item.to ?? item.next_state) : undefined;
        const key = isRecord(item) ? text(item.value ?? item.intent ?? item.keyword ?? item.button ?? item.pattern) : null;
        if (trigger === undefined) {
          this.notes.push(`${at} was left out: its type is not one of ${Object.keys(LIST_TRIGGERS).join(', ')}.`);
        } else if (trigger === 'default' || trigger === 'always') {
          add(trigger, null, target, at);
        } else if (key === null) {
          this.notes.push(`${at} (${trigger}) was left out: it names no value to match (value, intent, keyword, button or pattern).`);
        } else {
          add(trigger, key, target, at);
        }
      }
    } else if (raw !== undefined && raw !== null) {
      this.notes.push(`${path} is neither an object nor a list and was left out.`);
    }
    return out;
  }
}

/**
 * Converts a state-list flow: states by name, SEND_MESSAGE texts as messages, enabled intents with
 * their examples routed from the initial state to the state each is `connected_to`, and the
 * `fallback_state` (or the FALLBACK state) as the `default` of every state that has none.
 */
export function convertStateListFlow(value: unknown): V1Conversion {
  if (recogniseStateListFlow(value) === null || !isRecord(value) || !Array.isArray(value.states)) {
    throw new V1ConversionError('This file is not a flow that lists its states ({"states": [{"name": …, "type": …}]}).');
  }
  const listed: ListedState[] = [];
  const notes: string[] = [];
  for (const [index, raw] of value.states.entries()) {
    if (!isRecord(raw) || typeof raw.name !== 'string') {
      continue;
    }
    if (listed.some((state) => state.name === raw.name)) {
      notes.push(`states[${index}] repeats the name '${raw.name}' and was left out: rename one of them.`);
      continue;
    }
    const type = typeof raw.type === 'string' ? raw.type.toUpperCase() : 'STANDARD';
    if (!STATE_TYPES.includes(type)) {
      notes.push(`${statePath(raw.name)} has type ${JSON.stringify(raw.type)}, not one of ${STATE_TYPES.join(', ')}; it was read as STANDARD.`);
    }
    listed.push({ name: raw.name, type, raw, path: statePath(raw.name) });
  }
  const converter = new StateListConverter(listed);
  converter.notes.push(...notes);
  const names = listed.map((state) => state.name);
  const initial = typeof value.initial_state === 'string' && names.includes(value.initial_state) ? value.initial_state : names[0];
  if (initial === undefined) {
    throw new V1ConversionError('The flow lists no states with a name.');
  }
  if (initial !== value.initial_state) {
    converter.notes.push(`initial_state ${JSON.stringify(value.initial_state)} is not a listed state: '${initial}', the first one, starts the conversation now.`);
  }
  const fallbackState = typeof value.fallback_state === 'string' && names.includes(value.fallback_state) ? value.fallback_state : listed.find((state) => state.type === 'FALLBACK')?.name;
  if (value.fallback_state !== undefined && fallbackState !== value.fallback_state) {
    converter.notes.push(`fallback_state ${JSON.stringify(value.fallback_state)} is not a listed state and was left out.`);
  }

  const intents: Record<string, string[]> = {};
  const routes: Record<string, string> = {};
  for (const [index, intent] of (Array.isArray(value.intents) ? value.intents : []).entries()) {
    const at = `intents[${index}]`;
    if (!isRecord(intent) || typeof intent.name !== 'string') {
      converter.notes.push(`${at} has no name and was left out.`);
      continue;
    }
    if (intent.enabled === false) {
      converter.notes.push(`The intent '${intent.name}' is disabled (enabled: false) and was left out.`);
      continue;
    }
    const examples = (Array.isArray(intent.examples) ? intent.examples : []).filter((example): example is string => text(example) !== null);
    if (examples.length === 0) {
      converter.notes.push(`The intent '${intent.name}' has no examples and was left out: add example phrases.`);
      continue;
    }
    intents[intent.name] = examples;
    if (text(intent.llm_prompt) !== null) {
      converter.notes.push(`The intent '${intent.name}' has an llm_prompt, which dev/v1 intents do not have: it matches by its ${examples.length} examples only.`);
    }
    if (typeof intent.connected_to === 'string' && names.includes(intent.connected_to)) {
      routes[intent.name] = intent.connected_to;
    } else {
      converter.notes.push(`The intent '${intent.name}' is connected to ${JSON.stringify(intent.connected_to ?? null)}, which is not a state: add a transition for it from '${initial}'.`);
    }
  }

  const states: Record<string, unknown> = {};
  for (const state of listed) {
    const converted = converter.convertState(state);
    const transitions = converted.transitions as Record<string, unknown>;
    if (state.name === initial && Object.keys(routes).length > 0) {
      transitions.intents = { ...routes, ...(isRecord(transitions.intents) ? transitions.intents : {}) };
    }
    const ends = state.type === 'TERMINAL' || state.name === fallbackState;
    if (ends && Object.keys(transitions).length === 0) {
      // The end of a conversation (or the fallback's answer): the next message is matched against the intents again, else starts over.
      Object.assign(transitions, Object.keys(routes).length > 0 ? { intents: { ...routes } } : {}, { default: initial });
      converter.notes.push(`${state.path} is ${state.type === 'TERMINAL' ? 'TERMINAL' : 'the fallback state'}: the next message now starts again (the intents, else '${initial}'); check that is how it should go on.`);
    }
    if (transitions.default === undefined && transitions.always === undefined && fallbackState !== undefined && state.name !== fallbackState) {
      transitions.default = fallbackState;
    }
    if (Object.keys(transitions).length === 0) {
      delete converted.transitions;
      converter.notes.push(`${state.path} has no way out: a user who reaches it stays there; add a transition.`);
    }
    states[state.name] = converted;
  }
  const flow = {
    ...(text(value.name) === null ? {} : { name: value.name }),
    ...(text(value.description) === null ? {} : { description: value.description }),
    initial_state: initial,
    intents,
    states,
  };
  return { flow, notes: [...new Set(converter.notes)] };
}
