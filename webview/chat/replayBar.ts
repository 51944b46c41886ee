// A fork on a server without snapshots replays the author's inputs in a new session, paced to the
// rate limit: the bar says so, how far it has got, and offers Cancel. Gone when the replay ends.
import type { ReplayProgress, WebviewToHost } from '../../src/protocol';
import { button, h } from './dom';

export class ReplayBar {
  private readonly text = h('span', { className: 'replay-text' });
  private readonly progress = h('progress', { className: 'replay-progress' });
  readonly element: HTMLElement;

  constructor(post: (message: WebviewToHost) => void) {
    this.element = h('div', { className: 'replay-bar', attrs: { role: 'status' } }, [
      this.text,
      this.progress,
      button('Cancel', () => post({ type: 'cancelReplay' }), { className: 'replay-cancel', attrs: { 'aria-label': 'Cancel the replay' } }),
    ]);
    this.element.hidden = true;
  }

  set(progress: ReplayProgress | null): void {
    this.element.hidden = progress === null;
    if (progress === null) {
      return;
    }
    this.text.textContent = `Replaying your inputs in a new session: ${progress.done} of ${progress.total}`;
    this.progress.max = Math.max(1, progress.total);
    this.progress.value = progress.done;
    this.progress.setAttribute('aria-label', `${progress.done} of ${progress.total} inputs replayed`);
  }
}
