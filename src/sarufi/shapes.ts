// Checks that a 2xx answer has the shape the API documents and turns it into the typed value.
// A wrong shape throws ShapeError (reported as kind 'bad-response'); harmless gaps (a missing
// `total`, the older `items`/`total` shape of conversations) are filled in, not fatal. Fields
// beyond the documented ones are kept, so nothing the service adds is lost.

import { isRecord, normaliseMessages } from '../flow/botMessages.js';
import type {
  Chatbot,
  ChatbotStats,
  ChatbotSummary,
  Conversation,
  ConversationList,
  ConversationMessage,
  ConversationMessageList,
  CreateSessionResponse,
  Flow,
  FlowIssue,
  FlowList,
  FlowSummary,
  MeResponse,
  Page,
  PublishResult,
  SendMessageResponse,
  ValidationResult,
} from './types.js';
import type { GenericMessage } from '../flow/botMessages.js';

/** The answer's shape is wrong; the message says where, in plain words. */
export class ShapeError extends Error {}

type Fields = Record<string, unknown>;


/** A field's name for messages: `items[2].id`, or just `session_id` at the top level. */
function at(where: string, name: string): string {
  return where === '' ? name : `${where}.${name}`;
}

function record(value: unknown, where: string): Fields {
  if (!isRecord(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
    throw new ShapeError(`${where === '' ? 'the answer' : where} should be an object but is ${got}`);
  }
  return value;
}

function text(fields: Fields, name: string, where: string): string {
  const value = fields[name];
  if (typeof value !== 'string') {
    throw new ShapeError(`${at(where, name)} ${value === undefined ? 'is missing' : 'should be text'}`);
  }
  return value;
}

function list(fields: Fields, name: string, where: string): unknown[] {
  const value = fields[name];
  if (!Array.isArray(value)) {
    throw new ShapeError(`${at(where, name)} ${value === undefined ? 'is missing' : 'should be a list'}`);
  }
  return value;
}

function countOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A cursor: a non-empty string, or null for "no more pages". */
function cursor(fields: Fields, where: string): string | null {
  const value = fields.next_cursor;
  if (value === undefined || value === null || value === '') {
    return null;
  }
  if (typeof value !== 'string') {
    throw new ShapeError(`${at(where, 'next_cursor')} should be text or null`);
  }
  return value;
}

function messages(fields: Fields, where: string): GenericMessage[] {
  const read = normaliseMessages(fields.messages);
  if (read === undefined) {
    throw new ShapeError(`${at(where, 'messages')} ${fields.messages === undefined ? 'is missing' : 'should be a list'}`);
  }
  return read;
}

/** An object with a text `id` (and, when `named`, a text `name`), kept whole. */
function identified<T>(value: unknown, where: string, named = false): T {
  const fields = record(value, where);
  text(fields, 'id', where);
  if (named) {
    text(fields, 'name', where);
  }
  return { ...fields } as T;
}

export function readMe(json: unknown): MeResponse {
  const fields = record(json, '');
  const workspace = identified<MeResponse['workspace']>(fields.workspace, 'workspace', true);
  // api_key only describes the key; a reply without it still proves the key works.
  const apiKey =
    fields.api_key === undefined || fields.api_key === null
      ? { key: '', created_at: '', last_used_at: null }
      : (record(fields.api_key, 'api_key') as MeResponse['api_key']);
  return { ...fields, workspace, api_key: apiKey };
}

function readPage<T>(json: unknown, readItem: (value: unknown, where: string) => T): Page<T> {
  const fields = record(json, '');
  const items = list(fields, 'items', '').map((item, index) => readItem(item, `items[${index}]`));
  return { ...fields, items, next_cursor: cursor(fields, ''), total: countOr(fields.total, items.length) };
}

export function readChatbotPage(json: unknown): Page<ChatbotSummary> {
  return readPage(json, (item, where) => identified<ChatbotSummary>(item, where, true));
}

export function readChatbot(json: unknown): Chatbot {
  return identified<Chatbot>(json, '', true);
}

export function readChatbotStats(json: unknown): ChatbotStats {
  const bot = identified<ChatbotStats>(json, '', true);
  record(bot.stats, 'stats');
  return bot;
}

export function readCreateSession(json: unknown): CreateSessionResponse {
  const fields = record(json, '');
  return {
    ...fields,
    session_id: text(fields, 'session_id', ''),
    channel: typeof fields.channel === 'string' ? fields.channel : 'api',
    created_at: typeof fields.created_at === 'string' ? fields.created_at : '',
    messages: messages(fields, ''),
  };
}

export function readSendMessage(json: unknown): SendMessageResponse {
  const fields = record(json, '');
  const read = messages(fields, '');
  const state = fields.current_state;
  if (state !== undefined && state !== null && typeof state !== 'string') {
    throw new ShapeError('current_state should be text or null');
  }
  return {
    ...fields,
    session_id: text(fields, 'session_id', ''),
    messages: read,
    messages_count: countOr(fields.messages_count, read.length),
    current_state: state ?? null,
    timestamp: typeof fields.timestamp === 'string' ? fields.timestamp : '',
  };
}

export function readFlowList(json: unknown): FlowList {
  const fields = record(json, '');
  const items = list(fields, 'items', '').map((item, index) => identified<FlowSummary>(item, `items[${index}]`));
  return { ...fields, items, total: countOr(fields.total, items.length) };
}

export function readFlow(json: unknown): Flow {
  return identified<Flow>(json, '');
}

function readIssues(fields: Fields, name: string): FlowIssue[] {
  const value = fields[name];
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new ShapeError(`${name} should be a list`);
  }
  return value.map((item, index) => {
    const where = `${name}[${index}]`;
    const issue = record(item, where);
    return { ...issue, path: typeof issue.path === 'string' ? issue.path : '', message: text(issue, 'message', where) };
  });
}

export function readValidation(json: unknown): ValidationResult {
  const fields = record(json, '');
  if (typeof fields.valid !== 'boolean') {
    throw new ShapeError(`valid ${fields.valid === undefined ? 'is missing' : 'should be true or false'}`);
  }
  return { ...fields, valid: fields.valid, errors: readIssues(fields, 'errors'), warnings: readIssues(fields, 'warnings') };
}

export function readPublish(json: unknown): PublishResult {
  return identified<PublishResult>(json, '');
}

export function readConversation(json: unknown, where = ''): Conversation {
  return identified<Conversation>(json, where);
}

/** Both shapes: `{count, conversations, next_cursor}` and the older `{items, total}`. */
export function readConversationList(json: unknown): ConversationList {
  const fields = record(json, '');
  const key = Array.isArray(fields.conversations) || !Array.isArray(fields.items) ? 'conversations' : 'items';
  const conversations = list(fields, key, '').map((item, index) => readConversation(item, `${key}[${index}]`));
  return {
    ...fields,
    count: countOr(fields.count, countOr(fields.total, conversations.length)),
    conversations,
    next_cursor: cursor(fields, ''),
  };
}

/** Both shapes: `{count, messages, next_cursor}` and the older `{items, total}`. */
export function readConversationMessages(json: unknown): ConversationMessageList {
  const fields = record(json, '');
  const key = Array.isArray(fields.messages) || !Array.isArray(fields.items) ? 'messages' : 'items';
  const read = list(fields, key, '').map((item, index) => identified<ConversationMessage>(item, `${key}[${index}]`));
  return {
    ...fields,
    count: countOr(fields.count, countOr(fields.total, read.length)),
    messages: read,
    next_cursor: cursor(fields, ''),
  };
}
