// Reads bot messages (GenericMessage) defensively. Bots send what their flows say, and the docs
// warn that unknown types and missing fields happen: anything not readable as a known message is
// kept whole as `{type: 'unknown', reason, raw}` so it can be shown as JSON instead of crashing a
// renderer. Pure code with no Node or DOM imports: the webview and the sandbox reuse it.

import type { Button, GenericMessage, KnownMessage, KnownMessageType, ListRow, ListSection } from './types.js';

// A Record, so that a new message type in types.ts is a compile error here until it is listed.
const KNOWN_TYPES: Record<KnownMessageType, true> = {
  text: true,
  buttons: true,
  list: true,
  image: true,
  document: true,
  video: true,
  audio: true,
};

type Fields = Record<string, unknown>;

/** Thrown inside the readers below; becomes the `reason` of an unknown message. */
class Unreadable extends Error {}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isRecord(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function requiredString(fields: Fields, name: string, where: string): string {
  const value = fields[name];
  if (typeof value !== 'string') {
    throw new Unreadable(
      value === undefined ? `${where}${name} is missing` : `${where}${name} should be text but is ${describe(value)}`,
    );
  }
  return value;
}

/** Optional text: absent and null both mean "not given" (servers often send null). */
function optionalString(fields: Fields, name: string, where: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new Unreadable(`${where}${name} should be text but is ${describe(value)}`);
  }
  return value;
}

function requiredArray(fields: Fields, name: string, where: string): unknown[] {
  const value = fields[name];
  if (!Array.isArray(value)) {
    throw new Unreadable(
      value === undefined ? `${where}${name} is missing` : `${where}${name} should be a list but is ${describe(value)}`,
    );
  }
  return value;
}

function requiredRecord(value: unknown, where: string): Fields {
  if (!isRecord(value)) {
    throw new Unreadable(`${where} should be an object but is ${describe(value)}`);
  }
  return value;
}

function readButton(value: unknown, index: number): Button {
  const where = `buttons[${index}]`;
  const fields = requiredRecord(value, where);
  return { id: requiredString(fields, 'id', `${where}.`), title: requiredString(fields, 'title', `${where}.`) };
}

function readRow(value: unknown, where: string): ListRow {
  const fields = requiredRecord(value, where);
  const row: ListRow = { id: requiredString(fields, 'id', `${where}.`), title: requiredString(fields, 'title', `${where}.`) };
  const description = optionalString(fields, 'description', `${where}.`);
  if (description !== undefined) {
    row.description = description;
  }
  return row;
}

function readSection(value: unknown, index: number): ListSection {
  const where = `sections[${index}]`;
  const fields = requiredRecord(value, where);
  const rows = requiredArray(fields, 'rows', `${where}.`).map((row, rowIndex) => readRow(row, `${where}.rows[${rowIndex}]`));
  return { title: requiredString(fields, 'title', `${where}.`), rows };
}

/** Copies the optional text fields that are present, so absent ones stay absent (not undefined). */
function withOptional<T extends KnownMessage>(message: T, fields: Fields, names: readonly string[]): T {
  const out: Record<string, unknown> = { ...message };
  for (const name of names) {
    const value = optionalString(fields, name, '');
    if (value !== undefined) {
      out[name] = value;
    }
  }
  return out as T;
}

function readKnown(type: KnownMessageType, fields: Fields): KnownMessage {
  switch (type) {
    case 'text':
      return { type, text: requiredString(fields, 'text', '') };
    case 'buttons':
      return {
        type,
        text: requiredString(fields, 'text', ''),
        buttons: requiredArray(fields, 'buttons', '').map(readButton),
      };
    case 'list':
      return {
        type,
        text: requiredString(fields, 'text', ''),
        button_text: requiredString(fields, 'button_text', ''),
        sections: requiredArray(fields, 'sections', '').map(readSection),
      };
    case 'image':
      return withOptional({ type, media_url: requiredString(fields, 'media_url', '') }, fields, ['media_caption']);
    case 'document':
      return withOptional({ type, media_url: requiredString(fields, 'media_url', '') }, fields, [
        'media_filename',
        'media_caption',
      ]);
    case 'video':
      return withOptional({ type, media_url: requiredString(fields, 'media_url', '') }, fields, ['media_caption']);
    case 'audio':
      return { type, media_url: requiredString(fields, 'media_url', '') };
  }
}

export function isKnownType(value: unknown): value is KnownMessageType {
  return typeof value === 'string' && Object.hasOwn(KNOWN_TYPES, value);
}

/**
 * One message as a KnownMessage when it has a known type and every required field with the
 * right type; otherwise `{type: 'unknown', reason, raw}` with the raw value untouched. Known
 * messages are fresh objects holding only the documented fields, so renderers never meet
 * surprises; the untouched original stays in the exchange record.
 */
export function normaliseMessage(raw: unknown): GenericMessage {
  if (!isRecord(raw)) {
    return { type: 'unknown', reason: `a message should be an object but this is ${describe(raw)}`, raw };
  }
  const type = raw.type;
  if (type === undefined) {
    return { type: 'unknown', reason: 'the message has no type', raw };
  }
  if (!isKnownType(type)) {
    const shown = typeof type === 'string' ? `"${type}"` : describe(type);
    return { type: 'unknown', reason: `message type ${shown} is not one this extension knows`, raw };
  }
  try {
    return readKnown(type, raw);
  } catch (error) {
    if (error instanceof Unreadable) {
      return { type: 'unknown', reason: `a "${type}" message whose ${error.message}`, raw };
    }
    throw error;
  }
}

/**
 * A whole message array. Anything that is not an array yields undefined, so that the caller
 * decides whether a missing list is an error (the client's shape checks do).
 */
export function normaliseMessages(raw: unknown): GenericMessage[] | undefined {
  return Array.isArray(raw) ? raw.map(normaliseMessage) : undefined;
}
