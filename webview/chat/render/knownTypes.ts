import type { KnownMessageType } from '../../../src/sarufi/types';

// A Record, so that a new message type in types.ts is a compile error here until it is listed.
const KNOWN: Record<KnownMessageType, true> = {
  text: true,
  buttons: true,
  list: true,
  image: true,
  document: true,
  video: true,
  audio: true,
};

export function isKnownType(type: unknown): type is KnownMessageType {
  return typeof type === 'string' && Object.hasOwn(KNOWN, type);
}
