// The per-turn inspector: the request and response of one exchange, status and timing, and copy
// buttons. Collapsed by default and built on first open, so 2,000 turns cost one button each.
import type { Exchange } from '../../src/sarufi/exchange';
import { toCurl } from './curl';
import { button, h, safeJson, uniqueId } from './dom';
import { formatDuration } from './format';
import { renderJsonTree } from './jsonTree';

export type CopyText = (text: string, what: string) => void;

/**
 * The "Show raw JSON" toggle. On the first click the exchange is asked of the host, and the panel
 * is created and placed right after `anchor` (the entry's meta line); later clicks only show or
 * hide it.
 */
export function renderInspectorToggle(load: () => Promise<Exchange | undefined>, anchor: () => HTMLElement, copy: CopyText): HTMLButtonElement {
  let panel: HTMLElement | undefined;
  let loading = false;
  const toggle = button(
    'Show raw JSON',
    () => {
      if (panel) {
        panel.hidden = !panel.hidden;
        toggle.setAttribute('aria-expanded', String(!panel.hidden));
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
        toggle.setAttribute('aria-expanded', 'true');
        anchor().after(panel);
      });
    },
    { className: 'link-button inspector-toggle', attrs: { 'aria-expanded': 'false' } },
  );
  return toggle;
}

export function renderInspector(exchange: Exchange, copy: CopyText): HTMLElement {
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
    button('Copy JSON', () => copy(safeJson(exchangeJson(exchange)), 'raw JSON')),
    button('Copy as curl', () => copy(toCurl(exchange), 'curl command')),
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
