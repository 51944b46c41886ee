// The outline of a flow file (Outline view, breadcrumbs, Go to Symbol in Editor): its states, the
// initial one marked and each with the first thing it says, then its intents and integrations;
// not every nested JSON key. Pure data; src/host turns it into vscode.DocumentSymbols.
import type { FlowSymbols, Span } from './flowSymbols.js';
import { firstLine } from './stateSummary.js';

export type OutlineKind = 'state' | 'intents' | 'intent' | 'integrations' | 'integration';

export interface OutlineEntry {
  name: string;
  detail: string;
  kind: OutlineKind;
  /** Everything the entry covers (the key and its value). */
  whole: Span;
  /** The name to select and reveal. */
  key: Span;
  children: OutlineEntry[];
}

export function flowOutline(symbols: FlowSymbols): OutlineEntry[] {
  const entries: OutlineEntry[] = symbols.states.map((state) => ({
    name: state.name,
    detail: [state.initial ? 'initial' : '', firstLine(state, 60)].filter((part) => part !== '').join(' · '),
    kind: 'state',
    whole: state.whole,
    key: state.key,
    children: [],
  }));
  const group = (kind: 'intents' | 'integrations', members: { name: string; key: Span; whole: Span }[]): void => {
    const first = members[0];
    const last = members[members.length - 1];
    if (!first || !last) {
      return;
    }
    const whole = { offset: first.whole.offset, length: last.whole.offset + last.whole.length - first.whole.offset };
    entries.push({
      name: kind,
      detail: String(members.length),
      kind,
      whole,
      key: first.key,
      children: members.map((member) => ({
        name: member.name,
        detail: '',
        kind: kind === 'intents' ? 'intent' : 'integration',
        whole: member.whole,
        key: member.key,
        children: [],
      })),
    });
  };
  group('intents', symbols.intents);
  group('integrations', symbols.integrations);
  return entries;
}

/** The states and intents whose names hold the query's letters in order (Go to Symbol in Workspace; VS Code ranks them again). */
export function workspaceSymbolMatches(symbols: FlowSymbols, query: string): { name: string; kind: 'state' | 'intent'; key: Span }[] {
  const wanted = query.toLowerCase();
  return [
    ...symbols.states.filter((state) => holdsInOrder(state.name, wanted)).map((state) => ({ name: state.name, kind: 'state' as const, key: state.key })),
    ...symbols.intents.filter((intent) => holdsInOrder(intent.name, wanted)).map((intent) => ({ name: intent.name, kind: 'intent' as const, key: intent.key })),
  ];
}

function holdsInOrder(name: string, wanted: string): boolean {
  let at = 0;
  const lower = name.toLowerCase();
  for (const char of wanted) {
    at = lower.indexOf(char, at);
    if (at === -1) {
      return false;
    }
    at += 1;
  }
  return true;
}
