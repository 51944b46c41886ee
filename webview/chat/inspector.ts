// The per-turn inspector: the request and response of one exchange, status and timing, and copy
// buttons. Collapsed by default and built on first open, so 2,000 turns cost one button each.
import type { WebviewToHost } from '../../src/protocol';
import type { Exchange } from '../../src/sarufi/exchange';
import { button, h, revealStart, safeJson, uniqueId } from './dom';
import { formatDuration } from './format';
import { renderJsonTree } from './jsonTree';

/**
 * The inspector's copy buttons. Copy as curl is built by the host, which knows the key the
 * command may carry (the local sandbox's) and never hands it to the page.
 */
export interface InspectorCopy {
  json(text: string): void;
  curl(): void;
}

/** The copy buttons of one entry's inspector, as messages to the host. */
export function inspectorCopy(post: (message: WebviewToHost) => void, entryId: string): InspectorCopy {
  return {
    json: (text) => post({ type: 'copy', text, what: 'raw JSON' }),
    curl: () => post({ type: 'copyCurl', entryId }),
  };
}

const SHOW_LABEL = 'Show raw JSON';
const HIDE_LABEL = 'Hide raw JSON';
/** How long a copy button says "Copied" before it reads as before. */
const COPIED_MS = 1500;

/**
 * The "Show raw JSON" toggle. On the first click the exchange is asked of the host, and the panel
 * is created and placed right after `anchor` (the entry's meta line); later clicks only show or
 * hide it.
 */
export function renderInspectorToggle(load: () => Promise<Exchange | undefined>, anchor: () => HTMLElement, copy: InspectorCopy): HTMLButtonElement {
  let panel: HTMLElement | undefined;
  let loading = false;
  const toggle = button(
    SHOW_LABEL,
    () => {
      if (panel) {
        panel.hidden = !panel.hidden;
        opened(!panel.hidden);
        return;
      }
      if (loading) {
        return;
      }
      loading = true;
      toggle.setAttribute('aria-busy', 'true');
      void load().then((exchange) => {
        loading = false;
        toggle.removeAttribute('aria-busy');
        panel = exchange ? renderInspector(exchange, copy) : h('p', { className: 'inspector-empty', text: 'The raw JSON of this entry is no longer stored' });
        panel.id = uniqueId('inspector');
        toggle.setAttribute('aria-controls', panel.id);
        anchor().after(panel);
        opened(true);
      });
    },
    { className: 'link-button inspector-toggle', attrs: { 'aria-expanded': 'false' } },
  );
  const opened = (open: boolean): void => {
    toggle.textContent = open ? HIDE_LABEL : SHOW_LABEL;
    toggle.setAttribute('aria-expanded', String(open));
    if (open && panel) {
      revealStart(panel);
    }
  };
  return toggle;
}

/** A copy button that says it worked: "Copied" for a moment, also read out by screen readers. */
function copyButton(label: string, copy: () => void): HTMLButtonElement {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const element = button(label, () => {
    copy();
    element.textContent = 'Copied';
    element.setAttribute('aria-label', `${label}: copied`);
    clearTimeout(timer);
    timer = setTimeout(() => {
      element.textContent = label;
      element.removeAttribute('aria-label');
    }, COPIED_MS);
  });
  return element;
}

export function renderInspector(exchange: Exchange, copy: InspectorCopy): HTMLElement {
  const status = statusText(exchange);
  const summary = h('p', { className: 'inspector-summary' }, [
    h('span', { className: 'http-method', text: String(exchange.method) }),
    ' ',
    h('span', { className: 'http-url', text: String(exchange.url) }),
  ]);
  const facts = h('p', { className: 'inspector-facts' }, [
    h('span', { className: `http-status ${statusClass(exchange.status)}`, text: status }),
    h('span', { text: formatDuration(exchange.durationMs) }),
  ]);
  if (typeof exchange.attempt === 'number' && exchange.attempt > 1) {
    facts.append(h('span', { text: `attempt ${exchange.attempt}` }));
  }
  const actions = h('div', { className: 'inspector-actions' }, [
    copyButton('Copy JSON', () => copy.json(safeJson(exchangeJson(exchange)))),
    copyButton('Copy as curl', () => copy.curl()),
  ]);
  const request = section('Request', [
    collapsed('Headers', renderJsonTree(exchange.requestHeaders ?? {})),
    exchange.requestBody === undefined ? h('p', { className: 'inspector-empty', text: 'No body' }) : renderJsonTree(exchange.requestBody),
  ]);
  const response = section('Response', [collapsed('Headers', renderJsonTree(exchange.responseHeaders ?? {})), responseBody(exchange)]);
  if (exchange.error) {
    facts.append(h('span', { className: 'http-error', text: exchange.error }));
  }
  return h('section', { className: 'inspector', attrs: { 'aria-label': 'Raw JSON' } }, [summary, facts, actions, request, response]);
}

/** What "Copy JSON" puts on the clipboard: the exchange as request and response, already redacted. */
export function exchangeJson(exchange: Exchange): unknown {
  return {
    request: { method: exchange.method, url: exchange.url, headers: exchange.requestHeaders, body: exchange.requestBody },
    response: {
      status: exchange.status,
      headers: exchange.responseHeaders,
      body: exchange.responseJson !== undefined ? exchange.responseJson : exchange.responseText,
    },
    startedAt: exchange.startedAt,
    durationMs: exchange.durationMs,
  };
}

function responseBody(exchange: Exchange): HTMLElement {
  if (exchange.responseJson !== undefined) {
    return renderJsonTree(exchange.responseJson);
  }
  if (exchange.responseText) {
    // Not JSON (an HTML error page from a proxy, say): shown as text, never as markup.
    return h('pre', { className: 'raw-json', text: exchange.responseText });
  }
  return h('p', { className: 'inspector-empty', text: exchange.status === null ? 'No response' : 'Empty body' });
}

function section(title: string, content: HTMLElement[]): HTMLElement {
  const details = h('details', { className: 'inspector-section' }, [h('summary', { text: title }), ...content]);
  details.open = true;
  return details;
}

function collapsed(title: string, content: HTMLElement): HTMLElement {
  return h('details', { className: 'inspector-headers' }, [h('summary', { text: title }), content]);
}

export function statusText(exchange: Pick<Exchange, 'status'>): string {
  return exchange.status === null || exchange.status === undefined ? 'No response' : `HTTP ${exchange.status}`;
}

export function statusClass(status: number | null | undefined): string {
  if (typeof status !== 'number') {
    return 'status-failed';
  }
  return status >= 200 && status < 300 ? 'status-ok' : 'status-failed';
}
