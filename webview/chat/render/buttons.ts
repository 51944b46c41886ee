import type { ButtonsMessage } from '../../../src/sarufi/types';
import { h } from '../dom';
import type { MessageActions } from './actions';
import { readChoice, renderBotButton } from './botButton';
import { expectArray, expectString } from './fields';

export function renderButtons(message: ButtonsMessage, actions: MessageActions): HTMLElement {
  const text = expectString(message.text, 'text');
  const choices = expectArray(message.buttons, 'buttons').map((value, index) => readChoice(value, `buttons[${index}]`));
  const group = h(
    'div',
    { className: 'reply-buttons' },
    choices.map((choice) => renderBotButton(choice, actions, 'reply-button')),
  );
  return h('div', { className: 'bubble bot' }, [h('p', { className: 'message-text', text }), group]);
}
