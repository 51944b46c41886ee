// Pull, push and open-and-save of flows on a Sarufi server: the text a flow is edited as, and
// whether the server's copy changed since the author last read it (so nothing is overwritten
// unseen).
import { createHash } from 'node:crypto';
import type { Flow } from '../sarufi/types.js';

/** What the author last saw of a remote flow: compared with the server's before writing. */
export interface RemoteBase {
  chatbotId: string;
  flowId: string;
  updatedAt: string | null;
  hash: string;
}

/** The file text of a flow definition: two-space JSON with a final newline, as the examples are. */
export function flowText(definition: unknown): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}

/** A hash of a definition's meaning: key order and whitespace do not count. */
export function definitionHash(definition: unknown): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function baseOf(flow: Flow): RemoteBase {
  return { chatbotId: flow.chatbot_id, flowId: flow.id, updatedAt: flow.updated_at ?? null, hash: definitionHash(flow.flow) };
}

/**
 * True when the server's flow is not the one the author read. `updated_at` decides when both
 * sides have it (an edit that restores the same content still counts: someone else wrote it);
 * the content hash decides otherwise.
 */
export function remoteChangedSince(base: RemoteBase, remote: Flow): boolean {
  if (base.updatedAt !== null && remote.updated_at !== undefined) {
    return base.updatedAt !== remote.updated_at;
  }
  return base.hash !== definitionHash(remote.flow);
}

/** Parses the text the author wants to send; a clear message instead of a JSON.parse trace. */
export function parseFlowText(text: string): { ok: true; definition: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { ok: false, message: `The flow is not valid JSON (${(error as Error).message}); fix it before sending it to Sarufi.` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'A flow must be a JSON object: a map of states, or {"states": {...}}.' };
  }
  return { ok: true, definition: value as Record<string, unknown> };
}

/** The file name a pulled flow gets: its name, made safe for every file system. */
export function flowFileName(name: string): string {
  const safe = name.trim().replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '');
  return `${safe || 'flow'}.flow.json`;
}
