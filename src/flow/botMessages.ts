// The one reader of bot messages (GenericMessage): which types exist, which fields each has, and
// which of them are required. The client reads server replies with it, the webview re-reads what
// arrived through postMessage, and the flow reader checks a flow's messages with it, so a shape
// the panel shows is exactly a shape the sandbox sends. Pure code with no Node or DOM imports.
//
// Two strictness levels share the same rules of shape:
// - 'wire' (a reply from a server): anything unreadable becomes `{type: 'unknown', reason, raw}`,
//   so that it is shown as JSON instead of crashing a renderer.
// - 'authoring' (a message in a flow file): each problem becomes an issue at its path, and also
//   empty required text, empty lists and undocumented fields count (a bot must not send them).

export interface TextMessage {
  type: 'text';
  text: string;
}

export interface Button {
  id: string;
  title: string;
}

export interface ButtonsMessage {
  type: 'buttons';
  text: string;
  buttons: Button[];
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

/** WhatsApp needs a section title only when a list has more than one section (whatsappLimits.ts checks that). */
export interface ListSection {
  title?: string;
  rows: ListRow[];
}

export interface ListMessage {
  type: 'list';
  text: string;
  button_text: string;
  sections: ListSection[];
}

export interface ImageMessage {
  type: 'image';
  media_url: string;
  media_caption?: string;
}

export interface DocumentMessage {
  type: 'document';
  media_url: string;
  media_filename?: string;
  media_caption?: string;
}

export interface VideoMessage {
  type: 'video';
  media_url: string;
  media_caption?: string;
}

export interface AudioMessage {
  type: 'audio';
  media_url: string;
}

export type KnownMessage =
  | TextMessage
  | ButtonsMessage
  | ListMessage
  | ImageMessage
  | DocumentMessage
  | VideoMessage
  | AudioMessage;

export type KnownMessageType = KnownMessage['type'];

/**
 * A message that could not be read as a known type (an unknown `type`, or a known type with
 * missing or mistyped fields). The raw object is kept intact so that it can be shown as JSON.
 */
export interface UnknownMessage {
  type: 'unknown';
  /** Why it could not be read, in plain words. */
  reason: string;
  raw: unknown;
}

export type GenericMessage = KnownMessage | UnknownMessage;

/** A text field, or a list whose items are objects with fields of their own. */
type FieldRule =
  | { kind: 'text'; required: boolean }
  | { kind: 'list'; required: true; items: Record<string, FieldRule> };

const text = (required: boolean): FieldRule => ({ kind: 'text', required });
const listOf = (items: Record<string, FieldRule>): FieldRule => ({ kind: 'list', required: true, items });

const BUTTON_FIELDS = { id: text(true), title: text(true) };
const ROW_FIELDS = { id: text(true), title: text(true), description: text(false) };
const SECTION_FIELDS = { title: text(false), rows: listOf(ROW_FIELDS) };

/**
 * Every documented field of every type, in the order the docs list them. A Record, so that a new
 * message type is a compile error here until its fields are listed; the schema test checks that
 * flow.schema.json lists the same fields.
 */
const MESSAGE_RULES: Record<KnownMessageType, Record<string, FieldRule>> = {
  text: { text: text(true) },
  buttons: { text: text(true), buttons: listOf(BUTTON_FIELDS) },
  list: { text: text(true), button_text: text(true), sections: listOf(SECTION_FIELDS) },
  image: { media_url: text(true), media_caption: text(false) },
  document: { media_url: text(true), media_filename: text(false), media_caption: text(false) },
  video: { media_url: text(true), media_caption: text(false) },
  audio: { media_url: text(true) },
};

export const MESSAGE_TYPES = Object.keys(MESSAGE_RULES) as KnownMessageType[];

/** The fields each message type may have, `type` first. */
export const MESSAGE_FIELDS = MESSAGE_TYPES.reduce(
  (fields, type) => ({ ...fields, [type]: ['type', ...Object.keys(MESSAGE_RULES[type])] }),
  {} as Record<KnownMessageType, readonly string[]>,
);

export type Strictness = 'wire' | 'authoring';

/** Where a problem is, relative to the message: `['sections', 0, 'rows', 1, 'id']`. */
export type MessagePath = readonly (string | number)[];

export interface MessageProblems {
  error(path: MessagePath, text: string): void;
  warn(path: MessagePath, text: string): void;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isKnownType(value: unknown): value is KnownMessageType {
  return typeof value === 'string' && Object.hasOwn(MESSAGE_RULES, value);
}

/** `a number`, `a list`, `null`: how a wrong value is named in a problem. */
export function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `buttons[1].title`: a path as the problems' texts show it. */
export function formatMessagePath(path: MessagePath): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? key : `${out}.${key}`), '');
}

class Reader {
  private failed = false;

  constructor(
    private readonly strictness: Strictness,
    private readonly problems: MessageProblems,
  ) {}

  get ok(): boolean {
    return !this.failed;
  }

  private fail(path: MessagePath, text: string): undefined {
    this.failed = true;
    this.problems.error(path, text);
    return undefined;
  }

  /** The documented fields of `fields` per `rules`, or undefined after reporting what is wrong. */
  record(fields: Record<string, unknown>, rules: Record<string, FieldRule>, path: MessagePath, extra: readonly string[] = []): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, rule] of Object.entries(rules)) {
      const value = this.field(fields[name], rule, [...path, name]);
      if (value !== undefined) {
        out[name] = value;
      }
    }
    if (this.strictness === 'authoring') {
      for (const key of Object.keys(fields)) {
        if (!Object.hasOwn(rules, key) && !extra.includes(key)) {
          this.problems.warn([...path, key], `Unknown field '${key}' is ignored.`);
        }
      }
    }
    return out;
  }

  private field(value: unknown, rule: FieldRule, path: MessagePath): unknown {
    const name = `'${formatMessagePath(path)}'`;
    // Servers often send null for an optional field: null and absent both mean "not given".
    if (value === undefined || (value === null && !rule.required)) {
      return rule.required ? this.fail(path, `${name} is missing`) : undefined;
    }
    if (rule.kind === 'text') {
      if (typeof value !== 'string') {
        return this.fail(path, `${name} should be text but is ${describeValue(value)}`);
      }
      if (this.strictness === 'authoring' && rule.required && value.trim() === '') {
        return this.fail(path, `${name} must not be empty`);
      }
      return value;
    }
    if (!Array.isArray(value)) {
      return this.fail(path, `${name} should be a list but is ${describeValue(value)}`);
    }
    if (this.strictness === 'authoring' && value.length === 0) {
      return this.fail(path, `${name} must not be an empty list`);
    }
    return value.map((item, index) => {
      const itemPath = [...path, index];
      if (!isRecord(item)) {
        return this.fail(itemPath, `'${formatMessagePath(itemPath)}' should be an object but is ${describeValue(item)}`);
      }
      return this.record(item, rule.items, itemPath);
    });
  }
}

/**
 * One message as a KnownMessage when it has a known type and every required field with the right
 * type; otherwise undefined, after telling `problems` why. Known messages are fresh objects that
 * hold only the documented fields, so renderers never meet surprises.
 */
export function readBotMessage(raw: unknown, strictness: Strictness, problems: MessageProblems): KnownMessage | undefined {
  if (!isRecord(raw)) {
    problems.error([], `a message should be an object but this is ${describeValue(raw)}`);
    return undefined;
  }
  if (raw.type === undefined) {
    problems.error(['type'], 'the message has no type');
    return undefined;
  }
  if (!isKnownType(raw.type)) {
    const shown = typeof raw.type === 'string' ? `"${raw.type}"` : describeValue(raw.type);
    problems.error(['type'], `message type ${shown} is not one Sarufi documents (known: ${MESSAGE_TYPES.join(', ')})`);
    return undefined;
  }
  const reader = new Reader(strictness, problems);
  const fields = reader.record(raw, MESSAGE_RULES[raw.type], [], ['type']);
  return reader.ok ? ({ type: raw.type, ...fields } as KnownMessage) : undefined;
}

/** A server's message as the panel shows it: known, or `{type: 'unknown', reason, raw}` with the raw value untouched. */
export function normaliseMessage(raw: unknown): GenericMessage {
  let reason = '';
  const message = readBotMessage(raw, 'wire', {
    error: (_path, text) => {
      reason ||= text;
    },
    warn: () => undefined,
  });
  if (message) {
    return message;
  }
  const type = isRecord(raw) ? raw.type : undefined;
  return { type: 'unknown', reason: isKnownType(type) ? `a "${type}" message whose ${reason}` : reason, raw };
}

/**
 * A whole message array. Anything that is not an array yields undefined, so that the caller
 * decides whether a missing list is an error (the client's shape checks do).
 */
export function normaliseMessages(raw: unknown): GenericMessage[] | undefined {
  return Array.isArray(raw) ? raw.map(normaliseMessage) : undefined;
}

/** The buttons and list rows a message offers, which a click's `button_id` can name. */
export function choicesOf(message: GenericMessage): Button[] {
  if (message.type === 'buttons') {
    return message.buttons;
  }
  if (message.type === 'list') {
    return message.sections.flatMap((section) => section.rows.map(({ id, title }) => ({ id, title })));
  }
  return [];
}
