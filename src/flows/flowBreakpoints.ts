// Where a debugger can stop in a flow file, by line: a state's key (on entering it), an action
// (before it runs) and a transition (when that way out is taken). Each place is named by its flow
// path (`states.menu.actions[0]`), the name the engine's steps carry; lines come from jsonc-parser's
// offsets through the same path lookup the Problems panel uses.
import { readFlow } from '../flow/flowReader.js';
import { FlowDocument } from './flowDocument.js';
import { locateIssuePath } from './issuePaths.js';

export type BreakpointKind = 'state' | 'action' | 'transition';

export interface BreakpointPlace {
  kind: BreakpointKind;
  path: string;
  /** Zero-based line of the state's key, the action's opening brace, or the transition's key. */
  line: number;
  /** What the Breakpoints view may say: "state 'menu'", "API_CALL of 'menu'", "button 'order' of 'menu'". */
  label: string;
}

export type LocatedBreakpoint = ({ verified: true } & BreakpointPlace) | { verified: false; line: number; message: string };

interface ActionSpan extends BreakpointPlace {
  lastLine: number;
}

export class FlowBreakpointMap {
  private readonly byLine = new Map<number, BreakpointPlace[]>();
  private readonly actions: ActionSpan[] = [];
  private readonly byPath = new Map<string, BreakpointPlace>();
  /** Why no line can take a breakpoint; null when the file reads as a flow. */
  readonly problem: string | null;

  constructor(text: string) {
    const document = new FlowDocument(text);
    const model = document.parsed ? readFlow(document.value).model : null;
    if (!document.parsed || !model || !document.root) {
      this.problem = document.parsed ? 'This file does not read as a flow (no states), so no line of it is a state, an action or a transition.' : 'This file is not valid JSON yet: fix it, then set the breakpoint again.';
      return;
    }
    this.problem = null;
    const lineOf = (offset: number): number => document.lines.position(offset).line;
    for (const state of document.states()) {
      this.add({ kind: 'state', path: model.states.get(state.name)?.path ?? `states.${state.name}`, line: state.keyRange.start.line, label: `state '${state.name}'` });
    }
    for (const state of model.states.values()) {
      for (const action of state.actions) {
        const located = locateIssuePath(document.root, action.path);
        if (!located.exact || !located.node) {
          continue;
        }
        const place = { kind: 'action' as const, path: action.path, line: lineOf(located.node.offset), label: `${action.type} of '${state.name}'` };
        this.actions.push({ ...place, lastLine: lineOf(located.node.offset + located.node.length) });
        this.byPath.set(place.path, place);
      }
    }
    for (const edge of model.edges) {
      const located = locateIssuePath(document.root, edge.path);
      if (located.exact) {
        this.add({ kind: 'transition', path: edge.path, line: lineOf(located.offset), label: `${edge.kind} → '${edge.to}' of '${edge.from}'` });
      }
    }
  }

  /** Where a breakpoint on `line` stops: a state's key first, then an action that opens on it, the transitions written on it, the action around it. */
  locate(line: number): LocatedBreakpoint {
    if (this.problem !== null) {
      return { verified: false, line, message: this.problem };
    }
    const places = this.byLine.get(line) ?? [];
    // A one-line CONDITION holds its `then` and `else` too: a click on its line means the action.
    const opening = this.actions.find((span) => span.line === line);
    const place = places.find((candidate) => candidate.kind === 'state') ?? (opening && { kind: opening.kind, path: opening.path, line: opening.line, label: opening.label }) ?? places[0];
    if (place) {
      return { verified: true, ...place };
    }
    // The innermost action around the line: a click on its "url" line means the action.
    const action = this.actions.filter((span) => span.line <= line && line <= span.lastLine).sort((a, b) => b.line - a.line)[0];
    if (action) {
      return { verified: true, kind: action.kind, path: action.path, line: action.line, label: action.label };
    }
    return {
      verified: false,
      line,
      message: "A flow stops on a state's key (entering it), an action (before it runs) or a transition (when it is taken); this line is none of these.",
    };
  }

  /** Every place on a line, for the paths a transition line stands for (several keys may share it). */
  placesOn(line: number): BreakpointPlace[] {
    const located = this.locate(line);
    if (!located.verified) {
      return [];
    }
    const onLine = this.byLine.get(located.line) ?? [];
    return located.kind === 'transition' ? onLine.filter((place) => place.kind === 'transition') : [located];
  }

  /** The zero-based line of a flow path, for the Call Stack; null when the file no longer has it. */
  lineOf(path: string): number | null {
    return this.byPath.get(path)?.line ?? null;
  }

  private add(place: BreakpointPlace): void {
    const list = this.byLine.get(place.line) ?? [];
    list.push(place);
    this.byLine.set(place.line, list);
    this.byPath.set(place.path, place);
  }
}
