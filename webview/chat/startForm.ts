// Chat from here: before the session starts in a chosen state, the author checks the variables it
// starts with (JSON, prefilled from the flow's `{{…}}`) and presses Start. Text that does not parse
// stays as typed, with what is wrong and where.
import type { StartForm } from '../../src/protocol';
import type { Variables } from '../../src/flow/template';
import { isRecord } from '../../src/flow/botMessages';
import { h, uniqueId } from './dom';

export class StartFormView {
  readonly element: HTMLFormElement;
  private readonly state = h('code', { className: 'start-state' });
  private readonly text: HTMLTextAreaElement;
  private readonly error = h('p', { className: 'start-error', attrs: { id: uniqueId('start-error'), role: 'alert' } });
  private readonly start = h('button', { className: 'start-button', text: 'Start', attrs: { type: 'submit' } });
  /** The form last filled in, so a repeated `init` (the panel shown again) keeps the author's edits. */
  private shown: StartForm | null = null;

  constructor(submit: (variables: Variables) => void) {
    const textId = uniqueId('start-variables');
    this.text = h('textarea', { className: 'start-variables', attrs: { id: textId, rows: '8', spellcheck: 'false', 'aria-describedby': this.error.id } });
    this.error.hidden = true;
    this.element = h('form', { className: 'start-form', attrs: { 'aria-label': 'Chat from here' } }, [
      h('p', { className: 'start-title' }, ['Chat from here: the session starts in state ', this.state, ' with these variables.']),
      h('label', { className: 'start-label', text: 'Variables (JSON)', attrs: { for: textId } }),
      this.text,
      this.error,
      this.start,
    ]);
    this.element.hidden = true;
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      const read = readVariables(this.text.value);
      this.error.hidden = read.ok;
      this.text.setAttribute('aria-invalid', String(!read.ok));
      if (read.ok) {
        submit(read.variables);
      } else {
        this.error.textContent = read.error;
        this.text.focus();
      }
    });
  }

  /** Whether the form is shown: the session waits for it. */
  get open(): boolean {
    return !this.element.hidden;
  }

  show(form: StartForm | null): void {
    this.element.hidden = form === null;
    if (form === null || sameForm(form, this.shown)) {
      this.shown = form;
      return;
    }
    this.shown = form;
    this.state.textContent = String(form.state);
    this.text.value = JSON.stringify(form.variables ?? {}, null, 2);
    this.error.hidden = true;
    this.text.removeAttribute('aria-invalid');
  }
}

type ReadVariables = { ok: true; variables: Variables } | { ok: false; error: string };

export function readVariables(text: string): ReadVariables {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The variables are not valid JSON${where(text, error)}: ${reason(error)}. Your text is kept: fix it and press Start again.` };
  }
  if (!isRecord(value)) {
    return { ok: false, error: 'The variables must be a JSON object, such as {"name": "Asha"}. Your text is kept: fix it and press Start again.' };
  }
  return { ok: true, variables: value };
}

/** " (line 2, column 5)" from the engine's message: newer ones say it, older ones give a position. */
function where(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) {
    return ` (line ${lineColumn[1]}, column ${lineColumn[2]})`;
  }
  const position = /position (\d+)/.exec(message);
  if (!position) {
    return '';
  }
  const before = text.slice(0, Number(position[1])).split('\n');
  return ` (line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1})`;
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // The location is said in words already.
  return message.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)/, '').replace(/\.$/, '');
}

function sameForm(a: StartForm, b: StartForm | null): boolean {
  return b !== null && a.state === b.state && JSON.stringify(a.variables) === JSON.stringify(b.variables);
}
