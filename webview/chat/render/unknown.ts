import type { UnknownMessage } from '../../../src/flow/botMessages';
import { isKnownType, isRecord } from '../../../src/flow/botMessages';
import { renderRawBlock } from './rawBlock';

/** A message the client could not read: its raw JSON under a label that says why. */
export function renderUnknown(message: UnknownMessage): HTMLElement {
  const reason = typeof message.reason === 'string' ? message.reason : undefined;
  return renderRawBlock(unreadableLabel(isRecord(message.raw) ? message.raw.type : undefined), reason, message.raw);
}

/** "Unknown message type 'carousel'" for a type the panel does not know, "Malformed 'list' message" for one it does. */
export function unreadableLabel(type: unknown): string {
  if (typeof type !== 'string') {
    return 'Malformed message (no type)';
  }
  return isKnownType(type) ? `Malformed '${type}' message` : `Unknown message type '${type}'`;
}
