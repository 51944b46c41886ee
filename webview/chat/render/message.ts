// The one entry point from a GenericMessage to its DOM: one renderer per type, and a labelled raw
// block for anything unknown, malformed, or that throws while rendering. Nothing a bot sends can
// break the panel.
import type { GenericMessage, KnownMessage, UnknownMessage } from '../../../src/flow/botMessages';
import type { MessageActions } from './actions';
import { renderAudio } from './audio';
import { renderButtons } from './buttons';
import { renderDocument } from './document';
import { renderImage } from './image';
import { isRecord, normaliseMessage } from '../../../src/flow/botMessages';
import { renderList } from './list';
import { renderRawBlock } from './rawBlock';
import { renderText } from './text';
import { renderUnknown, unreadableLabel } from './unknown';
import { renderVideo } from './video';
import { renderWhatsappWarnings } from './whatsapp';

export function renderMessage(message: GenericMessage, actions: MessageActions): HTMLElement {
  // The type says GenericMessage, but it came through postMessage: read it again with the reader
  // the client used, so the renderers below can trust every field.
  const value: unknown = message;
  if (!isRecord(value)) {
    return renderRawBlock('Malformed message (not an object)', undefined, value);
  }
  try {
    if (value.type === 'unknown') {
      return renderUnknown(message as UnknownMessage);
    }
    const read = normaliseMessage(value);
    if (read.type === 'unknown') {
      return renderUnknown(read);
    }
    const bubble = renderKnown(read, actions);
    const warnings = renderWhatsappWarnings(read);
    if (warnings) {
      bubble.append(warnings);
    }
    return bubble;
  } catch (error) {
    return renderRawBlock(unreadableLabel(value.type), error instanceof Error ? error.message : String(error), value);
  }
}

function renderKnown(message: KnownMessage, actions: MessageActions): HTMLElement {
  switch (message.type) {
    case 'text':
      return renderText(message);
    case 'buttons':
      return renderButtons(message, actions);
    case 'list':
      return renderList(message, actions);
    case 'image':
      return renderImage(message);
    case 'document':
      return renderDocument(message, actions);
    case 'video':
      return renderVideo(message);
    case 'audio':
      return renderAudio(message);
  }
}
