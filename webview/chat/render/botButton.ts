// A button that answers the bot (a reply button or a list row): it sends its title as the message
// and its id as the button id, just as a WhatsApp user's tap would.
import type { Button } from '../../../src/flow/botMessages';
import { h } from '../dom';
import type { MessageActions } from './actions';
import { BOT_ACTION_CLASS } from './actions';

export function renderBotButton(choice: Button, actions: MessageActions, className: string): HTMLButtonElement {
  const element = h('button', { className: `${BOT_ACTION_CLASS} ${className}`, text: choice.title, attrs: { type: 'button' } });
  if (actions.interactive) {
    element.addEventListener('click', () => actions.send({ text: choice.title, buttonId: choice.id }));
  } else {
    element.disabled = true;
  }
  return element;
}
