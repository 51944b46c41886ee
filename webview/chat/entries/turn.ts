// One turn: what the author sent (if anything; a greeting has no input), the bot's messages, and a
// meta line with the state, status, duration and the raw-JSON inspector.
import type { ShownTurn } from '../../../src/protocol';
import { button, h, visuallyHidden } from '../dom';
import { formatClock, formatDuration } from '../format';
import { inspectorCopy, renderInspectorToggle, statusClass, statusText } from '../inspector';
import type { MessageActions } from '../render/actions';
import { renderMessage } from '../render/message';
import { renderWhyToggle } from '../trace/whyView';
import type { EntryContext } from './context';

export function renderTurn(entry: ShownTurn, context: EntryContext): HTMLElement {
  const element = h('div', { className: 'entry turn', attrs: { 'data-entry-id': String(entry.id) } });
  if (entry.user) {
    element.append(renderUserBubble(entry.user.text, entry.user.buttonId));
  }
  const actions: MessageActions = {
    interactive: !context.readOnly,
    send: (input) => context.send(input),
    openLink: (url) => context.post({ type: 'openLink', url }),
  };
  const messages = Array.isArray(entry.messages) ? entry.messages : [];
  // A session that starts mid-conversation (a fork, a restored chat) greets with nothing: no empty
  // bot bubble then, only its meta line. A reply with no messages says so: that is worth seeing.
  const emptyGreeting = Array.isArray(entry.messages) && entry.messages.length === 0 && !entry.user;
  if (!emptyGreeting) {
    const bot = h('div', { className: 'bot-messages' }, [visuallyHidden('Bot:')]);
    bot.append(...messages.map((message) => renderMessage(message, actions)));
    if (messages.length === 0) {
      bot.append(h('p', { className: 'no-messages', text: 'No messages in this reply' }));
    }
    element.append(bot);
  }
  element.append(renderMeta(entry, context));
  if (entry.traced) {
    element.classList.add('traced');
    // Clicking the turn (not one of its controls) shows its variables; the Why? button does the
    // same from the keyboard.
    element.addEventListener('click', (event) => {
      if (!(event.target instanceof Element) || event.target.closest('button, a, input, select, textarea, summary, vscode-button') === null) {
        context.select(entry.id);
      }
    });
  }
  return element;
}

function renderUserBubble(text: string, buttonId: string | undefined): HTMLElement {
  const bubble = h('div', { className: 'bubble user' }, [visuallyHidden('You:'), h('p', { className: 'message-text', text: String(text) })]);
  if (buttonId !== undefined) {
    bubble.append(h('span', { className: 'user-button-id', text: `button id: ${buttonId}` }));
  }
  return bubble;
}

function renderMeta(entry: ShownTurn, context: EntryContext): HTMLElement {
  const meta = h('div', { className: 'entry-meta' });
  if (entry.currentState) {
    const state = entry.currentState;
    const fromTrace = entry.stateFrom === 'sandbox-trace';
    const title = fromTrace
      ? `Reveal state '${state}' in the flow. Sarufi reports no state when a session starts; the local sandbox's trace says the greeting came from here.`
      : `Reveal state '${state}' in the flow`;
    const badge = h('button', { className: 'state-badge', attrs: { type: 'button', title } }, [
      h('span', { className: 'state-badge-label', text: 'state' }),
      ' ',
      h('span', { className: 'state-badge-name', text: state }),
      ...(fromTrace ? [' ', h('span', { className: 'state-badge-source', text: '(sandbox)' })] : []),
    ]);
    badge.addEventListener('click', () => context.post({ type: 'revealState', state }));
    meta.append(badge);
  } else {
    // Sarufi reports no state when a session is created, so a greeting has none to reveal.
    meta.append(h('span', { className: 'state-none', text: 'no state reported' }));
  }
  meta.append(h('span', { className: `turn-status ${statusClass(entry.status)}`, text: statusText(entry) }));
  meta.append(h('span', { className: 'turn-duration', text: formatDuration(entry.durationMs) }));
  meta.append(h('time', { className: 'turn-time', text: formatClock(entry.at), attrs: { datetime: String(entry.at) } }));
  if (entry.inspectable) {
    meta.append(renderInspectorToggle(() => context.inspect(entry.id), () => meta, inspectorCopy((message) => context.post(message), entry.id)));
  }
  // Only a traced turn gets Why?: on Sarufi every turn would carry the same "sandbox only" note,
  // so that note is said once, in the debug bar (webview/chat/debugBar.ts), and in the Why? view
  // of a traced turn whose trace the host no longer has.
  if (entry.traced) {
    meta.append(renderWhyToggle(() => context.trace(entry.id), () => meta, () => context.select(entry.id)));
  }
  // A fork starts a session, which a read-only transcript never does; a turn still waiting for its
  // reply has no state to fork from yet.
  if (!context.readOnly && entry.pending !== true) {
    meta.append(
      button('Fork from here', () => context.post({ type: 'fork', entryId: entry.id }), {
        className: 'link-button fork-button',
        attrs: { title: 'Open a new session that starts where this one stood after this turn' },
      }),
    );
  }
  return meta;
}
