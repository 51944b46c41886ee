import type { TextMessage } from '../../../src/flow/botMessages';
import { h } from '../dom';

export function renderText(message: TextMessage): HTMLElement {
  // Line breaks are kept by `white-space: pre-wrap` on .message-text.
  return h('div', { className: 'bubble bot' }, [h('p', { className: 'message-text', text: message.text })]);
}
