// Checks a bot's reply against a step's expectations, and renders both sides as the same
// YAML-like text, so that a diff (VS Code's, or the CLI's) highlights only what is wrong: fields
// that match, or that the test does not check, are copied from the actual reply.
import type { GenericMessage } from '../flow/botMessages.js';
import { RegexStoppedError, sharedRegexBudget } from '../sandbox/regexBudget.js';
import type { RegexBudget } from '../sandbox/regexBudget.js';
import type { Expectation, MessageExpectation } from './format.js';

export interface Reply {
  messages: GenericMessage[];
  /** Null for a greeting (the API does not report it there). */
  currentState: string | null;
}

export interface StepCheck {
  passed: boolean;
  /** One plain sentence per mismatch. */
  failures: string[];
  expected: string;
  actual: string;
}

/** The fields of a message as a test sees them. */
interface Seen {
  type: string;
  text?: string;
  buttons?: string[];
  rows?: string[];
  media_url?: string;
}

export function seenOf(message: GenericMessage): Seen {
  switch (message.type) {
    case 'text':
      return { type: 'text', text: message.text };
    case 'buttons':
      return { type: 'buttons', text: message.text, buttons: message.buttons.map((button) => button.id) };
    case 'list':
      return { type: 'list', text: message.text, rows: message.sections.flatMap((section) => section.rows.map((row) => row.id)) };
    case 'image':
    case 'video':
    case 'document':
      return { type: message.type, ...(message.media_caption === undefined ? {} : { text: message.media_caption }), media_url: message.media_url };
    case 'audio':
      return { type: 'audio', media_url: message.media_url };
    case 'unknown': {
      const raw = message.raw as { type?: unknown } | null;
      return { type: typeof raw?.type === 'string' ? raw.type : 'unknown' };
    }
  }
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function seenLines(seen: Seen): string[] {
  const lines = [`type: ${seen.type}`];
  if (seen.text !== undefined) {
    lines.push(`text: ${quote(seen.text)}`);
  }
  if (seen.buttons) {
    lines.push(`buttons: [${seen.buttons.join(', ')}]`);
  }
  if (seen.rows) {
    lines.push(`rows: [${seen.rows.join(', ')}]`);
  }
  if (seen.media_url !== undefined) {
    lines.push(`media_url: ${quote(seen.media_url)}`);
  }
  return lines;
}

function block(lines: string[]): string[] {
  return lines.map((line, index) => (index === 0 ? `- ${line}` : `  ${line}`));
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((value, index) => value === b[index]);
}

/** A test's `regex:` against a text, in the regex worker: a pattern past its budget fails the step. */
async function regexFailure(source: string, text: string | undefined, regex: RegexBudget): Promise<string | null> {
  try {
    return (await regex.test({ source, flags: 'u' }, text ?? '')) ? null : `expected a text matching /${source}/, got ${text === undefined ? 'no text' : quote(text)}`;
  } catch (error) {
    if (error instanceof RegexStoppedError) {
      return error.message;
    }
    throw error;
  }
}

/** Checks one message; returns what went wrong and the expected side of the diff. */
async function checkMessage(expect: MessageExpectation, seen: Seen | undefined, position: number, regex: RegexBudget): Promise<{ failures: string[]; lines: string[] }> {
  const failures: string[] = [];
  const where = `message ${position + 1}`;
  if (seen === undefined) {
    const lines = [`type: ${expect.type ?? '(any)'}`];
    if (expect.text !== undefined) {
      lines.push(`text: ${quote(expect.text)}`);
    }
    if (expect.contains !== undefined) {
      lines.push(`text contains: ${quote(expect.contains)}`);
    }
    if (expect.regex !== undefined) {
      lines.push(`text matches: /${expect.regex}/`);
    }
    if (expect.buttons) {
      lines.push(`buttons: [${expect.buttons.join(', ')}]`);
    }
    if (expect.rows) {
      lines.push(`rows: [${expect.rows.join(', ')}]`);
    }
    return { failures: [`${where} is missing`], lines };
  }
  const lines: string[] = [];
  if (expect.type !== undefined && expect.type !== seen.type) {
    failures.push(`${where}: expected type ${expect.type}, got ${seen.type}`);
    lines.push(`type: ${expect.type}`);
  } else {
    lines.push(`type: ${seen.type}`);
  }
  const text = seen.text;
  let textLine = text === undefined ? undefined : `text: ${quote(text)}`;
  if (expect.text !== undefined && expect.text !== text) {
    failures.push(`${where}: expected the text ${quote(expect.text)}, got ${text === undefined ? 'no text' : quote(text)}`);
    textLine = `text: ${quote(expect.text)}`;
  }
  if (expect.contains !== undefined && !(text ?? '').includes(expect.contains)) {
    failures.push(`${where}: expected a text containing ${quote(expect.contains)}, got ${text === undefined ? 'no text' : quote(text)}`);
    textLine = `text contains: ${quote(expect.contains)}`;
  }
  const regexFailed = expect.regex === undefined ? null : await regexFailure(expect.regex, text, regex);
  if (regexFailed !== null) {
    failures.push(`${where}: ${regexFailed}`);
    textLine = `text matches: /${expect.regex ?? ''}/`;
  }
  if (textLine !== undefined) {
    lines.push(textLine);
  }
  for (const key of ['buttons', 'rows'] as const) {
    const wanted = expect[key];
    const got = seen[key];
    if (wanted !== undefined && !sameList(got, wanted)) {
      failures.push(`${where}: expected ${key} [${wanted.join(', ')}], got ${got ? `[${got.join(', ')}]` : `no ${key}`}`);
      lines.push(`${key}: [${wanted.join(', ')}]`);
    } else if (got) {
      lines.push(`${key}: [${got.join(', ')}]`);
    }
  }
  if (expect.media_url !== undefined && expect.media_url !== seen.media_url) {
    failures.push(`${where}: expected media_url ${quote(expect.media_url)}, got ${seen.media_url === undefined ? 'none' : quote(seen.media_url)}`);
    lines.push(`media_url: ${quote(expect.media_url)}`);
  } else if (seen.media_url !== undefined) {
    lines.push(`media_url: ${quote(seen.media_url)}`);
  }
  return { failures, lines };
}

/** Every text a reply shows (texts, captions, button and row titles), for reply-wide `contains`. */
function replyText(messages: GenericMessage[]): string {
  return messages
    .map((message) => {
      switch (message.type) {
        case 'text':
          return message.text;
        case 'buttons':
          return [message.text, ...message.buttons.map((button) => button.title)].join('\n');
        case 'list':
          return [message.text, message.button_text, ...message.sections.flatMap((section) => section.rows.map((row) => row.title))].join('\n');
        case 'audio':
          return '';
        case 'unknown':
          return JSON.stringify(message.raw);
        default:
          return message.media_caption ?? '';
      }
    })
    .join('\n');
}

/** Checks a reply; a `regex:` expectation runs under `regex`'s budget, off this thread. */
export async function checkReply(expect: Expectation, reply: Reply, regex: RegexBudget = sharedRegexBudget()): Promise<StepCheck> {
  const failures: string[] = [];
  const expected: string[] = [];
  const actual: string[] = [];
  if (reply.currentState !== null || expect.state !== undefined) {
    actual.push(`current_state: ${reply.currentState ?? '(not reported)'}`);
    if (expect.state !== undefined && expect.state !== reply.currentState) {
      failures.push(`expected current_state ${expect.state}, got ${reply.currentState ?? 'none'}`);
      expected.push(`current_state: ${expect.state}`);
    } else {
      expected.push(actual[actual.length - 1] ?? '');
    }
  }
  const seen = reply.messages.map(seenOf);
  actual.push('messages:');
  expected.push('messages:');
  seen.forEach((message) => actual.push(...block(seenLines(message))));
  if (expect.messages === undefined) {
    seen.forEach((message) => expected.push(...block(seenLines(message))));
  } else {
    for (const [position, wanted] of expect.messages.entries()) {
      const result = await checkMessage(wanted, seen[position], position, regex);
      failures.push(...result.failures);
      expected.push(...block(result.lines));
    }
    if (seen.length > expect.messages.length) {
      failures.push(`expected ${expect.messages.length} message${expect.messages.length === 1 ? '' : 's'}, got ${seen.length}`);
    }
  }
  if (expect.contains !== undefined) {
    const all = replyText(reply.messages);
    for (const wanted of expect.contains) {
      if (!all.includes(wanted)) {
        failures.push(`expected the reply to contain ${quote(wanted)}`);
        expected.push(`reply contains: ${quote(wanted)}`);
        actual.push(`reply contains: (not found)`);
      }
    }
  }
  return { passed: failures.length === 0, failures, expected: `${expected.join('\n')}\n`, actual: `${actual.join('\n')}\n` };
}

/** A unified line diff (LCS), `-` expected and `+` actual, for terminals and JUnit reports. */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.replace(/\n$/, '').split('\n');
  const b = actual.replace(/\n$/, '').split('\n');
  const table: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      const row = table[i] as number[];
      row[j] = a[i] === b[j] ? ((table[i + 1] as number[])[j + 1] as number) + 1 : Math.max((table[i + 1] as number[])[j] as number, row[j + 1] as number);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i += 1;
      j += 1;
    } else if (j < b.length && (i >= a.length || ((table[i] as number[])[j + 1] as number) > ((table[i + 1] as number[])[j] as number))) {
      out.push(`+ ${b[j]}`);
      j += 1;
    } else {
      out.push(`- ${a[i]}`);
      i += 1;
    }
  }
  return out.join('\n');
}
