// The conversation: a live log region that is filled once on init and then only appended to, one
// entry at a time, so a 2,000-turn transcript never re-renders. It follows the newest turn unless
// the author scrolled up.
import type { ShownEntry } from '../../src/protocol';
import { h } from './dom';
import type { EntryContext } from './entries/context';
import { markEarlier } from './entries/earlier';
import { renderEntry } from './entries/entry';

/** How close to the bottom (px) still counts as "following the conversation". */
const FOLLOW_SLACK = 48;

/**
 * Entries are kept in blocks of this many. Chromium then lays out a long log as a few dozen blocks,
 * skipping the off-screen ones (content-visibility), instead of thousands of entries: the cost of
 * one more turn stays flat as the transcript grows.
 */
const BLOCK_SIZE = 50;

export class MessageLog {
  readonly element = h('div', { className: 'message-log', attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' } });
  /** The newest turn: its buttons become "earlier" when the next turn arrives. */
  private latestTurn: HTMLElement | undefined;
  /** The block new entries go into, and how many it holds. */
  private block: HTMLElement | undefined;
  private blockCount = 0;
  /** Whether the log keeps the newest entry in view: true until the author scrolls up. */
  private following = true;
  /** Where the log last scrolled itself to: a scroll event there is ours, not the author's. */
  private autoScrollTop = 0;
  /**
   * An entry is laid out at its placeholder size (content-visibility) until it is on screen, and
   * its images load later: the newest entry is watched, and the log scrolls again as it grows.
   */
  private readonly growth = new ResizeObserver(() => {
    if (this.following) {
      this.scrollToEnd();
    }
  });

  constructor(private readonly context: () => EntryContext) {
    this.element.addEventListener(
      'scroll',
      () => {
        this.following = this.isAtEnd() || this.element.scrollTop >= this.autoScrollTop - 1;
      },
      { passive: true },
    );
  }

  reset(entries: ShownEntry[]): void {
    const context = this.context();
    const rendered = entries.map((entry) => renderEntry(entry, context));
    this.latestTurn = undefined;
    this.block = undefined;
    this.element.replaceChildren();
    const fragment = document.createDocumentFragment();
    for (const element of rendered) {
      this.place(element, fragment);
    }
    this.element.append(fragment);
    this.following = true;
    this.watchNewest(rendered[rendered.length - 1]);
    this.scrollToEnd();
  }

  append(entry: ShownEntry): void {
    const element = renderEntry(entry, this.context());
    this.place(element, this.element);
    this.watchNewest(element);
    if (this.following) {
      this.scrollToEnd();
    }
  }

  private watchNewest(element: HTMLElement | undefined): void {
    this.growth.disconnect();
    if (element) {
      this.growth.observe(element);
    }
  }

  /** Puts an entry at the end of the log, in a new block (added to `parent`) when the last is full. */
  private place(element: HTMLElement, parent: ParentNode): void {
    if (element.classList.contains('turn')) {
      if (this.latestTurn) {
        markEarlier(this.latestTurn);
      }
      this.latestTurn = element;
    }
    let fresh: HTMLElement | undefined;
    if (!this.block || this.blockCount >= BLOCK_SIZE) {
      fresh = this.block = h('div', { className: 'log-block' });
      this.blockCount = 0;
    }
    this.block.append(element);
    this.blockCount += 1;
    // A new block joins the page with its first entry in it: one change to the live document.
    if (fresh) {
      parent.append(fresh);
    }
  }

  private isAtEnd(): boolean {
    const { scrollHeight, scrollTop, clientHeight } = this.element;
    return scrollHeight - scrollTop - clientHeight <= FOLLOW_SLACK;
  }

  private scrollToEnd(): void {
    this.element.scrollTop = this.element.scrollHeight;
    this.autoScrollTop = this.element.scrollTop;
  }
}
