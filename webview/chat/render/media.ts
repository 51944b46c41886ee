// What every media renderer shares: the http(s) check and the notice shown instead of media the
// page refuses to load.
import { h } from '../dom';
import { renderRawBlock } from './rawBlock';

/** The URL when it is an absolute http(s) URL; null for anything else (javascript:, data:, file:, relative, junk). */
export function httpUrl(value: unknown): URL | null {
  if (typeof value !== 'string') {
    return null;
  }
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

export function renderRefusedMedia(kind: string, raw: unknown): HTMLElement {
  return renderRawBlock(`${kind} not shown: its URL is not http(s)`, 'Only http and https media are loaded.', raw);
}

export function renderCaption(caption: string | undefined): HTMLElement[] {
  return caption ? [h('figcaption', { className: 'message-text media-caption', text: caption })] : [];
}
