// Pretty-printed JSON as a collapsible tree, coloured with the theme's debug-token colours. Built
// from text nodes only, and only when an inspector is opened.
import { h } from './dom';

export function renderJsonTree(value: unknown): HTMLElement {
  return h('div', { className: 'json-tree' }, [renderNode(value, undefined, true)]);
}

function renderNode(value: unknown, key: string | undefined, last: boolean): HTMLElement {
  const comma = last ? '' : ',';
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    const entries: [string | undefined, unknown][] = Array.isArray(value)
      ? value.map((item): [undefined, unknown] => [undefined, item])
      : Object.entries(value);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      return line(key, [punctuation(`${open}${close}${comma}`)]);
    }
    const count = Array.isArray(value) ? `${entries.length} item${entries.length === 1 ? '' : 's'}` : `${entries.length} key${entries.length === 1 ? '' : 's'}`;
    const summary = h('summary', { className: 'json-line' }, [
      ...keyPart(key),
      punctuation(open),
      h('span', { className: 'json-collapsed', text: ` … ${close}${comma} ` }),
      h('span', { className: 'json-count', text: count }),
    ]);
    const children = h(
      'div',
      { className: 'json-children' },
      entries.map(([childKey, child], index) => renderNode(child, childKey, index === entries.length - 1)),
    );
    const details = h('details', { className: 'json-node' }, [summary, children, h('div', { className: 'json-line json-close' }, [punctuation(`${close}${comma}`)])]);
    details.open = true;
    return details;
  }
  return line(key, [scalar(value), punctuation(comma)]);
}

function line(key: string | undefined, parts: Node[]): HTMLElement {
  return h('div', { className: 'json-line' }, [...keyPart(key), ...parts]);
}

function keyPart(key: string | undefined): Node[] {
  return key === undefined ? [] : [h('span', { className: 'json-key', text: JSON.stringify(key) }), punctuation(': ')];
}

function scalar(value: unknown): HTMLElement {
  if (typeof value === 'string') {
    return h('span', { className: 'json-string', text: JSON.stringify(value) });
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    return h('span', { className: 'json-number', text: String(value) });
  }
  if (typeof value === 'boolean') {
    return h('span', { className: 'json-boolean', text: String(value) });
  }
  // null, and the undefined of a missing body.
  return h('span', { className: 'json-null', text: value === null ? 'null' : String(value) });
}

function punctuation(text: string): HTMLElement {
  return h('span', { className: 'json-punctuation', text });
}
