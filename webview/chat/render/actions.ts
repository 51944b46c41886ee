// What a rendered bot message may do. Renderers never post to the host themselves, so a read-only
// transcript and the tests can give them different behaviour.
import type { UserInput } from '../../../src/chat/transcript';

export interface MessageActions {
  /** False in a transcript reopened from history: buttons show but send nothing. */
  readonly interactive: boolean;
  send(input: UserInput): void;
  openLink(url: string): void;
}

/** The class of every button a bot message shows, so that a newer turn can mark them as earlier. */
export const BOT_ACTION_CLASS = 'bot-action';
