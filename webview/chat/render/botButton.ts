// A button that answers the bot (a reply button or a list row): it sends its title as the message
// and its id as the button id, just as a WhatsApp user's tap would.
import type { Button } from '../../../src/flow/botMessages';
import { WHATSAPP_LIMITS } from '../../../src/protocol';
import { h } from '../dom';
import type { MessageActions } from './actions';
import { BOT_ACTION_CLASS } from './actions';
import { limitedText } from './whatsapp';

export function renderBotButton(choice: Button, actions: MessageActions, className: string): HTMLButtonElement {
  // The title as WhatsApp would cut it shows in the WhatsApp view; a click sends the whole title.
  const element = h('button', { className: `${BOT_ACTION_CLASS} ${className}`, attrs: { type: 'button' } }, limitedText(choice.title, WHATSAPP_LIMITS.buttonTitle));
  if (actions.interactive) {
    element.addEventListener('click', () => actions.send({ text: choice.title, buttonId: choice.id }));
  } else {
    element.disabled = true;
  }
  return element;
}
