// "Bot is typing…" while the host waits for a reply. The live text node exists from the start, so
// screen readers announce its changes; the dots are decoration.
import { h } from './dom';

export class TypingIndicator {
  private readonly dots = h('span', { className: 'typing-dots', attrs: { 'aria-hidden': 'true' } }, [h('span'), h('span'), h('span')]);
  private readonly text = h('span', { className: 'typing-text' });
  readonly element = h('div', { className: 'typing', attrs: { role: 'status', 'aria-live': 'polite' } }, [this.dots, this.text]);

  constructor() {
    this.set(false);
  }

  set(busy: boolean, note?: string): void {
    this.element.classList.toggle('is-busy', busy);
    this.dots.hidden = !busy;
    this.text.textContent = busy ? (note ? `Bot is typing… ${note}` : 'Bot is typing…') : '';
  }
}
