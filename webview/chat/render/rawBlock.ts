// A labelled block of raw JSON: how the panel shows anything it cannot (or will not) render, so the
// author still sees exactly what the bot sent.
import { h, safeJson } from '../dom';

export function renderRawBlock(label: string, detail: string | undefined, raw: unknown): HTMLElement {
  const heading = h('p', { className: 'raw-label', text: label });
  const block = h('div', { className: 'bubble bot raw-block', attrs: { role: 'group', 'aria-label': label } }, [heading]);
  if (detail) {
    block.append(h('p', { className: 'raw-detail', text: detail }));
  }
  block.append(h('pre', { className: 'raw-json', text: safeJson(raw) }));
  return block;
}
