// One sandbox trace event in plain words: "Matched button `yes` → size". The engine's event kinds
// grow (src/flow/engine.ts's TraceEvent), and a trace crosses postMessage as plain JSON, so every
// field is read as unknown: a kind this page does not know, or a field it does not name, still
// shows, as key/value lines, instead of breaking the Why? view.
import type { TraceEvent } from '../../../src/flow/engine';
import { isRecord } from '../../../src/flow/botMessages';
import { MASKED_VALUE } from '../../../src/protocol';
import { formatDuration } from '../format';

/** Words, and names shown as code (states, button ids, expressions). */
export type Part = string | { code: string };

export interface DescribedEvent {
  kind: string;
  parts: Part[];
  /** Fields the words do not say, shown beside them as key/value lines. */
  extra: [string, unknown][];
  /** An API_CALL's request and response, shown behind a disclosure. */
  exchange?: { request: unknown; response: unknown };
}

type Fields = Record<string, unknown>;

/** Each known kind: its words, and the fields they say (the rest become key/value lines). */
const KNOWN: Partial<Record<TraceEvent['type'], { says: readonly string[]; describe: (event: Fields) => Part[] }>> = {
  enter: { says: ['state'], describe: (event) => ['Entered state ', code(event.state)] },
  transition: { says: ['from', 'to', 'trigger', 'key', 'pattern', 'score', 'value', 'status'], describe: describeTransition },
  no_match: {
    says: ['state', 'input'],
    describe: (event) => ['Nothing matched ', quote(event.input), ' in ', code(event.state), ': the state asks again'],
  },
  variable: { says: ['name', 'value'], describe: (event) => ['Saved ', code(event.name), ' = ', shortValue(event.value)] },
  api_call: {
    says: ['state', 'method', 'url', 'status', 'ok', 'error', 'durationMs', 'fireAndForget', 'mocked', 'request', 'response'],
    describe: describeApiCall,
  },
  condition: {
    says: ['state', 'expression', 'result'],
    describe: (event) => ['CONDITION ', code(event.expression), ` was ${typeof event.result === 'boolean' ? String(event.result) : shortValue(event.result)}`],
  },
  llm_agent: {
    says: ['state', 'model'],
    describe: (event) =>
      typeof event.model === 'string' ? ['LLM_AGENT answered with model ', code(event.model)] : ['LLM_AGENT: no model set, a labelled stand-in answered'],
  },
  loop_guard: {
    says: ['state', 'moves'],
    describe: (event) => [`Stopped after ${String(event.moves)} automatic moves in `, code(event.state), ' (loop guard): check the flow for a loop'],
  },
};

export function describeEvent(value: unknown): DescribedEvent {
  if (!isRecord(value)) {
    return { kind: 'unknown', parts: ['An event this page cannot read: ', shortValue(value)], extra: [] };
  }
  const kind = typeof value.type === 'string' ? value.type : 'unknown';
  const known = Object.hasOwn(KNOWN, kind) ? KNOWN[kind as TraceEvent['type']] : undefined;
  const says = new Set(['type', ...(known?.says ?? [])]);
  const extra = Object.entries(value).filter(([key]) => !says.has(key));
  const described: DescribedEvent = { kind, parts: known ? known.describe(value) : ['Event ', code(kind)], extra };
  if (kind === 'api_call' && (value.request !== undefined || value.response !== undefined)) {
    described.exchange = { request: value.request, response: value.response };
  }
  return described;
}

/** The engine's TriggerDetail: `key` (button id, keyword key, regex key, intent name, a CONDITION's expression), `pattern`, `score`, `value`, `status`. */
function describeTransition(event: Fields): Part[] {
  const to: Part[] = [' → ', code(event.to)];
  const key = event.key;
  const score = typeof event.score === 'number' ? [` (score ${event.score.toFixed(2)})`] : [];
  const status = typeof event.status === 'number' ? ` (${event.status})` : event.status === null ? ' (no answer)' : '';
  switch (event.trigger) {
    case 'button':
      return ['Matched button ', code(key), ...to];
    case 'keyword':
      return ['Matched keyword ', code(key), ...to];
    case 'regex':
      return ['Matched regex ', { code: `/${String(event.pattern ?? key)}/` }, ...to];
    case 'intent':
      return ['Intent ', code(key), ...score, ...to];
    case 'cancel_intent':
      return ['Intent ', code(key ?? 'cancel'), ...score, ' cancels the flow', ...to];
    case 'default':
      return ['No trigger matched: default', ...to];
    case 'always':
      return ['Moved on automatically (always)', ...to];
    case 'condition':
      // The engine's `condition` event, just before, already says "CONDITION x was true": the move
      // says which branch that took, not the same words again.
      return typeof event.value === 'boolean' ? [`Took its ${event.value ? 'then' : 'else'} branch`, ...to] : ['Moved on by the CONDITION', ...to];
    case 'api_success':
      return [`API_CALL succeeded${status}: its success transition`, ...to];
    case 'api_failure':
      return [`API_CALL failed${status}: its failure transition`, ...to];
    case 'api_fired':
      return ['API_CALL sent without waiting (fire and forget): the default transition', ...to];
    default:
      return ['Moved on (', code(event.trigger), ')', ...(key === undefined ? [] : [' by ', code(key)]), ...to];
  }
}

function describeApiCall(event: Fields): Part[] {
  const parts: Part[] = ['API_CALL ', `${String(event.method)} `, code(event.url), ' → '];
  if (event.fireAndForget === true) {
    parts.push('not awaited (fire and forget)');
  } else if (typeof event.status === 'number') {
    parts.push(`${event.status}`);
  } else {
    parts.push(`no response${typeof event.error === 'string' && event.error ? `: ${event.error}` : ''}`);
  }
  if (typeof event.status === 'number' && typeof event.error === 'string' && event.error) {
    parts.push(` (${event.error})`);
  }
  if (event.fireAndForget !== true && typeof event.durationMs === 'number') {
    parts.push(` in ${formatDuration(event.durationMs)}`);
  }
  if (event.mocked === true) {
    parts.push(' (mocked)');
  }
  return parts;
}

function code(value: unknown): Part {
  return { code: typeof value === 'string' ? value : shortValue(value) };
}

function quote(value: unknown): string {
  return `“${typeof value === 'string' ? value : shortValue(value)}”`;
}

const SHORT = 80;

/** A value on one line, cut to a readable length; a masked value reads as masked. */
export function shortValue(value: unknown): string {
  if (value === MASKED_VALUE) {
    return `${MASKED_VALUE} (masked)`;
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  const characters = [...text];
  return characters.length > SHORT ? `${characters.slice(0, SHORT - 1).join('')}…` : text;
}
