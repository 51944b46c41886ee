// Small HTTP pieces shared by the sandbox's routes: errors in Sarufi's `{"detail": …}` shape,
// FastAPI-style 422 lists, and JSON bodies.
import type { IncomingMessage } from 'node:http';
import { MAX_JSON_DEPTH, offsetBeyondDepth } from '../flow/jsonDepth.js';
import type { ErrorBody } from '../sarufi/types.js';

export const BASE_PATH = '/api/dev/v1';
export const MAX_BODY_BYTES = 1024 * 1024;

export interface FastApiIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: ErrorBody['detail'],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : detail.map((issue) => issue.msg).join('; '));
  }
}

export function unprocessable(issues: FastApiIssue[]): HttpError {
  return new HttpError(422, issues);
}

export function notFound(what: string): HttpError {
  return new HttpError(404, `${what} not found.`);
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function tooLarge(): HttpError {
  return new HttpError(413, `Request body too large: the sandbox accepts at most ${MAX_BODY_BYTES} bytes.`);
}

export async function readBodyText(request: IncomingMessage): Promise<string> {
  // A declared length says it at once, before a single byte is buffered.
  if (Number(request.headers['content-length'] ?? '0') > MAX_BODY_BYTES) {
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Like FastAPI: a missing or non-JSON body is a 422 with a list detail. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') {
    throw unprocessable([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
  }
  if (offsetBeyondDepth(text) !== -1) {
    throw unprocessable([
      { type: 'json_invalid', loc: ['body', 0], msg: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, input: {}, ctx: { max_depth: MAX_JSON_DEPTH } },
    ]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw unprocessable([
      { type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: (error as Error).message } },
    ]);
  }
}

/** The body must be a JSON object (FastAPI's model_attributes_type otherwise). */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw unprocessable([
      { type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body },
    ]);
  }
  return body as Record<string, unknown>;
}

/** Field checks that collect FastAPI-style issues, so one 422 reports every bad field. */
export class BodyChecker {
  readonly issues: FastApiIssue[] = [];

  constructor(private readonly body: Record<string, unknown>) {}

  string(field: string, options: { required?: boolean; nullable?: boolean; maxLength?: number; minLength?: number } = {}): string | null | undefined {
    const value = this.body[field];
    if (value === undefined) {
      if (options.required) {
        this.issues.push({ type: 'missing', loc: ['body', field], msg: 'Field required', input: this.body });
      }
      return undefined;
    }
    if (value === null && options.nullable) {
      return null;
    }
    if (typeof value !== 'string') {
      this.issues.push({ type: 'string_type', loc: ['body', field], msg: 'Input should be a valid string', input: value });
      return undefined;
    }
    // Python counts code points, not UTF-16 units: an emoji is one character.
    const length = [...value].length;
    if (options.maxLength !== undefined && length > options.maxLength) {
      this.issues.push({
        type: 'string_too_long',
        loc: ['body', field],
        msg: `String should have at most ${options.maxLength} characters`,
        input: value.length > 100 ? `${value.slice(0, 100)}…` : value,
        ctx: { max_length: options.maxLength },
      });
      return undefined;
    }
    if (options.minLength !== undefined && length < options.minLength) {
      this.issues.push({
        type: 'string_too_short',
        loc: ['body', field],
        msg: `String should have at least ${options.minLength} character${options.minLength === 1 ? '' : 's'}`,
        input: value,
        ctx: { min_length: options.minLength },
      });
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], options: { required?: boolean } = {}): T | undefined {
    const value = this.body[field];
    if (value === undefined) {
      if (options.required) {
        this.issues.push({ type: 'missing', loc: ['body', field], msg: 'Field required', input: this.body });
      }
      return undefined;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.issues.push({
        type: 'enum',
        loc: ['body', field],
        msg: `Input should be ${allowed.map((option) => `'${option}'`).join(' or ')}`,
        input: value,
        ctx: { expected: allowed.map((option) => `'${option}'`).join(' or ') },
      });
      return undefined;
    }
    return value as T;
  }

  object(field: string): Record<string, unknown> | undefined {
    const value = this.body[field];
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.issues.push({ type: 'dict_type', loc: ['body', field], msg: 'Input should be a valid dictionary', input: value });
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  /** Throws the 422 when any field was bad. */
  done(): void {
    if (this.issues.length > 0) {
      throw unprocessable(this.issues);
    }
  }
}
