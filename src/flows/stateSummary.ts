// What a state says and where it leads, in words, for the editor's hovers, completion details and
// outline: its messages as text (buttons and rows listed), its ways out, and how many places lead
// to it; and where a variable is set. Read from the symbol index; pure.
import { getNodeValue } from 'jsonc-parser';
import { choicesOf, normaliseMessage } from '../flow/botMessages.js';
import { BUILT_IN_VARIABLES, propertyValue } from './flowSymbols.js';
import type { FlowSymbols, StateReference, StateSymbol } from './flowSymbols.js';

const BUILT_IN_MEANING: Record<string, string> = {
  contact_name: "the user's name (WhatsApp profile name; the sandbox's persona)",
  response: 'the body of the last API_CALL',
};

/** The state's messages, one line each: a text, or a media message, with its buttons or rows after it. */
export function messageLines(state: StateSymbol): string[] {
  const node = propertyValue(state.value, 'message');
  if (!node) {
    return [];
  }
  let raw: unknown;
  try {
    raw = getNodeValue(node);
  } catch {
    // A half-typed message (jsonc-parser's recovery leaves holes) has nothing to say yet.
    return [];
  }
  const lines: string[] = [];
  for (const item of Array.isArray(raw) ? raw : [raw]) {
    if (typeof item === 'string') {
      lines.push(item);
      continue;
    }
    const message = normaliseMessage(item);
    switch (message.type) {
      case 'text':
        lines.push(message.text);
        break;
      case 'buttons':
      case 'list': {
        lines.push(message.text);
        const kind = message.type === 'buttons' ? 'Buttons' : 'Rows';
        lines.push(`${kind}: ${choicesOf(message).map((choice) => `${choice.title} (${choice.id})`).join(', ')}`);
        break;
      }
      case 'unknown':
        lines.push(`(a message the sandbox cannot read: ${message.reason})`);
        break;
      default:
        lines.push(`[${message.type}] ${('media_caption' in message ? message.media_caption : undefined) ?? message.media_url}`);
    }
  }
  return lines;
}

/**
 * The first thing the state says, on one short line (the outline's detail, a completion's detail):
 * read straight from the syntax tree, since the outline and completion ask it of every state.
 */
export function firstLine(state: StateSymbol, width = 80): string {
  const message = propertyValue(state.value, 'message');
  const first = message?.type === 'array' ? message.children?.[0] : message;
  let line = '';
  if (first?.type === 'string') {
    line = first.value as string;
  } else if (first?.type === 'object') {
    const text = propertyValue(first, 'text') ?? propertyValue(first, 'media_caption');
    const type = propertyValue(first, 'type');
    line = text?.type === 'string' ? (text.value as string) : type?.type === 'string' ? `[${String(type.value)}]` : '';
  }
  line = line.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** How one way out reads: `button order → choose_pizza`. */
export function describeWayOut(reference: StateReference): string {
  const how =
    reference.label !== null
      ? `${reference.kind.replace(/s$/, '')} ${reference.label}`
      : reference.kind === 'success_transition'
        ? 'API_CALL succeeds'
        : reference.kind === 'failure_transition'
          ? 'API_CALL fails'
          : reference.kind === 'then' || reference.kind === 'else'
            ? `CONDITION ${reference.kind}`
            : reference.kind;
  return `${how} → ${reference.name}`;
}

export function waysOut(symbols: FlowSymbols, name: string): StateReference[] {
  return symbols.stateReferences.filter((reference) => reference.from === name);
}

/** Markdown for a hover on a state (its key or a reference to it). */
export function stateHover(symbols: FlowSymbols, name: string): string {
  const state = symbols.state(name);
  if (!state) {
    return `No state is named **${escapeMarkdown(name)}** in this flow.`;
  }
  const incoming = symbols.referencesTo(name).length;
  const parts = [`**${escapeMarkdown(name)}**${state.initial ? ' (initial state)' : ''}`];
  const lines = messageLines(state);
  parts.push(lines.length > 0 ? lines.map((line) => `> ${escapeMarkdown(line)}`).join('\n>\n') : '_Sends no message._');
  const out = waysOut(symbols, name);
  parts.push(out.length > 0 ? `Ways out:\n${out.map((reference) => `- ${escapeMarkdown(describeWayOut(reference))}`).join('\n')}` : '_No ways out: the conversation stays here._');
  parts.push(incoming === 1 ? '1 place leads here.' : `${incoming} places lead here.`);
  return parts.join('\n\n');
}

/** Markdown for a hover on a variable: where it is set. */
export function variableHover(symbols: FlowSymbols, name: string): string {
  const where = symbols.settersOf(name).map((setter) =>
    setter.kind === 'answer'
      ? `- the answer to state **${escapeMarkdown(setter.state)}** (stored under its name)`
      : `- \`${setter.kind}\` in state **${escapeMarkdown(setter.state)}**`,
  );
  if (BUILT_IN_VARIABLES.includes(name)) {
    where.unshift(`- built in: ${BUILT_IN_MEANING[name] ?? 'set by the engine'}`);
  }
  const title = `Variable **${escapeMarkdown(name)}**`;
  return where.length > 0 ? `${title}, set by:\n${where.join('\n')}` : `${title} is never set in this flow.`;
}

export function intentHover(symbols: FlowSymbols, name: string): string {
  const uses = symbols.intentReferences.filter((reference) => reference.name === name).length;
  const defined = symbols.intents.some((intent) => intent.name === name);
  return `Intent **${escapeMarkdown(name)}**: ${defined ? 'defined in this flow\'s "intents"' : 'not defined in this flow\'s "intents"'}; used by ${uses} transition${uses === 1 ? '' : 's'}.`;
}

export function integrationHover(symbols: FlowSymbols, name: string, inSandboxConfig: boolean): string {
  const where = symbols.integrations.some((integration) => integration.name === name)
    ? 'this flow\'s "integrations"'
    : inSandboxConfig
      ? 'sarufi.sandbox.json'
      : 'nowhere the sandbox reads (add it to sarufi.sandbox.json or the flow\'s "integrations")';
  const uses = symbols.integrationReferences.filter((reference) => reference.name === name).length;
  return `Integration **${escapeMarkdown(name)}**: defined in ${where}; called by ${uses} API_CALL${uses === 1 ? '' : 's'}.`;
}

/** Bot texts are data: Markdown characters in them are shown, not interpreted. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
