// Which transition a user's input takes: button id, then keyword, then regex, then intent, then default.
import type { Button } from './botMessages.js';
import type { TransitionsModel } from './flowTypes.js';
import { bestIntent, intentScore } from './intentMatching.js';

export type InputTrigger = 'button' | 'keyword' | 'regex' | 'intent' | 'default';

export interface TransitionMatch {
  to: string;
  trigger: InputTrigger;
  /** The button id, keyword key, regex key or intent name that matched. */
  key?: string;
  /** For a keyword or regex: the pattern that matched (its RegExp source). */
  pattern?: string;
  /** For an intent: how similar the message was to its closest example (intentMatching.ts). */
  score?: number;
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

/** Tests a flow's regex trigger: in this thread in the engine (a turn worker, under the turn budget), by lookup elsewhere. */
export type RegexTest = (pattern: RegExp, text: string) => boolean;

const testHere: RegexTest = (pattern, text) => pattern.test(text);

export function matchTransition(
  transitions: TransitionsModel,
  message: string,
  clickedId: string | null,
  intents: ReadonlyMap<string, readonly string[]>,
  testRegex: RegexTest = testHere,
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
    return { to: keyword.target, trigger: 'keyword', key: keyword.key, pattern: keyword.pattern.source };
  }
  const regex = transitions.regex.find((rule) => testRegex(rule.pattern, text));
  if (regex) {
    return { to: regex.target, trigger: 'regex', key: regex.key, pattern: regex.pattern.source };
  }
  const intent = bestIntent(transitions.intents.map((rule) => rule.intent), intents, text);
  const intentRule = transitions.intents.find((rule) => rule.intent === intent);
  if (intentRule) {
    return { to: intentRule.target, trigger: 'intent', key: intentRule.intent, score: intentScore(intents.get(intentRule.intent) ?? [], text) };
  }
  if (transitions.default !== null) {
    return { to: transitions.default, trigger: 'default' };
  }
  return null;
}
