// The Why? disclosure under a bot turn: what the sandbox engine did in that turn, in order and in
// plain words. Built on first open from the trace the host sends (`trace`), like the inspector.
import type { TurnTrace } from '../../../src/flow/turnTrace';
import { isRecord } from '../../../src/flow/botMessages';
import { button, h, uniqueId } from '../dom';
import { renderJsonTree } from '../jsonTree';
import { describeEvent, shortValue, type Part } from './traceEvents';

export const NO_TRACE_NOTE = "The trace is a sandbox feature: Sarufi doesn't say why.";

/**
 * The "Why?" toggle. The first press asks for the trace (and `opened` shows the turn in the
 * Variables view); the panel goes right after `anchor`. Later presses show or hide it.
 */
export function renderWhyToggle(load: () => Promise<TurnTrace | null>, anchor: () => HTMLElement, opened: () => void): HTMLButtonElement {
  let panel: HTMLElement | undefined;
  let loading = false;
  const toggle = button(
    'Why?',
    () => {
      if (panel) {
        panel.hidden = !panel.hidden;
        toggle.setAttribute('aria-expanded', String(!panel.hidden));
        if (!panel.hidden) {
          opened();
        }
        return;
      }
      if (loading) {
        return;
      }
      loading = true;
      toggle.setAttribute('aria-busy', 'true');
      opened();
      void load().then((trace) => {
        loading = false;
        toggle.removeAttribute('aria-busy');
        panel = renderWhy(trace);
        panel.id = uniqueId('why');
        toggle.setAttribute('aria-controls', panel.id);
        toggle.setAttribute('aria-expanded', 'true');
        anchor().after(panel);
      });
    },
    { className: 'link-button why-toggle', attrs: { 'aria-expanded': 'false', title: 'What the sandbox did in this turn, and why' } },
  );
  return toggle;
}

export function renderWhy(trace: TurnTrace | null): HTMLElement {
  const panel = h('section', { className: 'why', attrs: { 'aria-label': 'Why' } });
  if (trace === null) {
    panel.append(h('p', { className: 'why-none', text: NO_TRACE_NOTE }));
    return panel;
  }
  const from = trace.from === null ? 'a new session' : trace.from;
  panel.append(h('p', { className: 'why-summary' }, [`Turn ${String(trace.turn)}: from `, codeOf(from), ' to ', codeOf(trace.to)]));
  const events = Array.isArray(trace.events) ? trace.events : [];
  if (events.length === 0) {
    // A fork's greeting: the session starts where another stood, and nothing runs.
    panel.append(h('p', { className: 'why-none', text: 'Nothing ran in this turn.' }));
    return panel;
  }
  panel.append(h('ol', { className: 'why-events' }, events.map((event, index) => renderEvent(event, index, trace.masked))));
  return panel;
}

function renderEvent(event: unknown, index: number, masked: unknown): HTMLElement {
  const described = describeEvent(event);
  const item = h('li', { className: `why-event why-${described.kind.replace(/[^\w-]/g, '_')}` }, [h('span', { className: 'why-text' }, described.parts.map(renderPart))]);
  if (described.extra.length > 0) {
    item.append(
      h(
        'dl',
        { className: 'why-extra' },
        described.extra.map(([key, value]) => h('div', { className: 'why-extra-field' }, [h('dt', { text: key }), h('dd', { text: shortValue(value) })])),
      ),
    );
  }
  if (described.exchange) {
    const maskedHere = Array.isArray(masked) ? masked.filter((path): path is string => typeof path === 'string' && path.startsWith(`events[${index}].`)) : [];
    const details = h('details', { className: 'why-exchange' }, [h('summary', { text: 'Request and response' })]);
    details.append(h('p', { className: 'why-exchange-title', text: 'Request' }), renderJsonTree(described.exchange.request ?? null));
    details.append(h('p', { className: 'why-exchange-title', text: 'Response' }), renderJsonTree(described.exchange.response ?? null));
    if (maskedHere.length > 0) {
      details.append(h('p', { className: 'masked-note', text: `masked: ${maskedHere.map((path) => path.slice(`events[${index}].`.length)).join(', ')} (names that look like a secret)` }));
    }
    item.append(details);
  }
  return item;
}

function renderPart(part: Part): Node {
  return typeof part === 'string' ? document.createTextNode(part) : codeOf(part.code);
}

function codeOf(text: string): HTMLElement {
  return h('code', { text });
}

/** Whether a trace answer can be shown at all (the host sends it through postMessage). */
export function isShownTrace(value: unknown): value is TurnTrace {
  return isRecord(value) && isRecord(value.variables) && Array.isArray(value.events);
}
