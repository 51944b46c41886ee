// "Save as test": turns the last session of a chat transcript into a conversation test whose
// expectations are the replies the author saw. Pure Node: the chat panel calls it.
import { Document } from 'yaml';
import type { Transcript, TurnEntry } from '../chat/transcript.js';
import type { GenericMessage } from '../flow/botMessages.js';
import { seenOf } from './expectations.js';
import { PERSONA_KEYS } from './format.js';
import type { TestEnvironment } from './format.js';
import type { Persona } from '../sarufi/sandboxExtensions.js';

export type SavedTarget = { flow: string } | { chatbot: string; environment: TestEnvironment };

type MessageYaml = string | Record<string, string | string[]>;

/** A message as a test expects it: its text, or its type with its text, button or row ids, media. */
export function messageYaml(message: GenericMessage): MessageYaml {
  const seen = seenOf(message);
  if (seen.type === 'text' && seen.text !== undefined) {
    return seen.text;
  }
  const out: Record<string, string | string[]> = { type: seen.type };
  if (seen.text !== undefined) {
    out.text = seen.text;
  }
  if (seen.buttons) {
    out.buttons = seen.buttons;
  }
  if (seen.rows) {
    out.rows = seen.rows;
  }
  if (seen.media_url !== undefined) {
    out.media_url = seen.media_url;
  }
  return out;
}

function titleOf(messages: GenericMessage[], id: string): string | undefined {
  for (const message of messages) {
    if (message.type === 'buttons') {
      const button = message.buttons.find((candidate) => candidate.id === id);
      if (button) {
        return button.title;
      }
    }
    if (message.type === 'list') {
      const row = message.sections.flatMap((section) => section.rows).find((candidate) => candidate.id === id);
      if (row) {
        return row.title;
      }
    }
  }
  return undefined;
}

/** The turns of the transcript's last session, greeting first. */
export function lastSessionTurns(transcript: Transcript): TurnEntry[] {
  const turns = transcript.entries.filter((entry): entry is TurnEntry => entry.kind === 'turn');
  const last = turns[turns.length - 1];
  return last ? turns.filter((turn) => turn.sessionId === last.sessionId) : [];
}

export function transcriptToTestYaml(transcript: Transcript, target: SavedTarget, name?: string): string {
  const turns = lastSessionTurns(transcript);
  const greeting = turns.find((turn) => turn.user === undefined);
  if (!greeting) {
    throw new Error('This chat has no session greeting to start a test from. Start a session first.');
  }
  let previous = greeting.messages;
  const steps: Record<string, unknown>[] = [];
  for (const turn of turns) {
    if (turn.user === undefined) {
      continue;
    }
    const step: Record<string, unknown> = {};
    if (turn.user.buttonId !== undefined) {
      step.button = turn.user.buttonId;
      // The runner sends the shown title by default; keep the text only when it was different.
      if (titleOf(previous, turn.user.buttonId) !== turn.user.text) {
        step.text = turn.user.text;
      }
    } else {
      step.send = turn.user.text;
    }
    step.expect = {
      ...(turn.currentState === null ? {} : { state: turn.currentState }),
      messages: turn.messages.map(messageYaml),
    };
    steps.push(step);
    previous = turn.messages;
  }
  const doc = new Document({
    name: name ?? `${transcript.session.chatbotName} conversation`,
    target,
    ...personaYaml(transcript.session.persona),
    greeting: { messages: greeting.messages.map(messageYaml) },
    steps,
  });
  doc.commentBefore =
    ` Saved from a chat with ${transcript.session.chatbotName} (${transcript.session.environment}).` +
    '\n The expectations are the replies seen then; loosen them with contains/regex where a text may change.';
  return doc.toString({ lineWidth: 0 });
}

/** The chat's persona as a test file spells it (`persona:`), so a replay talks as the same user. */
function personaYaml(persona: Persona | undefined): { persona?: Record<string, string> } {
  const spelled = Object.entries(PERSONA_KEYS).flatMap(([key, field]) => {
    const value = persona?.[field];
    return value === undefined ? [] : [[key, value] as const];
  });
  return spelled.length === 0 ? {} : { persona: Object.fromEntries(spelled) };
}
