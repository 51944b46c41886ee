// Buttons of earlier turns stay clickable (a flow author often goes back to try another branch),
// but they say that they answer an older message.
import { BOT_ACTION_CLASS } from '../render/actions';

export const EARLIER_NOTE = 'From an earlier turn';

export function markEarlier(turn: HTMLElement): void {
  for (const control of turn.querySelectorAll<HTMLElement>(`.${BOT_ACTION_CLASS}`)) {
    if (control.classList.contains('earlier')) {
      continue;
    }
    control.classList.add('earlier');
    control.title = EARLIER_NOTE;
    const description = control.getAttribute('aria-description');
    control.setAttribute('aria-description', description ? `${description} — ${EARLIER_NOTE}` : EARLIER_NOTE);
  }
}
