// Which transition a user's input takes: button id, then keyword, then regex, then default.
import type { Button } from '../sarufi/types.js';
import type { TransitionsModel } from './flowTypes.js';

export type InputTrigger = 'button' | 'keyword' | 'regex' | 'default';

export interface TransitionMatch {
  to: string;
  trigger: InputTrigger;
  /** The button id, keyword key or regex key that matched. */
  key?: string;
}

/**
 * The id a user picked: the `button_id` of a click, or the button or row whose title the user
 * typed (case-insensitive), since Sarufi's clients send a click's title as the message too.
 */
export function clickedChoice(offered: Button[], message: string, buttonId: string | null | undefined): string | null {
  if (buttonId) {
    return buttonId;
  }
  const typed = message.trim().toLowerCase();
  return offered.find((choice) => choice.title.trim().toLowerCase() === typed)?.id ?? null;
}

export function matchTransition(
  transitions: TransitionsModel,
  message: string,
  clickedId: string | null,
): TransitionMatch | null {
  if (clickedId !== null) {
    const button = transitions.buttons.find((rule) => rule.id === clickedId);
    if (button) {
      return { to: button.target, trigger: 'button', key: button.id };
    }
  }
  const text = message.trim();
  const keyword = transitions.keywords.find((rule) => rule.pattern.test(text));
  if (keyword) {
    return { to: keyword.target, trigger: 'keyword', key: keyword.key };
  }
  const regex = transitions.regex.find((rule) => rule.pattern.test(text));
  if (regex) {
    return { to: regex.target, trigger: 'regex', key: regex.key };
  }
  if (transitions.default !== null) {
    return { to: transitions.default, trigger: 'default' };
  }
  return null;
}
