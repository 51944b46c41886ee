// Cursor pagination with FastAPI-style checks on `limit` and `cursor`.
import { unprocessable } from './httpKit.js';

export interface PageRequest {
  offset: number;
  limit: number;
}

export interface PageSlice<T> {
  items: T[];
  nextCursor: string | null;
}

const CURSOR_PREFIX = 'sbx1:';

/** Opaque to clients; inside, the offset of the next item. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) {
    return null;
  }
  const offset = Number(text.slice(CURSOR_PREFIX.length));
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : null;
}

export function readPageRequest(query: URLSearchParams, defaultLimit: number, maxLimit: number): PageRequest {
  let limit = defaultLimit;
  const rawLimit = query.get('limit');
  if (rawLimit !== null) {
    if (!/^\s*[+-]?\d+\s*$/.test(rawLimit)) {
      throw unprocessable([
        { type: 'int_parsing', loc: ['query', 'limit'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: rawLimit },
      ]);
    }
    limit = Number(rawLimit);
    if (limit < 1) {
      throw unprocessable([
        { type: 'greater_than_equal', loc: ['query', 'limit'], msg: 'Input should be greater than or equal to 1', input: rawLimit, ctx: { ge: 1 } },
      ]);
    }
    if (limit > maxLimit) {
      throw unprocessable([
        {
          type: 'less_than_equal',
          loc: ['query', 'limit'],
          msg: `Input should be less than or equal to ${maxLimit}`,
          input: rawLimit,
          ctx: { le: maxLimit },
        },
      ]);
    }
  }
  const cursor = query.get('cursor');
  let offset = 0;
  if (cursor !== null && cursor !== '') {
    const decoded = decodeCursor(cursor);
    if (decoded === null) {
      throw unprocessable([{ type: 'value_error', loc: ['query', 'cursor'], msg: 'Value error, invalid cursor', input: cursor }]);
    }
    offset = decoded;
  }
  return { offset, limit };
}

export function pageOf<T>(items: readonly T[], request: PageRequest): PageSlice<T> {
  const end = request.offset + request.limit;
  return {
    items: items.slice(request.offset, end),
    nextCursor: end < items.length ? encodeCursor(end) : null,
  };
}
