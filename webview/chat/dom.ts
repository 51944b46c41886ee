// The one way this page builds DOM: elements, attributes and text nodes only. Bot content is data,
// so nothing here ever parses a string as HTML.

export interface ElementOptions {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) {
    element.className = options.className;
  }
  if (options.attrs) {
    for (const [name, value] of Object.entries(options.attrs)) {
      element.setAttribute(name, value);
    }
  }
  if (options.text !== undefined) {
    element.textContent = options.text;
  }
  // `append` turns strings into Text nodes: markup in them stays inert.
  element.append(...children);
  return element;
}

/** A native button; `label` is both its visible text and its accessible name unless `attrs` say otherwise. */
export function button(label: string, onClick: (event: MouseEvent) => void, options: ElementOptions = {}): HTMLButtonElement {
  const element = h('button', { ...options, text: label, attrs: { type: 'button', ...options.attrs } });
  element.addEventListener('click', onClick);
  return element;
}

/** Text that only assistive technology reads, e.g. "Bot:" before a bubble. */
export function visuallyHidden(text: string): HTMLSpanElement {
  return h('span', { className: 'visually-hidden', text });
}

let nextId = 0;

/** A page-unique id for aria-controls / aria-describedby links. */
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** JSON for display; never throws (the host's data may be anything, even circular after structured clone). */
export function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, null, 2);
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}

/** The event a block the author just opened sends up to the log, which shows it from its top. */
export const REVEAL_EVENT = 'sarufi-reveal';

/**
 * Asks the log to show the top of a block the author just opened (raw JSON, Why?, Variables): the
 * log would otherwise keep following the newest turn and show the block's bottom (messageLog.ts).
 */
export function revealStart(element: HTMLElement): void {
  element.dispatchEvent(new CustomEvent(REVEAL_EVENT, { bubbles: true }));
}
