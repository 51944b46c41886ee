// A chat panel's tab title, from what the panel is: a chat, a flow's preview, a chat from a state,
// a fork, or a transcript read again. Several panels on one chatbot are told apart by it.
import type { Persona } from '../sarufi/sandboxExtensions.js';
import type { PanelOrigin, Transcript } from './transcript.js';

export function panelTitle(transcript: Pick<Transcript, 'session' | 'readOnly' | 'origin'>): string {
  const { chatbotName, createdAt, persona } = transcript.session;
  const name = chatbotName || 'Chatbot';
  if (transcript.readOnly) {
    const date = createdAt ? ` · ${localDateTime(createdAt)}` : '';
    return `${name}${date} (read-only)`;
  }
  const origin = transcript.origin ?? { kind: 'chat' };
  const base =
    origin.kind === 'preview'
      ? `Preview: ${name}`
      : origin.kind === 'fromState'
        ? `${name} from ${origin.state}`
        : origin.kind === 'fork'
          ? `${name} (fork of ${origin.turn === 0 ? 'the greeting' : `turn ${origin.turn}`})`
          : name;
  const who = persona ? (persona.contactName ?? persona.userId) : undefined;
  return who ? `${base} as ${who}` : base;
}

/**
 * A new session of the panel starts at the flow's start: it is no longer a fork or a chat from a
 * state (a preview stays a preview).
 */
export function originAfterRestart(origin: PanelOrigin | undefined): PanelOrigin | undefined {
  return origin?.kind === 'fork' || origin?.kind === 'fromState' ? { kind: 'chat' } : origin;
}

/** A persona in a few words: its name, user id, channel and language, those it has. */
export function personaLabel(persona: Persona): string {
  return [persona.contactName, persona.userId, persona.channel, persona.language].filter((part) => part !== undefined).join(', ');
}

/** `2026-12-06 10:42` in the author's time zone: short, and sorted as it reads. */
function localDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
