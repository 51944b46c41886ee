// Between the sessions of one panel ("New session started"): the old transcript stays above it.
import type { DividerEntry } from '../../../src/chat/transcript';
import { h } from '../dom';
import { formatClock } from '../format';

export function renderDivider(entry: DividerEntry): HTMLElement {
  const time = formatClock(entry.at);
  const label = time ? `${entry.text} (${time})` : String(entry.text);
  // A separator's content is not read, so its name carries the words.
  return h('div', { className: 'entry divider', attrs: { 'data-entry-id': String(entry.id), role: 'separator', 'aria-label': label } }, [
    h('span', { className: 'divider-text', text: label }),
  ]);
}
