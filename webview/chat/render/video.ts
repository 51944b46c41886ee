import type { VideoMessage } from '../../../src/flow/botMessages';
import { h } from '../dom';
import { httpUrl, renderCaption, renderRefusedMedia } from './media';

export function renderVideo(message: VideoMessage): HTMLElement {
  const url = httpUrl(message.media_url);
  if (!url) {
    return renderRefusedMedia('Video', message);
  }
  const caption = message.media_caption;
  // preload="metadata": a long transcript must not download every video up front.
  const video = h('video', {
    className: 'media-video',
    attrs: { src: url.href, controls: '', preload: 'metadata', 'aria-label': caption ?? 'Video from the bot' },
  });
  return h('figure', { className: 'bubble bot media' }, [video, ...renderCaption(caption)]);
}
