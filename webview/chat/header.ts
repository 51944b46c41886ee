// The panel's header: which bot, where, the session's id and life (a live countdown to the
// 30-minute expiry), the states visited, and the session-level actions.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { SessionInfo } from '../../src/chat/transcript';
import { personaLabel } from '../../src/protocol';
import type { WebviewToHost } from '../../src/protocol';
import { h } from './dom';
import { renderExportMenu } from './exportMenu';
import { formatDateTime, formatTimeLeft } from './format';

/** A long session's trail is cut to its end: the header must stay one or two lines. */
const TRAIL_SHOWN = 30;

const ENDED: ReadonlySet<SessionInfo['status']> = new Set(['expired', 'closed', 'failed']);

export class SessionHeader {
  private readonly name = h('h1', { className: 'chatbot-name' });
  private readonly environment = h('vscode-badge', { className: 'environment' });
  private readonly status = h('span', { className: 'session-status' });
  private readonly sessionId = h('code', { className: 'session-id' });
  private readonly copyId = h('vscode-button', { className: 'copy-id', text: 'Copy', attrs: { secondary: '', 'aria-label': 'Copy session id' } });
  private readonly messagesCount = h('dd', { className: 'messages-count' });
  /** Who the author chats as (sandbox personas); hidden for the default user. */
  private readonly persona = h('dd', { className: 'session-persona' });
  private readonly personaFact = fact('As', this.persona);
  private readonly created = h('time', { className: 'created-at' });
  private readonly timeLeft = h('dd', { className: 'time-left' });
  private readonly trail = h('ol', { className: 'trail-states', attrs: { 'aria-label': 'States visited' } });
  private readonly restart = h('vscode-button', { className: 'restart-session', text: 'Restart session', attrs: { secondary: '' } });
  private readonly newSession = h('vscode-button', { className: 'new-session', text: 'Start new session' });
  private readonly saveAsTest = h('vscode-button', { className: 'save-as-test', text: 'Save as test', attrs: { secondary: '', title: 'Save this conversation as a *.sarufi-test.yaml regression test' } });
  readonly element: HTMLElement;
  private session: SessionInfo | undefined;
  private readOnly = false;

  constructor(private readonly post: (message: WebviewToHost) => void) {
    this.copyId.addEventListener('click', () => {
      if (this.session?.sessionId) {
        this.post({ type: 'copy', text: this.session.sessionId, what: 'session id' });
      }
    });
    this.restart.addEventListener('click', () => this.post({ type: 'restartSession' }));
    this.newSession.addEventListener('click', () => this.post({ type: 'newSession' }));
    this.saveAsTest.addEventListener('click', () => this.post({ type: 'saveAsTest' }));
    const exportMenu = renderExportMenu((format) => this.post({ type: 'export', format }));

    this.element = h('header', { className: 'session-header' }, [
      h('div', { className: 'header-top' }, [
        this.name,
        this.environment,
        this.status,
        h('div', { className: 'header-actions' }, [this.newSession, this.restart, this.saveAsTest, exportMenu]),
      ]),
      h('dl', { className: 'session-facts' }, [
        fact('Session', h('dd', { className: 'session-id-row' }, [this.sessionId, this.copyId])),
        // Sarufi's messages_count is the last reply's, not the session's: the label says so.
        fact('Last reply', this.messagesCount),
        fact('Created', h('dd', {}, [this.created])),
        fact('Time left', this.timeLeft),
        this.personaFact,
      ]),
      h('div', { className: 'trail' }, [h('span', { className: 'trail-label', text: 'States', attrs: { 'aria-hidden': 'true' } }), this.trail]),
    ]);
    this.element.hidden = true;
    // One timer for the page's lifetime; it only rewrites one text node per second.
    window.setInterval(() => this.tick(), 1000);
  }

  update(session: SessionInfo, readOnly = this.readOnly): void {
    this.session = session;
    this.readOnly = readOnly;
    this.element.hidden = false;
    this.name.textContent = session.chatbotName || session.chatbotId || 'Chatbot';
    this.environment.textContent = session.environment;
    this.environment.title = session.baseUrl;
    this.status.textContent = readOnly ? `${session.status} (read-only)` : session.status;
    this.status.className = `session-status status-${session.status}`;
    this.sessionId.textContent = session.sessionId ?? 'none yet';
    this.copyId.hidden = !session.sessionId;
    this.messagesCount.textContent = session.messagesCount === null ? '—' : `${session.messagesCount} ${session.messagesCount === 1 ? 'message' : 'messages'}`;
    this.persona.textContent = session.persona ? personaLabel(session.persona) : '';
    this.personaFact.hidden = !session.persona;
    this.created.textContent = formatDateTime(session.createdAt);
    this.created.dateTime = session.createdAt ?? '';
    this.renderTrail(session.trail);
    this.restart.hidden = readOnly;
    this.tick();
  }

  private tick(): void {
    if (!this.session) {
      return;
    }
    // A session the server ended has no time left to count: the status beside it says why.
    const endedByServer = ENDED.has(this.session.status);
    const left = endedByServer ? null : formatTimeLeft(this.session.expiresAt, Date.now());
    this.timeLeft.textContent = left ?? '—';
    this.timeLeft.classList.toggle('is-expired', left === 'expired');
    const ended = endedByServer || left === 'expired';
    this.newSession.hidden = this.readOnly || !ended;
  }

  private renderTrail(states: readonly string[]): void {
    const items: HTMLElement[] = [];
    const shown = Array.isArray(states) ? states.slice(-TRAIL_SHOWN) : [];
    if (Array.isArray(states) && states.length > shown.length) {
      items.push(h('li', { className: 'trail-more', text: `… ${states.length - shown.length} earlier` }));
    }
    for (const state of shown) {
      const reveal = h('button', { className: 'trail-state', text: String(state), attrs: { type: 'button', title: `Reveal state '${state}' in the flow` } });
      reveal.addEventListener('click', () => this.post({ type: 'revealState', state: String(state) }));
      items.push(h('li', {}, [reveal]));
    }
    if (items.length === 0) {
      items.push(h('li', { className: 'trail-empty', text: 'none yet' }));
    }
    this.trail.replaceChildren(...items);
  }
}

function fact(term: string, description: HTMLElement): HTMLElement {
  return h('div', { className: 'session-fact' }, [h('dt', { text: term }), description]);
}
