// The conversation: a live log region that is filled once on init and then only appended to, one
// entry at a time, so a 2,000-turn transcript never re-renders. It follows the newest turn unless
// the author scrolled up. `init` brings the newest entries only; scrolling to the top asks the host
// for the ones before, which go in above without moving what the author is reading.
import type { ShownEntry, ShownWindow } from '../../src/protocol';
import { h, REVEAL_EVENT } from './dom';
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

/** How close to the top (px) asks for earlier entries: before the author hits the very top. */
const EARLIER_SLACK = 200;

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
  /** Whether the host holds entries older than the first one shown. */
  private hasEarlier = false;
  /** Set while a request for earlier entries is out, so scrolling asks once. */
  private loadingEarlier = false;
  /** Bumped by reset(): an answer to a request made before it is dropped. */
  private generation = 0;
  /**
   * An entry is laid out at its placeholder size (content-visibility) until it is on screen, and
   * its images load later: the newest entry is watched, and the log scrolls again as it grows.
   */
  private readonly growth = new ResizeObserver(() => {
    if (this.following) {
      this.scrollToEnd();
    }
  });

  constructor(
    private readonly context: () => EntryContext,
    private readonly loadEarlier: (beforeId: string) => Promise<ShownWindow>,
  ) {
    // A block the author opened (raw JSON, Why?, Variables) is shown from its top, and the log
    // stops following the newest turn so that it stays there; scrolling to the end follows again.
    this.element.addEventListener(REVEAL_EVENT, (event) => {
      const target = event.target;
      if (!(target instanceof HTMLElement)) {
        return;
      }
      const view = this.element.getBoundingClientRect();
      const box = target.getBoundingClientRect();
      // As scrollIntoView's "nearest", except that a block taller than the log shows its top.
      const delta = box.top < view.top || box.height >= view.height ? box.top - view.top : Math.max(0, box.bottom - view.bottom);
      this.element.scrollTop += delta;
      this.following = this.isAtEnd();
      // This scroll is not one to the end: its scroll event must not read as following.
      this.autoScrollTop = Number.POSITIVE_INFINITY;
    });
    this.element.addEventListener(
      'scroll',
      () => {
        this.following = this.isAtEnd() || this.element.scrollTop >= this.autoScrollTop - 1;
        if (this.element.scrollTop <= EARLIER_SLACK) {
          void this.showEarlier();
        }
      },
      { passive: true },
    );
  }

  reset({ entries, hasEarlier }: ShownWindow): void {
    this.generation += 1;
    this.hasEarlier = hasEarlier;
    this.loadingEarlier = false;
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

  /** Asks for the entries before the first one shown and puts them above it, the view staying put. */
  private async showEarlier(): Promise<void> {
    const first = this.element.querySelector<HTMLElement>('[data-entry-id]')?.dataset.entryId;
    if (!this.hasEarlier || this.loadingEarlier || first === undefined) {
      return;
    }
    this.loadingEarlier = true;
    const generation = this.generation;
    const earlier = await this.loadEarlier(first);
    if (generation !== this.generation) {
      return;
    }
    this.loadingEarlier = false;
    this.hasEarlier = earlier.hasEarlier;
    const context = this.context();
    const fragment = document.createDocumentFragment();
    let block: HTMLElement | undefined;
    const shownTurn = this.latestTurn !== undefined;
    for (const [index, entry] of earlier.entries.entries()) {
      const element = renderEntry(entry, context);
      if (element.classList.contains('turn')) {
        // Older than every turn shown; when the log held no turn yet, the newest of these is the latest.
        if (shownTurn) {
          markEarlier(element);
        } else {
          if (this.latestTurn) {
            markEarlier(this.latestTurn);
          }
          this.latestTurn = element;
        }
      }
      if (index % BLOCK_SIZE === 0) {
        block = h('div', { className: 'log-block' });
        fragment.append(block);
      }
      block?.append(element);
    }
    // Kept where it is on screen by its own position, whether or not the browser's scroll anchoring
    // has moved the view already.
    const anchor = this.element.querySelector<HTMLElement>('[data-entry-id]');
    const top = anchor?.getBoundingClientRect().top ?? 0;
    this.element.prepend(fragment);
    const moved = (anchor?.getBoundingClientRect().top ?? top) - top;
    this.element.scrollTop += moved;
    // Our own scroll: it must not read as the author coming back to the newest entry.
    this.autoScrollTop += moved;
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
