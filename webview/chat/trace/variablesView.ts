// The Variables view of the selected turn: every variable after the turn, and what the turn changed
// (added, changed, removed: a class for the colour and a word for everyone else). Long values fold
// behind "show all"; a masked value says it is masked and why.
import type { TurnTrace } from '../../../src/flow/turnTrace';
import { isRecord } from '../../../src/flow/botMessages';
import { MASKED_VALUE } from '../../../src/protocol';
import { button, h, safeJson, uniqueId } from '../dom';
import { NO_TRACE_NOTE } from './whyView';

/** A value longer than this (as JSON), or nested deeper, is folded. */
const FOLD_LENGTH = 200;
const FOLD_DEPTH = 2;

export const MASKED_NOTE = 'masked: its name looks like a secret';
const MASKED_INSIDE_NOTE = 'some values masked: their names look like a secret';

export type Change = 'added' | 'changed' | 'removed' | 'same';

export interface VariableRow {
  name: string;
  change: Change;
  after: unknown;
  before: unknown;
}

/** The variables after the turn in their own order, then the ones the turn removed. */
export function variableRows(before: Record<string, unknown>, after: Record<string, unknown>): VariableRow[] {
  const rows: VariableRow[] = Object.entries(after).map(([name, value]) => ({
    name,
    after: value,
    before: before[name],
    change: !Object.hasOwn(before, name) ? 'added' : safeJson(before[name]) === safeJson(value) ? 'same' : 'changed',
  }));
  for (const [name, value] of Object.entries(before)) {
    if (!Object.hasOwn(after, name)) {
      rows.push({ name, after: undefined, before: value, change: 'removed' });
    }
  }
  return rows;
}

export class VariablesView {
  private readonly title = h('h2', { className: 'variables-title' });
  private readonly body = h('div', { className: 'variables-body' });
  readonly element: HTMLElement;

  constructor(close: () => void) {
    this.element = h('section', { className: 'variables-view', attrs: { 'aria-label': 'Variables' } }, [
      h('div', { className: 'variables-head' }, [this.title, button('Close', close, { className: 'link-button variables-close', attrs: { 'aria-label': 'Close variables' } })]),
      this.body,
    ]);
    this.element.hidden = true;
  }

  hide(): void {
    this.element.hidden = true;
  }

  /** Says the selected turn's trace is on its way (the host answers `trace`). */
  loading(): void {
    this.element.hidden = false;
    this.title.textContent = 'Variables';
    this.body.replaceChildren(h('p', { className: 'variables-note', text: 'Loading…' }));
  }

  show(trace: TurnTrace | null): void {
    this.element.hidden = false;
    if (trace === null) {
      this.title.textContent = 'Variables';
      this.body.replaceChildren(h('p', { className: 'variables-note', text: NO_TRACE_NOTE }));
      return;
    }
    this.title.textContent = `Variables after turn ${String(trace.turn)} (state ${String(trace.to)})`;
    const before = isRecord(trace.variables.before) ? trace.variables.before : {};
    const after = isRecord(trace.variables.after) ? trace.variables.after : {};
    const rows = variableRows(before, after);
    if (rows.length === 0) {
      this.body.replaceChildren(h('p', { className: 'variables-note', text: 'No variables yet.' }));
      return;
    }
    const changed = rows.filter((row) => row.change !== 'same').length;
    const table = h('table', { className: 'variables-table' }, [
      h('thead', {}, [h('tr', {}, [h('th', { text: 'Name', attrs: { scope: 'col' } }), h('th', { text: 'Value', attrs: { scope: 'col' } }), h('th', { text: 'This turn', attrs: { scope: 'col' } })])]),
      h('tbody', {}, rows.map(renderRow)),
    ]);
    this.body.replaceChildren(h('p', { className: 'variables-note', text: changed === 0 ? 'Nothing changed in this turn.' : `${changed} changed in this turn.` }), table);
  }
}

function renderRow(row: VariableRow): HTMLElement {
  const shown = row.change === 'removed' ? row.before : row.after;
  const value = h('td', { className: 'variable-value' }, [renderValue(shown)]);
  if (row.change === 'changed') {
    value.append(h('div', { className: 'variable-before' }, ['was ', renderValue(row.before)]));
  }
  return h('tr', { className: `variable var-${row.change}`, attrs: { 'data-variable': row.name } }, [
    h('th', { className: 'variable-name', text: row.name, attrs: { scope: 'row' } }),
    value,
    h('td', { className: 'variable-change', text: row.change === 'same' ? '' : row.change }),
  ]);
}

function renderValue(value: unknown): HTMLElement {
  if (value === MASKED_VALUE) {
    return h('span', { className: 'variable-masked' }, [h('code', { text: MASKED_VALUE }), ' ', h('span', { className: 'masked-note', text: MASKED_NOTE })]);
  }
  const compact = safeJson(value === undefined ? null : value).replace(/\s*\n\s*/g, ' ');
  const note = containsMasked(value) ? h('span', { className: 'masked-note', text: MASKED_INSIDE_NOTE }) : undefined;
  if ([...compact].length <= FOLD_LENGTH && depth(value) <= FOLD_DEPTH) {
    return h('span', {}, [h('code', { className: 'variable-json', text: compact }), ...(note ? [' ', note] : [])]);
  }
  // Folded: the start on one line, and the whole value, pretty-printed, one press away.
  const full = h('pre', { className: 'variable-full', text: safeJson(value), attrs: { id: uniqueId('value') } });
  full.hidden = true;
  const preview = h('code', { className: 'variable-json variable-preview', text: `${[...compact].slice(0, FOLD_LENGTH).join('')}…` });
  const toggle = button(
    'show all',
    () => {
      full.hidden = !full.hidden;
      preview.hidden = !full.hidden;
      toggle.textContent = full.hidden ? 'show all' : 'show less';
      toggle.setAttribute('aria-expanded', String(!full.hidden));
    },
    { className: 'link-button variable-fold', attrs: { 'aria-expanded': 'false', 'aria-controls': full.id } },
  );
  return h('span', { className: 'variable-folded' }, [preview, ' ', toggle, full, ...(note ? [' ', note] : [])]);
}

function depth(value: unknown): number {
  if (Array.isArray(value)) {
    return 1 + Math.max(0, ...value.map(depth));
  }
  if (isRecord(value)) {
    return 1 + Math.max(0, ...Object.values(value).map(depth));
  }
  return 0;
}

function containsMasked(value: unknown): boolean {
  if (value === MASKED_VALUE) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsMasked);
  }
  return isRecord(value) && Object.values(value).some(containsMasked);
}
