// From a transcript entry to its DOM, whatever the entry holds: an entry that cannot be shown
// becomes a labelled raw block instead of breaking the log.
import type { ShownEntry } from '../../../src/protocol';
import { safeJson } from '../dom';
import { renderRawBlock } from '../render/rawBlock';
import type { EntryContext } from './context';
import { renderDivider } from './divider';
import { renderError } from './error';
import { renderTurn } from './turn';

export function renderEntry(entry: ShownEntry, context: EntryContext): HTMLElement {
  try {
    switch (entry.kind) {
      case 'turn':
        return renderTurn(entry, context);
      case 'error':
        return renderError(entry, context);
      case 'divider':
        return renderDivider(entry);
      default:
        return unreadable(entry, `unknown entry kind '${String((entry as { kind?: unknown }).kind)}'`, context);
    }
  } catch (error) {
    return unreadable(entry, error instanceof Error ? error.message : String(error), context);
  }
}

function unreadable(entry: unknown, reason: string, context: EntryContext): HTMLElement {
  context.post({ type: 'log', level: 'warn', text: `Chat panel could not show an entry (${reason}): ${safeJson(entry).slice(0, 500)}` });
  const element = renderRawBlock('This entry could not be shown', reason, entry);
  element.classList.add('entry');
  return element;
}
