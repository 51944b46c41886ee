// Reading a state's `message` (a string, one GenericMessage or a list) and rendering it.
import { readBotMessage } from './botMessages.js';
import type { KnownMessage, MessagePath, MessageProblems } from './botMessages.js';
import { childPath } from './flowPaths.js';
import type { IssueCollector } from './flowPaths.js';
import type { PlacedMessage } from './flowTypes.js';
import { hasPlaceholder, renderTextDeep } from './template.js';
import type { Variables } from './template.js';

/** Where a message's problems go: issues at paths in the flow file's own style. */
function problemsAt(path: string, issues: IssueCollector): MessageProblems {
  const at = (relative: MessagePath): string => relative.reduce<string>((out, key) => childPath(out, key), path);
  return {
    error: (relative, text) => issues.error(at(relative), `${text}.`),
    warn: (relative, text) => issues.warn(at(relative), text),
  };
}

/** A message written in a flow: the bot message's shape, plus the shorthand of a plain string and media URLs that a phone can load. */
function readOne(value: unknown, path: string, issues: IssueCollector): KnownMessage | null {
  if (typeof value === 'string') {
    return { type: 'text', text: value };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.error(path, 'A message must be a string or an object with a "type".');
    return null;
  }
  const message = readBotMessage(value, 'authoring', problemsAt(path, issues));
  if (!message) {
    return null;
  }
  if ('media_url' in message && !hasPlaceholder(message.media_url) && !/^https?:\/\/\S+$/i.test(message.media_url)) {
    issues.error(childPath(path, 'media_url'), `'media_url' must be an http(s) URL.`);
    return null;
  }
  return message;
}

/** A state's or SEND_MESSAGE's `message`: a string, one message object, or a list of either. */
export function readMessages(value: unknown, path: string, issues: IssueCollector): PlacedMessage[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => {
      const itemPath = childPath(path, index);
      const message = readOne(item, itemPath, issues);
      return message ? [{ message, path: itemPath }] : [];
    });
  }
  const message = readOne(value, path, issues);
  return message ? [{ message, path }] : [];
}

export function renderMessage(message: KnownMessage, variables: Variables): KnownMessage {
  return renderTextDeep(message, variables) as KnownMessage;
}
