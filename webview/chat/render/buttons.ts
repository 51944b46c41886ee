import type { ButtonsMessage } from '../../../src/flow/botMessages';
import { WHATSAPP_LIMITS } from '../../../src/protocol';
import { h } from '../dom';
import type { MessageActions } from './actions';
import { renderBotButton } from './botButton';
import { hideExtraButtons, limitedText } from './whatsapp';

export function renderButtons(message: ButtonsMessage, actions: MessageActions): HTMLElement {
  const buttons = message.buttons.map((button) => renderBotButton(button, actions, 'reply-button'));
  const group = h('div', { className: 'reply-buttons' }, buttons);
  const hidden = hideExtraButtons(buttons);
  return h('div', { className: 'bubble bot' }, [h('p', { className: 'message-text' }, limitedText(message.text, WHATSAPP_LIMITS.interactiveBody)), group, ...(hidden ? [hidden] : [])]);
}
