import type { TextMessage } from '../../../src/flow/botMessages';
import { WHATSAPP_LIMITS } from '../../../src/protocol';
import { h } from '../dom';
import { limitedText } from './whatsapp';

export function renderText(message: TextMessage): HTMLElement {
  // Line breaks are kept by `white-space: pre-wrap` on .message-text.
  return h('div', { className: 'bubble bot' }, [h('p', { className: 'message-text' }, limitedText(message.text, WHATSAPP_LIMITS.text))]);
}
