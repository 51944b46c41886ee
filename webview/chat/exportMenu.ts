// "Export transcript" as a disclosure: one button that opens two choices (JSON, Markdown). The
// host writes the file; the page only says which format.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { h, uniqueId } from './dom';

export type ExportFormat = 'json' | 'markdown';

export function renderExportMenu(exportAs: (format: ExportFormat) => void): HTMLElement {
  const choices = h('div', { className: 'export-choices', attrs: { id: uniqueId('export'), role: 'group', 'aria-label': 'Export format' } });
  const toggle = h('vscode-button', {
    className: 'export-toggle',
    text: 'Export transcript',
    attrs: { secondary: '', 'aria-expanded': 'false', 'aria-controls': choices.id },
  });
  const wrapper = h('div', { className: 'export-menu' }, [toggle, choices]);

  const setOpen = (open: boolean): void => {
    choices.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  };
  const choice = (label: string, format: ExportFormat): HTMLElement => {
    const item = h('vscode-button', { className: 'export-choice', text: label, attrs: { secondary: '' } });
    item.addEventListener('click', () => {
      setOpen(false);
      exportAs(format);
      toggle.focus();
    });
    return item;
  };
  choices.append(choice('Export as JSON', 'json'), choice('Export as Markdown', 'markdown'));
  setOpen(false);

  toggle.addEventListener('click', () => {
    setOpen(choices.hidden);
    if (!choices.hidden) {
      choices.querySelector<HTMLElement>('.export-choice')?.focus();
    }
  });
  wrapper.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !choices.hidden) {
      setOpen(false);
      toggle.focus();
    }
  });
  // Leaving the menu (by click or Tab) closes it, as a menu would.
  wrapper.addEventListener('focusout', (event) => {
    if (!(event.relatedTarget instanceof Node) || !wrapper.contains(event.relatedTarget)) {
      setOpen(false);
    }
  });
  return wrapper;
}
