// Reading a state's `message` (a string, one GenericMessage or a list) and rendering it.
import type { Button, KnownMessage, KnownMessageType, ListRow, ListSection } from '../sarufi/types.js';
import { childPath, isPlainObject } from './flowPaths.js';
import type { IssueCollector } from './flowPaths.js';
import type { PlacedMessage } from './flowTypes.js';
import { hasPlaceholder, renderTextDeep } from './template.js';
import type { Variables } from './template.js';

/** The fields each message type may have (the schema lists the same ones). */
export const MESSAGE_FIELDS: Record<KnownMessageType, readonly string[]> = {
  text: ['type', 'text'],
  buttons: ['type', 'text', 'buttons'],
  list: ['type', 'text', 'button_text', 'sections'],
  image: ['type', 'media_url', 'media_caption'],
  document: ['type', 'media_url', 'media_filename', 'media_caption'],
  video: ['type', 'media_url', 'media_caption'],
  audio: ['type', 'media_url'],
};

export const MESSAGE_TYPES = Object.keys(MESSAGE_FIELDS) as KnownMessageType[];

function isMessageType(value: unknown): value is KnownMessageType {
  return typeof value === 'string' && Object.hasOwn(MESSAGE_FIELDS, value);
}

class FieldReader {
  constructor(
    private readonly object: Record<string, unknown>,
    private readonly path: string,
    private readonly issues: IssueCollector,
  ) {}

  text(field: string, required: boolean): string | undefined {
    const value = this.object[field];
    if (value === undefined && !required) {
      return undefined;
    }
    if (typeof value !== 'string' || (required && value.trim() === '')) {
      this.issues.error(childPath(this.path, field), `'${field}' must be a non-empty string.`);
      return undefined;
    }
    return value;
  }

  list(field: string): unknown[] | undefined {
    const value = this.object[field];
    if (!Array.isArray(value) || value.length === 0) {
      this.issues.error(childPath(this.path, field), `'${field}' must be a non-empty list.`);
      return undefined;
    }
    return value;
  }

  unknownFields(known: readonly string[]): void {
    for (const key of Object.keys(this.object)) {
      if (!known.includes(key)) {
        this.issues.warn(childPath(this.path, key), `Unknown field '${key}' is ignored.`);
      }
    }
  }
}

function readMediaUrl(fields: FieldReader, path: string, issues: IssueCollector): string | undefined {
  const url = fields.text('media_url', true);
  if (url !== undefined && !hasPlaceholder(url) && !/^https?:\/\/\S+$/i.test(url)) {
    issues.error(childPath(path, 'media_url'), `'media_url' must be an http(s) URL.`);
    return undefined;
  }
  return url;
}

function readButtons(values: unknown[], path: string, issues: IssueCollector): Button[] | undefined {
  const buttons: Button[] = [];
  values.forEach((value, index) => {
    const buttonPath = childPath(path, index);
    if (!isPlainObject(value)) {
      issues.error(buttonPath, 'A button must be an object {"id", "title"}.');
      return;
    }
    const fields = new FieldReader(value, buttonPath, issues);
    const id = fields.text('id', true);
    const title = fields.text('title', true);
    fields.unknownFields(['id', 'title']);
    if (id !== undefined && title !== undefined) {
      buttons.push({ id, title });
    }
  });
  return buttons.length === values.length ? buttons : undefined;
}

function readSections(values: unknown[], path: string, issues: IssueCollector): ListSection[] | undefined {
  const sections: ListSection[] = [];
  values.forEach((value, sectionIndex) => {
    const sectionPath = childPath(path, sectionIndex);
    if (!isPlainObject(value)) {
      issues.error(sectionPath, 'A list section must be an object {"title", "rows"}.');
      return;
    }
    const fields = new FieldReader(value, sectionPath, issues);
    const title = fields.text('title', true);
    const rowValues = fields.list('rows');
    fields.unknownFields(['title', 'rows']);
    const rows: ListRow[] = [];
    rowValues?.forEach((rowValue, rowIndex) => {
      const rowPath = childPath(childPath(sectionPath, 'rows'), rowIndex);
      if (!isPlainObject(rowValue)) {
        issues.error(rowPath, 'A list row must be an object {"id", "title", "description"?}.');
        return;
      }
      const rowFields = new FieldReader(rowValue, rowPath, issues);
      const id = rowFields.text('id', true);
      const rowTitle = rowFields.text('title', true);
      const description = rowFields.text('description', false);
      rowFields.unknownFields(['id', 'title', 'description']);
      if (id !== undefined && rowTitle !== undefined) {
        rows.push(description === undefined ? { id, title: rowTitle } : { id, title: rowTitle, description });
      }
    });
    if (title !== undefined && rowValues !== undefined && rows.length === rowValues.length) {
      sections.push({ title, rows });
    }
  });
  return sections.length === values.length ? sections : undefined;
}

function readOne(value: unknown, path: string, issues: IssueCollector): KnownMessage | null {
  if (typeof value === 'string') {
    return { type: 'text', text: value };
  }
  if (!isPlainObject(value)) {
    issues.error(path, 'A message must be a string or an object with a "type".');
    return null;
  }
  if (!isMessageType(value.type)) {
    issues.error(
      childPath(path, 'type'),
      `Unknown message type ${JSON.stringify(value.type)}; known: ${MESSAGE_TYPES.join(', ')}.`,
    );
    return null;
  }
  const fields = new FieldReader(value, path, issues);
  fields.unknownFields(MESSAGE_FIELDS[value.type]);
  const before = issues.errors.length;
  let message: KnownMessage | null = null;
  switch (value.type) {
    case 'text': {
      const text = fields.text('text', true);
      message = text === undefined ? null : { type: 'text', text };
      break;
    }
    case 'buttons': {
      const text = fields.text('text', true);
      const values = fields.list('buttons');
      const buttons = values && readButtons(values, childPath(path, 'buttons'), issues);
      message = text === undefined || !buttons ? null : { type: 'buttons', text, buttons };
      break;
    }
    case 'list': {
      const text = fields.text('text', true);
      const buttonText = fields.text('button_text', true);
      const values = fields.list('sections');
      const sections = values && readSections(values, childPath(path, 'sections'), issues);
      message =
        text === undefined || buttonText === undefined || !sections
          ? null
          : { type: 'list', text, button_text: buttonText, sections };
      break;
    }
    case 'image':
    case 'video': {
      const mediaUrl = readMediaUrl(fields, path, issues);
      const caption = fields.text('media_caption', false);
      message = mediaUrl === undefined ? null : { type: value.type, media_url: mediaUrl, ...(caption === undefined ? {} : { media_caption: caption }) };
      break;
    }
    case 'document': {
      const mediaUrl = readMediaUrl(fields, path, issues);
      const filename = fields.text('media_filename', false);
      const caption = fields.text('media_caption', false);
      message =
        mediaUrl === undefined
          ? null
          : {
              type: 'document',
              media_url: mediaUrl,
              ...(filename === undefined ? {} : { media_filename: filename }),
              ...(caption === undefined ? {} : { media_caption: caption }),
            };
      break;
    }
    case 'audio': {
      const mediaUrl = readMediaUrl(fields, path, issues);
      message = mediaUrl === undefined ? null : { type: 'audio', media_url: mediaUrl };
      break;
    }
  }
  return issues.errors.length === before ? message : null;
}

/** A state's or SEND_MESSAGE's `message`: a string, one message object, or a list of either. */
export function readMessages(value: unknown, path: string, issues: IssueCollector): PlacedMessage[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => {
      const itemPath = childPath(path, index);
      const message = readOne(item, itemPath, issues);
      return message ? [{ message, path: itemPath }] : [];
    });
  }
  const message = readOne(value, path, issues);
  return message ? [{ message, path }] : [];
}

export function renderMessage(message: KnownMessage, variables: Variables): KnownMessage {
  return renderTextDeep(message, variables) as KnownMessage;
}

/** The buttons and list rows a message offers, which a click's `button_id` can name. */
export function choicesOf(message: KnownMessage): Button[] {
  if (message.type === 'buttons') {
    return message.buttons;
  }
  if (message.type === 'list') {
    return message.sections.flatMap((section) => section.rows.map(({ id, title }) => ({ id, title })));
  }
  return [];
}
