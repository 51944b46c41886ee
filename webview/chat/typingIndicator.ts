// "Bot is typing…" while the host waits for a reply. The live text node exists from the start, so
// screen readers announce its changes; the dots are decoration. While the flow debugger holds a
// turn, the messages the bot has sent so far show above it, as they are sent.
import type { BusyState } from '../../src/protocol';
import { h } from './dom';
import { renderMessage } from './render/message';

export class TypingIndicator {
  private readonly dots = h('span', { className: 'typing-dots', attrs: { 'aria-hidden': 'true' } }, [h('span'), h('span'), h('span')]);
  private readonly text = h('span', { className: 'typing-text' });
  /** The debugged turn's messages so far: shown, not clickable (the turn has not ended). */
  private readonly sent = h('div', { className: 'bot-messages sent-so-far', attrs: { 'aria-label': 'Sent so far in this turn' } });
  readonly element = h('div', { className: 'typing', attrs: { role: 'status', 'aria-live': 'polite' } }, [this.sent, this.dots, this.text]);

  constructor() {
    this.set({ busy: false });
  }

  set({ busy, note, sent }: BusyState): void {
    this.element.classList.toggle('is-busy', busy);
    this.dots.hidden = !busy;
    this.text.textContent = busy ? (note ? `Bot is typing… ${note}` : 'Bot is typing…') : '';
    const shown = busy && Array.isArray(sent) ? sent : [];
    this.sent.replaceChildren(...shown.map((message) => renderMessage(message, { interactive: false, send: () => undefined, openLink: () => undefined })));
    this.sent.hidden = shown.length === 0;
  }
}
