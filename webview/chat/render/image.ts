import type { ImageMessage } from '../../../src/flow/botMessages';
import { h } from '../dom';
import { httpUrl, renderCaption, renderRefusedMedia } from './media';

export function renderImage(message: ImageMessage): HTMLElement {
  const url = httpUrl(message.media_url);
  if (!url) {
    return renderRefusedMedia('Image', message);
  }
  const caption = message.media_caption;
  const image = h('img', { className: 'media-image', attrs: { src: url.href, alt: caption ?? 'Image from the bot', loading: 'lazy' } });
  const figure = h('figure', { className: 'bubble bot media' }, [image, ...renderCaption(caption)]);
  // A broken link should say so rather than leave an empty box.
  image.addEventListener('error', () => {
    image.replaceWith(h('p', { className: 'media-failed', text: `Image could not be loaded: ${url.href}` }));
  });
  return figure;
}
