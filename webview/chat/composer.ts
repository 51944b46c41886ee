// The input box: Enter sends, Shift+Enter adds a line, Up/Down recall earlier inputs, a counter
// near the Chat API's limit. The typed text leaves the box only when the host says the send worked,
// even when that happened while the panel was hidden (the page then learns it from `init`).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { characterCount, MAX_MESSAGE_LENGTH } from '../../src/protocol';
import { h, uniqueId } from './dom';
import { InputHistory } from './inputHistory';
import type { SendState } from '../../src/protocol';
import type { ViewStateStore } from './viewState';

/** The counter shows from here on, so that it is there before the author hits the limit. */
export const COUNTER_FROM = 3500;

export interface ComposerOptions {
  store: ViewStateStore;
  /** Posts the text to the host and returns the request id of the `send`. */
  send(text: string): number;
}

export class Composer {
  private readonly counter = h('span', { className: 'composer-counter', attrs: { id: uniqueId('counter') } });
  private readonly refusal = h('p', { className: 'composer-refusal', attrs: { role: 'alert' } });
  private readonly textarea = h('textarea', {
    className: 'composer-input',
    attrs: {
      'aria-label': 'Message',
      rows: '2',
      placeholder: 'Message the bot (Enter sends, Shift+Enter adds a line)',
      'aria-describedby': this.counter.id,
    },
  });
  private readonly sendButton = h('vscode-button', { className: 'composer-send', text: 'Send' });
  readonly element = h('div', { className: 'composer' }, [
    this.refusal,
    h('div', { className: 'composer-row' }, [this.textarea, this.sendButton]),
    h('div', { className: 'composer-footer' }, [
      h('span', { className: 'composer-hint', text: 'Up and Down recall earlier inputs' }),
      this.counter,
    ]),
  ]);
  private readonly history: InputHistory;
  /** Typed sends the host has not answered yet, by request id; kept in the view state. */
  private readonly pending: Map<number, string>;

  constructor(private readonly options: ComposerOptions) {
    this.pending = new Map(options.store.current.pendingSends);
    this.history = new InputHistory(options.store.current.history);
    this.textarea.value = options.store.current.draft;
    this.refusal.hidden = true;
    this.textarea.addEventListener('input', () => this.onInput());
    this.textarea.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.sendButton.addEventListener('click', () => this.submit());
    this.updateCounter();
  }

  /**
   * Brings the pending sends up to date with the host's account in `init`: settled ones settle,
   * and ones the host does not know (it was restarted) are no longer waited for.
   */
  catchUp(sends: readonly SendState[]): void {
    const known = new Map(sends.map((send) => [send.requestId, send.ok]));
    for (const requestId of [...this.pending.keys()]) {
      const ok = known.get(requestId);
      if (ok === undefined) {
        this.pending.delete(requestId);
      } else if (ok !== null) {
        this.settle(requestId, ok);
      }
    }
    this.options.store.setPendingSends(this.pending);
  }

  settle(requestId: number, ok: boolean): void {
    const text = this.pending.get(requestId);
    if (text === undefined) {
      return;
    }
    this.pending.delete(requestId);
    this.options.store.setPendingSends(this.pending);
    // Clear only what was sent: if the author kept typing meanwhile, their new text stays.
    if (ok && this.textarea.value === text) {
      this.textarea.value = '';
      this.onInput();
    }
  }

  focus(): void {
    this.textarea.focus();
  }

  private onInput(): void {
    this.options.store.setDraft(this.textarea.value);
    this.refusal.hidden = true;
    this.updateCounter();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    const { value, selectionStart, selectionEnd } = this.textarea;
    if (event.key === 'ArrowUp' && selectionStart === selectionEnd && !value.slice(0, selectionStart).includes('\n')) {
      this.recall(this.history.older(value), event);
    } else if (event.key === 'ArrowDown' && selectionStart === selectionEnd && !value.slice(selectionEnd).includes('\n')) {
      this.recall(this.history.newer(), event);
    }
  }

  private recall(text: string | undefined, event: KeyboardEvent): void {
    if (text === undefined) {
      return;
    }
    event.preventDefault();
    this.textarea.value = text;
    this.textarea.setSelectionRange(text.length, text.length);
    this.options.store.setDraft(text);
    this.updateCounter();
  }

  private submit(): void {
    const text = this.textarea.value;
    if (text.trim() === '') {
      return;
    }
    const length = characterCount(text);
    if (length > MAX_MESSAGE_LENGTH) {
      this.refuse(`Not sent: the message is ${length} characters long, and the Chat API accepts at most ${MAX_MESSAGE_LENGTH}.`);
      return;
    }
    // One typed send at a time: a second Enter before the answer would send the text twice.
    if ([...this.pending.values()].includes(text)) {
      return;
    }
    this.refusal.hidden = true;
    this.history.add(text);
    this.options.store.setHistory(this.history.all);
    this.pending.set(this.options.send(text), text);
    this.options.store.setPendingSends(this.pending);
  }

  private refuse(reason: string): void {
    this.refusal.textContent = reason;
    this.refusal.hidden = false;
  }

  private updateCounter(): void {
    const length = characterCount(this.textarea.value);
    this.counter.hidden = length < COUNTER_FROM;
    this.counter.textContent = `${length} / ${MAX_MESSAGE_LENGTH}`;
    this.counter.classList.toggle('over-limit', length > MAX_MESSAGE_LENGTH);
  }
}
