// A document as a file card: icon, name, caption and an "Open" button. The host opens the link,
// after asking the author, so the page never navigates anywhere itself.
import type { DocumentMessage } from '../../../src/flow/botMessages';
import { h } from '../dom';
import type { MessageActions } from './actions';
import { httpUrl, renderRefusedMedia } from './media';

export function renderDocument(message: DocumentMessage, actions: MessageActions): HTMLElement {
  const url = httpUrl(message.media_url);
  if (!url) {
    return renderRefusedMedia('Document', message);
  }
  const filename = message.media_filename || lastSegment(url) || 'document';
  const caption = message.media_caption;
  const open = h('button', { className: 'document-open', text: 'Open', attrs: { type: 'button', 'aria-label': `Open ${filename}`, title: url.href } });
  open.addEventListener('click', () => actions.openLink(url.href));
  const details = h('div', { className: 'document-details' }, [h('span', { className: 'document-name', text: filename })]);
  if (caption) {
    details.append(h('span', { className: 'document-caption message-text', text: caption }));
  }
  return h('div', { className: 'bubble bot document-card', attrs: { role: 'group', 'aria-label': `Document ${filename}` } }, [
    fileIcon(),
    details,
    open,
  ]);
}

/** The file name a URL ends with, decoded; '' for a bare host. */
export function lastSegment(url: URL): string {
  const segment = url.pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A page-with-folded-corner outline drawn in the text colour (no icon font is loaded under the CSP). */
function fileIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', 'document-icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', 'M4 1.5h5l3.5 3.5v9.5h-8.5zM9 1.5v3.5h3.5');
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  svg.append(path);
  return svg;
}
