// The conversation: a live log region that is filled once on init and then only appended to, one
// entry at a time, so a 2,000-turn transcript never re-renders.
import type { TranscriptEntry } from '../../src/chat/transcript';
import { h } from './dom';
import type { EntryContext } from './entries/context';
import { markEarlier } from './entries/earlier';
import { renderEntry } from './entries/entry';

/** How close to the bottom (px) still counts as "following the conversation". */
const FOLLOW_SLACK = 48;

export class MessageLog {
  readonly element = h('div', { className: 'message-log', attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' } });
  /** The newest turn: its buttons become "earlier" when the next turn arrives. */
  private latestTurn: HTMLElement | undefined;

  constructor(private readonly context: () => EntryContext) {}

  reset(entries: TranscriptEntry[]): void {
    const context = this.context();
    const fragment = document.createDocumentFragment();
    const rendered = entries.map((entry) => renderEntry(entry, context));
    this.latestTurn = undefined;
    for (const element of rendered) {
      if (element.classList.contains('turn')) {
        if (this.latestTurn) {
          markEarlier(this.latestTurn);
        }
        this.latestTurn = element;
      }
      fragment.append(element);
    }
    this.element.replaceChildren(fragment);
    this.scrollToEnd();
  }

  append(entry: TranscriptEntry): void {
    const following = this.isFollowing();
    const element = renderEntry(entry, this.context());
    if (element.classList.contains('turn')) {
      if (this.latestTurn) {
        markEarlier(this.latestTurn);
      }
      this.latestTurn = element;
    }
    this.element.append(element);
    if (following) {
      this.scrollToEnd();
    }
  }

  private isFollowing(): boolean {
    const { scrollHeight, scrollTop, clientHeight } = this.element;
    return scrollHeight - scrollTop - clientHeight <= FOLLOW_SLACK;
  }

  private scrollToEnd(): void {
    this.element.scrollTop = this.element.scrollHeight;
  }
}
