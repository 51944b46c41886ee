// A list message: its text, then the `button_text` button that opens the sections; each row is a
// button named by its title that answers the bot like a reply button.
import type { ListMessage, ListRow, ListSection } from '../../../src/flow/botMessages';
import { WHATSAPP_LIMITS } from '../../../src/protocol';
import { h, uniqueId } from '../dom';
import type { MessageActions } from './actions';
import { BOT_ACTION_CLASS } from './actions';
import { renderBotButton } from './botButton';
import { limitedText } from './whatsapp';

export function renderList(message: ListMessage, actions: MessageActions): HTMLElement {
  const sections = message.sections.map((section) => renderSection(section, actions));

  const panelId = uniqueId('list');
  const panel = h('div', { className: 'list-panel', attrs: { id: panelId } }, sections);
  panel.hidden = true;
  const toggle = h(
    'button',
    { className: `${BOT_ACTION_CLASS} list-toggle`, attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': panelId } },
    limitedText(message.button_text, WHATSAPP_LIMITS.listButtonText),
  );
  // Opening the list only shows its rows, so it works in a read-only transcript too.
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
  });
  return h('div', { className: 'bubble bot' }, [h('p', { className: 'message-text' }, limitedText(message.text, WHATSAPP_LIMITS.interactiveBody)), toggle, panel]);
}

function renderSection(section: ListSection, actions: MessageActions): HTMLElement {
  const title = section.title ?? '';
  const rows = section.rows.map((row) => renderRow(row, actions));
  const group = h('div', { className: 'list-section', attrs: { role: 'group' } });
  if (title) {
    group.setAttribute('aria-label', title);
    group.append(h('p', { className: 'list-section-title' }, limitedText(title, WHATSAPP_LIMITS.sectionTitle)));
  }
  group.append(...rows);
  return group;
}

function renderRow(choice: ListRow, actions: MessageActions): HTMLButtonElement {
  const { description } = choice;
  const row = renderBotButton(choice, actions, 'list-row');
  // The accessible name is the title alone; the description is read as a description.
  row.textContent = '';
  row.setAttribute('aria-label', choice.title);
  row.append(h('span', { className: 'list-row-title' }, limitedText(choice.title, WHATSAPP_LIMITS.rowTitle)));
  if (description) {
    row.append(h('span', { className: 'list-row-description' }, limitedText(description, WHATSAPP_LIMITS.rowDescription)));
    row.setAttribute('aria-description', description);
  }
  return row;
}
