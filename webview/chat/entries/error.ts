// An error, in place in the conversation, in plain words, with the one button that fixes it.
import type { ErrorRemedy } from '../../../src/chat/transcript';
import type { ShownError, WebviewToHost } from '../../../src/protocol';
import { button, h } from '../dom';
import { formatClock } from '../format';
import { inspectorCopy, renderInspectorToggle } from '../inspector';
import type { EntryContext } from './context';

const REMEDIES: Record<Exclude<ErrorRemedy, 'none'>, { label: string; message: (entry: ShownError) => WebviewToHost }> = {
  'new-session': { label: 'Start new session', message: () => ({ type: 'newSession' }) },
  'set-key': { label: 'Set API Key', message: () => ({ type: 'setApiKey' }) },
  retry: { label: 'Retry', message: (entry) => ({ type: 'retry', entryId: entry.id }) },
};

export function renderError(entry: ShownError, context: EntryContext): HTMLElement {
  const element = h('div', { className: 'entry error-entry', attrs: { 'data-entry-id': String(entry.id), role: 'group', 'aria-label': 'Error' } }, [
    h('p', { className: 'error-message' }, [h('span', { className: 'error-label', text: 'Error: ' }), String(entry.message)]),
  ]);
  const meta = h('div', { className: 'entry-meta' });
  if (typeof entry.status === 'number') {
    meta.append(h('span', { className: 'turn-status status-failed', text: `HTTP ${entry.status}` }));
  }
  meta.append(h('time', { className: 'turn-time', text: formatClock(entry.at), attrs: { datetime: String(entry.at) } }));
  const remedy = entry.remedy === 'none' ? undefined : REMEDIES[entry.remedy];
  if (remedy) {
    const remedyButton = button(remedy.label, () => context.post(remedy.message(entry)), { className: 'remedy-button' });
    // Set API Key only opens a prompt in the editor; the others start requests.
    remedyButton.disabled = context.readOnly && entry.remedy !== 'set-key';
    meta.prepend(remedyButton);
  }
  if (entry.inspectable) {
    meta.append(renderInspectorToggle(() => context.inspect(entry.id), () => meta, inspectorCopy((message) => context.post(message), entry.id)));
  }
  element.append(meta);
  return element;
}
