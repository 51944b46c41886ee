import type { AudioMessage } from '../../../src/flow/botMessages';
import { h } from '../dom';
import { httpUrl, renderRefusedMedia } from './media';

export function renderAudio(message: AudioMessage): HTMLElement {
  const url = httpUrl(message.media_url);
  if (!url) {
    return renderRefusedMedia('Audio', message);
  }
  const audio = h('audio', { className: 'media-audio', attrs: { src: url.href, controls: '', preload: 'none', 'aria-label': 'Audio from the bot' } });
  return h('div', { className: 'bubble bot media' }, [audio]);
}
