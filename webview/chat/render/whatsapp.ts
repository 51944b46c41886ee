// The WhatsApp form of a bot message, rendered with it and shown only in the WhatsApp view (the
// `whatsapp` class on the page, webview/chat/chat.css): text cut where WhatsApp cuts it, reply
// buttons past its limit hidden and counted, and every limit the message breaks said beside it in
// the sandbox's own words (src/flow/whatsappLimits.ts). Built once, so toggling the view re-renders
// nothing; a message within the limits costs one check and no extra element.
import type { KnownMessage } from '../../../src/flow/botMessages';
import { WHATSAPP_LIMITS, whatsappWarnings } from '../../../src/protocol';
import { h } from '../dom';

/** Shown in the WhatsApp view only. */
export const WA_ONLY = 'wa-only';
/** Shown outside the WhatsApp view only. */
export const WA_FULL = 'wa-full';
/** Hidden in the WhatsApp view: what WhatsApp would not show at all. */
export const WA_EXTRA = 'wa-extra';

/** `text`, and, when it is longer than `limit` characters, the cut WhatsApp would show instead. */
export function limitedText(text: string, limit: number): Node[] {
  const characters = [...text];
  if (characters.length <= limit) {
    return [document.createTextNode(text)];
  }
  return [
    h('span', { className: WA_FULL, text }),
    h('span', { className: `${WA_ONLY} wa-cut`, attrs: { title: `WhatsApp shows the first ${limit} characters` } }, [
      characters.slice(0, limit).join(''),
      h('span', { className: 'wa-cut-mark', text: `… (cut at ${limit})` }),
    ]),
  ];
}

/** Hides the reply buttons past WhatsApp's limit in its view, and says how many it hides. */
export function hideExtraButtons(buttons: readonly HTMLElement[]): HTMLElement | undefined {
  const extra = buttons.slice(WHATSAPP_LIMITS.buttons);
  if (extra.length === 0) {
    return undefined;
  }
  for (const button of extra) {
    button.classList.add(WA_EXTRA);
  }
  return h('p', {
    className: `${WA_ONLY} wa-hidden-note`,
    text: `${extra.length} more button${extra.length === 1 ? '' : 's'} hidden: WhatsApp shows at most ${WHATSAPP_LIMITS.buttons}`,
  });
}

/** The limits `message` breaks, as a list beside it; undefined when it breaks none. */
export function renderWhatsappWarnings(message: KnownMessage): HTMLElement | undefined {
  const warnings = whatsappWarnings(message, '');
  if (warnings.length === 0) {
    return undefined;
  }
  return h(
    'ul',
    { className: `${WA_ONLY} wa-warnings`, attrs: { 'aria-label': 'WhatsApp limits broken' } },
    warnings.map((warning) => h('li', { className: 'wa-warning', attrs: { 'data-path': warning.path } }, [h('span', { className: 'wa-warning-mark', text: 'Breaks a WhatsApp limit: ' }), warning.message])),
  );
}
