// The record of one HTTP request and its answer, as the developer sees it in the chat panel's
// "raw JSON" view and in exported transcripts. Built only from redacted data.

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Exchange {
  method: HttpMethod;
  /** The full URL, query included. */
  url: string;
  /** Lower-case names; `authorization` always reads `Bearer •••`. */
  requestHeaders: Record<string, string>;
  /** The JSON body as sent, or undefined when nothing was sent. */
  requestBody: unknown;
  /** The HTTP status, or null when no answer arrived (network failure, timeout, cancel). */
  status: number | null;
  /** Lower-case names. */
  responseHeaders: Record<string, string>;
  /** The body exactly as received (minus the key, should the server echo it); '' when none. */
  responseText: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  responseJson: unknown;
  /** When the request left, ISO 8601. */
  startedAt: string;
  durationMs: number;
  /** 1 for the first try; higher when a 429 made the client try again. */
  attempt: number;
  /** Why no answer arrived, in plain words (only when status is null). */
  error?: string;
}

/** A typed result together with the exchange that produced it. */
export interface Result<T> {
  data: T;
  exchange: Exchange;
}

/** Parses a body as JSON; undefined when it is empty or not JSON. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
