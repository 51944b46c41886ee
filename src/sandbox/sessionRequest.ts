// Reads the body the sandbox accepts on `POST /chatbots/{id}/chat/sessions` (SandboxSessionRequest,
// src/sarufi/sandboxExtensions.ts): strictly, so a misspelt field is a 400 that names it rather
// than a session that quietly starts somewhere else. Sarufi takes no body there.
import { isRecord } from '../flow/botMessages.js';
import type { Variables } from '../flow/template.js';
import { PERSONA_CHANNELS } from '../sarufi/sandboxExtensions.js';
import type { Persona, SandboxSessionRequest, SessionStart } from '../sarufi/sandboxExtensions.js';
import { HttpError } from './httpKit.js';

/** The longest persona field: it goes into headers to backends and into every greeting. */
export const MAX_PERSONA_FIELD_CHARS = 200;

const PERSONA_FIELDS: readonly (keyof Persona)[] = ['contactName', 'userId', 'channel', 'language'];

function bad(message: string): HttpError {
  return new HttpError(400, `Bad session request: ${message}`);
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `field must be what, not …`, or `field is missing; it must be what` when there is no such field. */
function wrong(field: string, what: string, value: unknown, shown = describe(value)): HttpError {
  return bad(value === undefined ? `${field} is missing; it must be ${what}.` : `${field} must be ${what}, not ${shown}.`);
}

function object(value: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isRecord(value)) {
    throw wrong(field, 'a JSON object', value);
  }
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw bad(`${field} has no field "${unknown}"; it takes ${allowed.join(', ')}.`);
  }
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw wrong(field, 'a non-empty text', value, typeof value === 'string' ? 'an empty one' : describe(value));
  }
  return value;
}

function readPersona(value: unknown): Persona {
  const fields = object(value, 'persona', PERSONA_FIELDS);
  const persona: Persona = {};
  for (const name of PERSONA_FIELDS) {
    const item = fields[name];
    if (item === undefined) {
      continue;
    }
    const read = text(item, `persona.${name}`);
    if ([...read].length > MAX_PERSONA_FIELD_CHARS) {
      throw bad(`persona.${name} is longer than ${MAX_PERSONA_FIELD_CHARS} characters.`);
    }
    if (name === 'channel' && !(PERSONA_CHANNELS as readonly string[]).includes(read)) {
      throw bad(`persona.channel must be one of ${PERSONA_CHANNELS.join(', ')}, not "${read}".`);
    }
    persona[name] = read;
  }
  return persona;
}

function readStart(value: unknown): SessionStart {
  const kind = isRecord(value) ? value.kind : undefined;
  if (kind === 'fork') {
    const fields = object(value, 'start', ['kind', 'sessionId', 'turn']);
    const turn = fields.turn;
    if (typeof turn !== 'number' || !Number.isInteger(turn) || turn < 0) {
      throw wrong('start.turn', 'a whole number from 0 (the greeting)', turn, typeof turn === 'number' ? String(turn) : describe(turn));
    }
    return { kind, sessionId: text(fields.sessionId, 'start.sessionId'), turn };
  }
  if (kind === 'state') {
    const fields = object(value, 'start', ['kind', 'state', 'variables']);
    // Left out means none; null is not an object of variables.
    const variables = fields.variables === undefined ? {} : fields.variables;
    if (!isRecord(variables)) {
      throw wrong('start.variables', 'a JSON object of variables', variables);
    }
    return { kind, state: text(fields.state, 'start.state'), variables: variables as Variables };
  }
  if (!isRecord(value)) {
    throw wrong('start', 'a JSON object', value);
  }
  throw wrong('start.kind', '"fork" or "state"', kind, typeof kind === 'string' ? `"${kind}"` : describe(kind));
}

/** The request in a session's body; no body (undefined) is Sarufi's plain request. */
export function readSessionRequest(body: unknown): SandboxSessionRequest {
  if (body === undefined) {
    return {};
  }
  const fields = object(body, 'the body', ['persona', 'start']);
  return {
    ...(fields.persona === undefined ? {} : { persona: readPersona(fields.persona) }),
    ...(fields.start === undefined ? {} : { start: readStart(fields.start) }),
  };
}
