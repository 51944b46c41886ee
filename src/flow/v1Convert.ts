// Converts a flow of Sarufi's first API (v1, as its SDKs and dashboard wrote it, in YAML or JSON)
// and its intents to a dev/v1 flow that holds the same conversation in the sandbox. What cannot
// be said the same way becomes a note that names the state and what to check.
import { closestNames } from './closestNames.js';
import { isRecord } from './botMessages.js';
import { childPath, statePath } from './flowPaths.js';
import { isInteractive, recogniseV1Flow } from './v1Format.js';
import { allOf, readValidator } from './v1Validators.js';

export interface V1Conversion {
  /** The dev/v1 flow, in the wrapped shape: `{name, description?, initial_state, intents, states}`. */
  flow: Record<string, unknown>;
  /** What the author should check by hand, one sentence each, naming the state. */
  notes: string[];
}

export class V1ConversionError extends Error {}

export interface BotInfo {
  name?: string;
  description?: string;
}

/** The keys a v1 state may have; anything else gets a note (with "did you mean" when close). */
const STATE_KEYS = ['message', 'next_state', 'next', 'fallback_message', 'validators', 'type', 'buttons', 'images'];
const NEXT_KEYS = ['next_state', 'next'] as const;
/** `end.` is a typo seen in published bots; v1 is read as the author meant. */
const END_TARGETS = ['end', 'end.'];

type V1State = Record<string, unknown>;

/** A state name not yet taken: `start`, else `start_2`, `start_3`… */
function freeName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let n = 2; taken.has(name); n++) {
    name = `${wanted}_${n}`;
  }
  taken.add(name);
  return name;
}

function nextOf(state: V1State): unknown {
  return NEXT_KEYS.map((key) => state[key]).find((value) => value !== undefined);
}

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  // YAML reads `- 1234` as a number: a line of text all the same.
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

function readIntents(value: unknown, notes: string[]): Record<string, string[]> {
  if (value === undefined || value === null) {
    return {};
  }
  if (!isRecord(value)) {
    throw new V1ConversionError('The intents file must map intent names to example phrases, e.g. {"greet": ["Hi", "Hello"]}.');
  }
  const intents: Record<string, string[]> = {};
  for (const [name, examples] of Object.entries(value)) {
    const phrases = (Array.isArray(examples) ? examples : [examples]).flatMap((example) => scalarText(example) ?? []).filter((phrase) => phrase.trim() !== '');
    if (phrases.length === 0) {
      notes.push(`The intent '${name}' has no example phrases and was left out: add phrases if a conversation should start with it.`);
      continue;
    }
    intents[name] = phrases;
  }
  return intents;
}

class V1Converter {
  readonly notes: string[] = [];
  readonly states: Record<string, unknown> = {};
  private readonly v1States: [string, V1State][];
  private readonly names: Set<string>;
  private readonly taken: Set<string>;
  private readonly answerMaps: Map<string, V1State>;
  /** v1 stores an answer under the name of the state it leads to; dev/v1 under the state that asked. */
  private readonly askedAt = new Map<string, Set<string>>();
  /** Intent name → the state it begins, as `start` routes them. */
  private readonly intentTargets: Record<string, string> = {};
  readonly start: string;
  readonly notUnderstood: string;

  constructor(flow: Record<string, unknown>) {
    this.v1States = [];
    for (const [name, value] of Object.entries(flow)) {
      if (isRecord(value)) {
        this.v1States.push([name, value]);
      } else {
        this.notes.push(
          STATE_KEYS.includes(name)
            ? `'${name}' sits at the top level of the flow, where states are: in YAML, indent it under the name of the state it belongs to. It was left out.`
            : `'${name}' is not a state (a state is an object with a message and a next_state) and was left out.`,
        );
      }
    }
    this.names = new Set(this.v1States.map(([name]) => name));
    this.taken = new Set(this.names);
    this.start = freeName('start', this.taken);
    this.notUnderstood = freeName('not_understood', this.taken);
    const pointedTo = new Set(this.v1States.map(([, state]) => nextOf(state)).filter((next): next is string => typeof next === 'string'));
    this.answerMaps = new Map(this.v1States.filter(([name, state]) => this.isAnswerMap(name, state, pointedTo)));
    for (const [name, state] of this.v1States) {
      const next = nextOf(state);
      if (typeof next !== 'string' || this.answerMaps.has(name)) {
        continue;
      }
      const targets = this.answerMaps.has(next) ? Object.values(this.answersOf(next)) : [next];
      for (const target of targets) {
        this.askedAt.set(target, (this.askedAt.get(target) ?? new Set()).add(name));
      }
    }
  }

  /**
   * An answer map by its shape, whatever its name (`choice_menu`, `chagua_kozi`): no message, and
   * every value but `fallback_message` names a state (or the end); one that a `next_state` points to,
   * or named `choice_*` as the SDK's docs teach.
   */
  private isAnswerMap(name: string, state: V1State, pointedTo: Set<string>): boolean {
    if (state.message !== undefined || nextOf(state) !== undefined) {
      return false;
    }
    const answers = Object.entries(state).filter(([key]) => key !== 'fallback_message');
    const allTargets = answers.length > 0 && answers.every(([, value]) => typeof value === 'string' && (this.names.has(value) || END_TARGETS.includes(value)));
    const allText = answers.length > 0 && answers.every(([, value]) => typeof value === 'string');
    return (pointedTo.has(name) && allTargets) || (name.startsWith('choice_') && allText);
  }

  private answersOf(mapName: string): Record<string, string> {
    const map = this.answerMaps.get(mapName) ?? {};
    return Object.fromEntries(
      Object.entries(map)
        .filter(([key, value]) => key !== 'fallback_message' && typeof value === 'string')
        .map(([answer, target]) => [answer, END_TARGETS.includes(target as string) ? this.start : (target as string)]),
    );
  }

  convert(intents: Record<string, string[]>): void {
    const intentTargets = this.intentTargets;
    for (const intent of Object.keys(intents)) {
      if (this.names.has(intent) && !this.answerMaps.has(intent)) {
        intentTargets[intent] = intent;
      } else {
        this.notes.push(`No state is named like the intent '${intent}', so matching it leads nowhere: add a state '${intent}', or a transition for it in '${this.start}'.`);
      }
    }
    this.states[this.start] = { transitions: { intents: intentTargets, default: this.notUnderstood } };
    this.states[this.notUnderstood] = { message: "Sorry, I didn't understand that.", transitions: { always: this.start } };
    for (const [name, state] of this.v1States) {
      if (!this.answerMaps.has(name)) {
        this.convertState(name, state);
      }
    }
    for (const mapName of this.answerMaps.keys()) {
      if (!this.v1States.some(([, state]) => nextOf(state) === mapName)) {
        this.notes.push(`${statePath(mapName)} is an answer map that no state's next_state names, so it was left out: point the asking state's next_state at it.`);
      }
    }
  }

  private convertState(name: string, state: V1State): void {
    const path = statePath(name);
    this.checkKeys(name, state);
    const { messages, buttonIds } = this.messagesOf(state, path);
    const converted: Record<string, unknown> = messages.length > 0 ? { message: single(messages) } : {};
    if (messages.length === 0) {
      this.notes.push(`${path} sends nothing: v1 had no message here either; add one, or the user sees no answer.`);
    }
    this.states[name] = converted;
    const next = nextOf(state);
    const validators = this.validatorsOf(name, state);
    // The docs' buttons name the state each leads to ("the key being the button's state").
    const buttonRoutes = Object.fromEntries(buttonIds.filter((id) => this.names.has(id) && !this.answerMaps.has(id)).map((id) => [id, id]));
    const isEnd = next === undefined || (typeof next === 'string' && END_TARGETS.includes(next));
    if (Object.keys(buttonRoutes).length > 0 && (isEnd || (typeof next === 'string' && this.names.has(next) && !this.answerMaps.has(next)))) {
      // After the end, a message that is no button is matched against the intents, as v1 did.
      const rest = isEnd ? { intents: { ...this.intentTargets }, default: this.notUnderstood } : { default: next };
      converted.transitions = { buttons: buttonRoutes, ...rest };
      this.notes.push(`${path} has buttons named like states (${Object.keys(buttonRoutes).join(', ')}): each now leads to its state; check that is what they meant.`);
      return;
    }
    if (isEnd) {
      if (next === 'end.') {
        this.notes.push(`${path} goes to 'end.' (with a dot): read as 'end', the end of the conversation; write 'end' in the v1 file.`);
      }
      converted.transitions = validators ? this.validated(name, validators, this.start) : { always: this.start };
      if (next === undefined && !validators) {
        this.notes.push(`${path} has no next_state: it now ends the conversation (back to '${this.start}'); check that is what it meant.`);
      }
      return;
    }
    if (typeof next !== 'string' || !this.names.has(next)) {
      this.notes.push(`${path} goes to '${String(next)}', which is not a state: it now returns to '${this.start}'; name an existing state.`);
      converted.transitions = { always: this.start };
      return;
    }
    if (this.answerMaps.has(next)) {
      if (validators) {
        this.notes.push(`${path}.validators were left out: its answer goes to the answer map '${next}', whose fallback message answers anything else.`);
      }
      this.convertChoice(name, state, next, buttonIds, converted);
      return;
    }
    if (state.fallback_message !== undefined) {
      this.notes.push(`${path}.fallback_message was left out: v1 sends it only for an answer map, and '${next}' is not one.`);
    }
    converted.transitions = validators ? this.validated(name, validators, next) : { default: next };
  }

  private checkKeys(name: string, state: V1State): void {
    for (const key of Object.keys(state)) {
      if (STATE_KEYS.includes(key)) {
        continue;
      }
      const close = closestNames(key, STATE_KEYS, 1)[0];
      this.notes.push(
        close === undefined
          ? `${childPath(statePath(name), key)} is not a v1 state key and was left out.`
          : `${childPath(statePath(name), key)} is not a v1 state key and was left out: did you mean \`${close}\`?`,
      );
    }
    if (state.type !== undefined && state.type !== 'text' && state.type !== 'interactive') {
      this.notes.push(`${statePath(name)}.type '${String(state.type)}' is not one v1 knew (text, interactive); the state was read as text.`);
    }
  }

  /** The state's message, its state-level buttons (`type: interactive`) and images, as dev/v1 messages. */
  private messagesOf(state: V1State, path: string): { messages: unknown[]; buttonIds: string[] } {
    const { messages, buttonIds } = this.convertMessage(state.message, childPath(path, 'message'));
    if (isInteractive(state)) {
      const buttons = buttonsOf(state.buttons);
      if (buttons.length === 0) {
        this.notes.push(`${path} is "interactive" but has no buttons ({id: title} each): it was converted as text; add buttons.`);
      } else {
        // The docs' buttons sit beside the message: they ride on its last text.
        const last = messages.length > 0 && typeof messages[messages.length - 1] === 'string' ? (messages.pop() as string) : 'Choose one:';
        messages.push({ type: 'buttons', text: last, buttons });
        buttonIds.push(...buttons.map((button) => button.id));
      }
    }
    if (state.images !== undefined) {
      for (const [index, image] of (Array.isArray(state.images) ? state.images : [state.images]).entries()) {
        const link = isRecord(image) ? scalarText(image.link ?? image.url) : null;
        if (link === null) {
          this.notes.push(`${childPath(childPath(path, 'images'), index)} has no link and was left out.`);
          continue;
        }
        const caption = isRecord(image) ? scalarText(image.caption) : null;
        messages.push({ type: 'image', media_url: link, ...(caption === null ? {} : { media_caption: this.templated(caption, childPath(path, 'images')) }) });
      }
    }
    return { messages, buttonIds };
  }

  /** A v1 `message` (or `fallback_message`, `error_message`): lines joined into one bubble, alternatives reduced to the first. */
  convertMessage(value: unknown, path: string): { messages: unknown[]; buttonIds: string[] } {
    let items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    const alternatives = items.filter(Array.isArray);
    if (alternatives.length > 0) {
      // The dashboard writes alternatives as a list of lists; Sarufi sent one of them at random.
      const others = alternatives.slice(1).map((alternative) => JSON.stringify(alternative.map((line) => scalarText(line) ?? '').join('\n')));
      if (others.length > 0) {
        this.notes.push(`${path} has ${alternatives.length} alternative messages; the sandbox sends one, so the first was kept. The others were: ${others.join(', ')}.`);
      }
      items = [...(alternatives[0] as unknown[]), ...items.filter((item) => !Array.isArray(item))];
    }
    const messages: unknown[] = [];
    const buttonIds: string[] = [];
    let lines: string[] = [];
    const flushText = (): void => {
      if (lines.length > 0) {
        messages.push(this.templated(lines.join('\n'), path));
        lines = [];
      }
    };
    for (const item of items) {
      const text = scalarText(item);
      if (text !== null) {
        lines.push(text);
      } else if (isInteractive(item) && isRecord(item)) {
        const buttons = buttonsOf(item.buttons);
        buttonIds.push(...buttons.map((button) => button.id));
        messages.push({ type: 'buttons', text: lines.length > 0 ? this.templated(lines.join('\n'), path) : 'Choose one:', buttons });
        lines = [];
      } else {
        this.notes.push(`${path}: an item that is neither text nor interactive buttons was left out: ${JSON.stringify(item)}; add it by hand if it matters.`);
      }
    }
    flushText();
    // Blank lines around a message (the docs' '' items) are spacing, not a message of their own.
    return { messages: messages.map((message) => (typeof message === 'string' ? message.replace(/^\n+|\n+$/g, '') : message)).filter((message) => message !== ''), buttonIds };
  }

  /**
   * v1's `{name}` and `{{name}}` name the answer that led to state `name` ("stored in memory of the
   * next state"); dev/v1 stores an answer under the state that asked. One asking state: renamed.
   */
  private templated(text: string, path: string): string {
    return text.replace(/\{\{\s*(\w+)\s*\}\}|(?<!\{)\{(\w+)\}(?!\})/g, (whole, double: string | undefined, single: string | undefined) => {
      const name = double ?? single ?? '';
      const askers = [...(this.askedAt.get(name) ?? [])];
      if (this.names.has(name) && askers.length === 1) {
        this.notes.push(`${path} says ${whole}, v1's answer that led to '${name}': it now reads {{${askers[0]}}}, the answer typed at '${askers[0]}'; check the sentence reads right.`);
        return `{{${askers[0]}}}`;
      }
      this.notes.push(
        this.names.has(name)
          ? `${path} says ${whole}: ${askers.length === 0 ? 'no state leads' : `${askers.length} states lead`} to '${name}', so which answer it means is unclear; it now reads {{${name}}}. Name the state whose answer it is.`
          : `${path} says ${whole}, and no state is named '${name}': it now reads {{${name}}}, which is empty unless a variable of that name is set.`,
      );
      return `{{${name}}}`;
    });
  }

  private validatorsOf(name: string, state: V1State): { pattern: string; errorMessage: unknown } | null {
    if (state.validators === undefined) {
      return null;
    }
    const list = Array.isArray(state.validators) ? state.validators : [state.validators];
    const read = list.map((validator, index) => ({ index, reading: readValidator(validator) }));
    for (const { index, reading } of read) {
      if (!reading.ok) {
        this.notes.push(`${childPath(childPath(statePath(name), 'validators'), index)} was left out: ${reading.problem}. Check the answers this state accepts.`);
      }
    }
    const valid = read.flatMap(({ reading }) => (reading.ok ? [reading.validator] : []));
    if (valid.length === 0) {
      return null;
    }
    if (valid.length > 1) {
      this.notes.push(`${statePath(name)} has ${valid.length} validators: an answer must pass all of them, and a wrong one gets the first one's error_message.`);
    }
    const errorMessage = valid.find((validator) => validator.errorMessage !== undefined)?.errorMessage;
    return { pattern: allOf(valid.map((validator) => validator.pattern)), errorMessage };
  }

  /**
   * A validated answer moves on; any other gets the error message and the same state asks again,
   * so the answer is still stored under that state's name whichever try passes.
   */
  private validated(name: string, validator: { pattern: string; errorMessage: unknown }, target: string): Record<string, unknown> {
    const invalid = freeName(`${name}_invalid`, this.taken);
    let messages = this.convertMessage(validator.errorMessage, childPath(statePath(name), 'validators')).messages;
    if (messages.length === 0) {
      this.notes.push(`${statePath(name)}.validators has no error_message: a wrong answer now gets "That answer is not valid."; write the message the user should see.`);
      messages = ['That answer is not valid.'];
    }
    this.states[invalid] = { message: single(messages), transitions: { always: name } };
    return { regex: { [validator.pattern]: target }, default: invalid };
  }

  private convertChoice(name: string, state: V1State, mapName: string, buttonIds: string[], converted: Record<string, unknown>): void {
    const answers = this.answersOf(mapName);
    const byButton = Object.keys(answers).every((answer) => buttonIds.includes(answer));
    const fallback = freeName(`${name}_fallback`, this.taken);
    converted.transitions = { [byButton ? 'buttons' : 'keywords']: answers, default: fallback };
    const map = this.answerMaps.get(mapName) ?? {};
    const fallbackValue = map.fallback_message ?? state.fallback_message ?? 'Please choose one of the options.';
    const path = map.fallback_message === undefined ? childPath(statePath(name), 'fallback_message') : childPath(statePath(mapName), 'fallback_message');
    this.states[fallback] = { message: single(this.convertMessage(fallbackValue, path).messages), transitions: { always: name } };
    for (const target of Object.values(answers)) {
      if (!this.names.has(target) && target !== this.start) {
        this.notes.push(`${statePath(mapName)} leads to '${target}', which is not a state: name an existing state.`);
      }
    }
  }
}

function buttonsOf(value: unknown): { id: string; title: string }[] {
  // v1 wrote a button as a one-key object {id: title}.
  return (Array.isArray(value) ? value : []).flatMap((button) =>
    isRecord(button) ? Object.entries(button).map(([id, title]) => ({ id, title: scalarText(title) ?? id })) : [],
  );
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
 * - `next_state` naming an answer map turns it into transitions (`buttons` when the state showed
 *   buttons with those ids, else `keywords`), with a `default` that sends the fallback message and
 *   asks again;
 * - validators become a `regex` transition to the next state, with a `default` that sends the
 *   error message and asks again;
 * - `next_state` naming any other state waits for an answer and moves there.
 */
export function convertV1Flow(flowValue: unknown, intentsValue: unknown, info: BotInfo = {}): V1Conversion {
  if (!recogniseV1Flow(flowValue) || !isRecord(flowValue)) {
    throw new V1ConversionError('This file is not a flow in the v1 format (states with "next_state", answer maps such as "choice_…").');
  }
  const converter = new V1Converter(flowValue);
  const intents = readIntents(intentsValue, converter.notes);
  converter.convert(intents);
  const flow = {
    ...(info.name === undefined ? {} : { name: info.name }),
    ...(info.description === undefined ? {} : { description: info.description }),
    initial_state: converter.start,
    intents,
    states: converter.states,
  };
  // A placeholder used in several lines gives the same note once.
  return { flow, notes: [...new Set(converter.notes)] };
}
