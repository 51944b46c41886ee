import type { ButtonsMessage } from '../../../src/flow/botMessages';
import { h } from '../dom';
import type { MessageActions } from './actions';
import { renderBotButton } from './botButton';

export function renderButtons(message: ButtonsMessage, actions: MessageActions): HTMLElement {
  const group = h(
    'div',
    { className: 'reply-buttons' },
    message.buttons.map((button) => renderBotButton(button, actions, 'reply-button')),
  );
  return h('div', { className: 'bubble bot' }, [h('p', { className: 'message-text', text: message.text }), group]);
}
