// Which states and transitions of a flow file a suite reached. The Chat API reports only the
// `current_state` after each turn, so the path in between is inferred from the flow model: the
// transition the input takes from the previous state (the sandbox's own matching rules), then
// the shortest chain of automatic moves (`always`, action routes) to the reported state. The
// greeting is inferred the same way from the initial state. Pure Node: no `vscode`.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import type { FlowEdge, FlowModel } from '../flow/flowTypes.js';
import { childPath } from '../flow/flowPaths.js';
import { clickedChoice, matchTransition } from '../flow/matching.js';
import { patternKey } from '../flow/regexWarnings.js';
import { analyzeFlow } from '../flow/validator.js';
import { RegexStoppedError, sharedRegexBudget } from '../sandbox/regexBudget.js';
import type { RegexBudget } from '../sandbox/regexBudget.js';
import type { ObservedTurn } from './runner.js';

export interface CoveredState {
  name: string;
  reached: boolean;
  /** 0-based line of the state's key in the flow file, or null when it could not be located. */
  line: number | null;
}

export interface CoveredTransition {
  from: string;
  to: string;
  kind: FlowEdge['kind'];
  path: string;
  reached: boolean;
  line: number | null;
}

/** A regex trigger that ran past the regex budget while coverage was inferred: the turns it would decide are guessed. */
export interface StoppedRegexTrigger {
  state: string;
  key: string;
  reason: string;
  line: number | null;
}

export interface FlowCoverage {
  flowPath: string;
  states: CoveredState[];
  transitions: CoveredTransition[];
  stoppedRegexes: StoppedRegexTrigger[];
}

class UnansweredRegex extends Error {}

/**
 * Which of a flow's regex triggers match which sent texts, asked of the regex worker (under its
 * budget) before inference, so that inferring never runs a flow's pattern in this thread.
 */
export class RegexTriggerAnswers {
  private readonly answers = new Map<string, boolean>();
  /** Patterns (patternKey) that ran past the budget, with why. */
  readonly stopped = new Map<string, string>();

  static ask(patterns: readonly RegExp[], texts: Iterable<string>, budget: RegexBudget): Promise<RegexTriggerAnswers> {
    return RegexTriggerAnswers.askAll([...texts].flatMap((text) => patterns.map((pattern) => ({ pattern, text }))), budget);
  }

  /** Each pattern against its text (as matchTransition trims it), each pair once. */
  static async askAll(questions: readonly { pattern: RegExp; text: string }[], budget: RegexBudget): Promise<RegexTriggerAnswers> {
    const result = new RegexTriggerAnswers();
    const unique = new Map(questions.map(({ pattern, text }) => [`${patternKey(pattern)}\u0000${text.trim()}`, { pattern, text: text.trim() }]));
    await Promise.all(
      [...unique].map(async ([key, { pattern, text }]) => {
        try {
          result.answers.set(key, await budget.test(pattern, text));
        } catch (error) {
          if (!(error instanceof RegexStoppedError)) {
            throw error;
          }
          result.stopped.set(patternKey(pattern), error.message);
        }
      }),
    );
    return result;
  }

  /** For matchTransition: a pattern and text not answered (stopped) leaves the turn's trigger unknown. */
  readonly test = (pattern: RegExp, text: string): boolean => {
    const answer = this.answers.get(`${patternKey(pattern)}\u0000${text}`);
    if (answer === undefined) {
      throw new UnansweredRegex();
    }
    return answer;
  };
}

/** The regex triggers of the state each sent text was typed in, walked as flowCoverage walks the runs. */
function regexQuestions(model: FlowModel, runs: readonly (readonly ObservedTurn[])[]): { pattern: RegExp; text: string }[] {
  const questions: { pattern: RegExp; text: string }[] = [];
  for (const turns of runs) {
    let at: string = model.initialState;
    for (const turn of turns) {
      if (turn.sent === null) {
        at = followAlways(model, model.initialState).state;
        continue;
      }
      const text = turn.sent.message;
      questions.push(...regexTriggers(model, at).map((pattern) => ({ pattern, text })));
      at = turn.currentState ?? at;
    }
  }
  return questions;
}

/** The worker's answers for every regex trigger a walk of these conversations may test (walkTurns). */
export function askForTurns(model: FlowModel, runs: readonly (readonly ObservedTurn[])[], budget: RegexBudget = sharedRegexBudget()): Promise<RegexTriggerAnswers> {
  return RegexTriggerAnswers.askAll(regexQuestions(model, runs), budget);
}

/** Every regex trigger of the flow, or of one state. */
export function regexTriggers(model: FlowModel, state?: string): RegExp[] {
  const states = state === undefined ? [...model.states.values()] : [model.states.get(state)].filter((item) => item !== undefined);
  return states.flatMap((item) => item.transitions.regex.map((rule) => rule.pattern));
}

const AUTOMATIC: ReadonlySet<FlowEdge['kind']> = new Set(['always', 'action']);

/** Shortest path of edges from → to, using only edges `allowed` lets through (BFS, file order). */
function shortestPath(model: FlowModel, from: string, to: string, allowed: (edge: FlowEdge) => boolean): FlowEdge[] | null {
  if (from === to) {
    return [];
  }
  const previous = new Map<string, FlowEdge>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const state = queue.shift() as string;
    for (const edge of model.edges) {
      if (edge.from !== state || !allowed(edge) || seen.has(edge.to)) {
        continue;
      }
      seen.add(edge.to);
      previous.set(edge.to, edge);
      if (edge.to === to) {
        const path: FlowEdge[] = [];
        for (let at = to; at !== from; ) {
          const step = previous.get(at) as FlowEdge;
          path.unshift(step);
          at = step.from;
        }
        return path;
      }
      queue.push(edge.to);
    }
  }
  return null;
}

/** How many messages entering a state sends (its message, SEND_MESSAGE actions, the LLM_AGENT notice). */
function messagesOnEntry(model: FlowModel, name: string): number {
  const state = model.states.get(name);
  if (!state) {
    return 0;
  }
  const fromActions = state.actions.reduce(
    (sum, action) => sum + (action.type === 'SEND_MESSAGE' ? action.messages.length : action.type === 'LLM_AGENT' ? 1 : 0),
    0,
  );
  return state.messages.length + fromActions;
}

/**
 * Among the automatic paths from `from` to `to` (simple paths, at most 200 looked at), the one
 * whose states would send as many messages as the reply had; the shortest among equals. Two
 * CONDITION branches that meet again (a bulk offer, or not) differ only in that count.
 */
function likeliestAutomaticPath(model: FlowModel, from: string, to: string, replyCount: number): FlowEdge[] | null {
  let best: { path: FlowEdge[]; score: number } | null = null;
  let looked = 0;
  const visit = (at: string, path: FlowEdge[], seen: Set<string>): void => {
    if (looked >= 200) {
      return;
    }
    if (at === to) {
      looked += 1;
      const count = messagesOnEntry(model, from) + path.reduce((sum, edge) => sum + messagesOnEntry(model, edge.to), 0);
      const score = Math.abs(count - replyCount) * 1000 + path.length;
      if (!best || score < best.score) {
        best = { path: [...path], score };
      }
      return;
    }
    for (const edge of model.edges) {
      if (edge.from === at && AUTOMATIC.has(edge.kind) && !seen.has(edge.to)) {
        seen.add(edge.to);
        path.push(edge);
        visit(edge.to, path, seen);
        path.pop();
        seen.delete(edge.to);
      }
    }
  };
  visit(from, [], new Set([from]));
  return (best as { path: FlowEdge[] } | null)?.path ?? null;
}

/** Where each kind of input transition sits under a state's `transitions`. */
const SECTIONS: Partial<Record<FlowEdge['kind'], string>> = { button: 'buttons', keyword: 'keywords', regex: 'regex', intent: 'intents' };

/** The edges a turn most likely took from `from` to `to`. */
export function inferEdges(model: FlowModel, from: string, turn: ObservedTurn, to: string, regex: RegexTriggerAnswers): FlowEdge[] {
  const state = model.states.get(from);
  if (state && turn.sent) {
    const clicked = clickedChoice(turn.offered, turn.sent.message, turn.sent.buttonId ?? null);
    let match;
    try {
      match = matchTransition(state.transitions, turn.sent.message, clicked, model.intents, regex.test);
    } catch (error) {
      if (!(error instanceof UnansweredRegex)) {
        throw error;
      }
      // A regex trigger that was stopped: which transition the turn took is a guess.
      return shortestPath(model, from, to, () => true) ?? [];
    }
    if (!match) {
      // Nothing matched: the engine stayed and asked again.
      return [];
    }
    const kind = match.trigger;
    // Several buttons (or keywords) may lead to the same state: the key says which one was taken.
    const section = SECTIONS[kind];
    const exact = section === undefined || match.key === undefined ? undefined : childPath(childPath(childPath(state.path, 'transitions'), section), match.key);
    const first =
      model.edges.find((edge) => edge.from === from && edge.kind === kind && edge.path === exact) ??
      model.edges.find((edge) => edge.from === from && edge.to === match.to && edge.kind === kind);
    const rest = first ? likeliestAutomaticPath(model, first.to, to, turn.replyCount) : null;
    if (first && rest) {
      return [first, ...rest];
    }
  }
  return shortestPath(model, from, to, () => true) ?? [];
}

/** Reads a JSON path like `states.menu.transitions.keywords["yes|no"]` or `actions[0].then`. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const pattern = /\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(path)) !== null) {
    if (match[1] !== undefined) {
      segments.push(match[1]);
    } else if (match[2] !== undefined) {
      segments.push(Number(match[2]));
    } else if (match[3] !== undefined) {
      segments.push(JSON.parse(match[3]) as string);
    }
    if (pattern.lastIndex >= path.length) {
      break;
    }
  }
  return segments;
}

/** 0-based lines of JSON paths in a flow file's text (a flow file is JSON, so YAML reads it with positions). */
export function flowLineLocator(text: string): (path: string) => number | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const root = doc.contents;
  const wrapped = isMap(root) && root.items.some((pair) => isScalar(pair.key) && pair.key.value === 'states');
  return (path) => {
    let segments = pathSegments(path);
    if (!wrapped && segments[0] === 'states') {
      // Issue paths always start with `states.`, whichever shape the file has.
      segments = segments.slice(1);
    }
    let node: Node | null = root as Node | null;
    let keyNode: Node | null = null;
    for (const segment of segments) {
      if (typeof segment === 'number' && isSeq(node)) {
        node = (node.items[segment] as Node | undefined) ?? null;
        keyNode = node;
      } else if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        keyNode = (pair?.key as Node | undefined) ?? null;
        node = (pair?.value as Node | undefined) ?? null;
      } else {
        return null;
      }
      if (!keyNode) {
        return null;
      }
    }
    return keyNode?.range ? lineCounter.linePos(keyNode.range[0]).line - 1 : null;
  };
}

/** One move of a conversation on the flow: the edge it took into `to`, or null when none could be told. */
export interface WalkStep {
  from: string;
  to: string;
  edge: FlowEdge | null;
}

/**
 * The moves a conversation made, in order, from its observed turns: the greeting from the initial
 * state with its automatic moves, then each turn's inferred edges. Coverage, the flow graph's
 * live path and a failing test's path all read a conversation this one way.
 */
export function walkTurns(model: FlowModel, turns: readonly ObservedTurn[], regex: RegexTriggerAnswers): WalkStep[] {
  const steps: WalkStep[] = [];
  let at: string = model.initialState;
  for (const turn of turns) {
    if (turn.sent === null) {
      // The greeting: the initial state, then its automatic moves, to where the bot waits.
      const waiting = followAlways(model, model.initialState);
      steps.push(...waiting.edges.map((edge) => ({ from: edge.from, to: edge.to, edge })));
      at = waiting.state;
      continue;
    }
    const to = turn.currentState ?? at;
    const edges = inferEdges(model, at, turn, to, regex);
    steps.push(...edges.map((edge) => ({ from: edge.from, to: edge.to, edge })));
    if (edges.length === 0 && to !== at) {
      steps.push({ from: at, to, edge: null });
    }
    at = to;
  }
  return steps;
}

/** Coverage of one flow file by the observed turns of the tests that target it; its regex triggers run under `budget`. */
export async function flowCoverage(flowPath: string, flowText: string, runs: ObservedTurn[][], budget: RegexBudget = sharedRegexBudget()): Promise<FlowCoverage> {
  const analysis = analyzeFlow(JSON.parse(flowText) as unknown);
  const model = analysis.model;
  if (!model) {
    throw new Error(`${flowPath} has no states to cover: ${analysis.errors[0]?.message ?? 'not a flow'}`);
  }
  const regex = await askForTurns(model, runs, budget);
  const reachedStates = new Set<string>();
  const reachedEdges = new Set<FlowEdge>();
  for (const turns of runs) {
    reachedStates.add(model.initialState);
    for (const step of walkTurns(model, turns, regex)) {
      reachedStates.add(step.to);
      if (step.edge) {
        reachedEdges.add(step.edge);
      }
    }
    // A turn that stayed where it was still reached its state (the one that answered it).
    for (const turn of turns) {
      if (turn.sent !== null && turn.currentState !== null) {
        reachedStates.add(turn.currentState);
      }
    }
  }
  const lineOf = flowLineLocator(flowText);
  return {
    flowPath,
    states: [...model.states.values()].map((state) => ({ name: state.name, reached: reachedStates.has(state.name), line: lineOf(state.path) })),
    transitions: model.edges.map((edge) => ({ from: edge.from, to: edge.to, kind: edge.kind, path: edge.path, reached: reachedEdges.has(edge), line: lineOf(edge.path) })),
    stoppedRegexes: [...model.states.values()].flatMap((state) =>
      state.transitions.regex.flatMap((rule) => {
        const reason = regex.stopped.get(patternKey(rule.pattern));
        const path = childPath(childPath(childPath(state.path, 'transitions'), 'regex'), rule.key);
        return reason === undefined ? [] : [{ state: state.name, key: rule.key, reason, line: lineOf(path) }];
      }),
    ),
  };
}

/** The `always` chain from a state (deterministic; stops at actions, whose routes depend on data). */
function followAlways(model: FlowModel, start: string): { state: string; edges: FlowEdge[] } {
  const edges: FlowEdge[] = [];
  let at = start;
  const seen = new Set([at]);
  for (;;) {
    const state = model.states.get(at);
    const hasRoutingAction = state?.actions.some((action) => action.type === 'API_CALL' || action.type === 'CONDITION') ?? false;
    const always = model.edges.find((edge) => edge.from === at && edge.kind === 'always');
    if (!always || hasRoutingAction || seen.has(always.to)) {
      return { state: at, edges };
    }
    edges.push(always);
    at = always.to;
    seen.add(at);
  }
}

/** A state's line and whether a test reached it, with its ways out (the transitions from it). */
export interface StateDetail {
  name: string;
  line: number;
  reached: boolean;
  transitions: { label: string; to: string; line: number; reached: boolean }[];
}

/**
 * The one shape of a flow's coverage that every view reads: VS Code's Test Coverage (a state is a
 * statement, each way out of it a branch) and the report. A state or transition the file does not
 * locate is put on the state's line (or the first), so that both count the same items.
 */
export function coverageDetails(coverage: FlowCoverage): StateDetail[] {
  return coverage.states.map((state) => {
    const line = state.line ?? 0;
    return {
      name: state.name,
      line,
      reached: state.reached,
      transitions: coverage.transitions
        .filter((edge) => edge.from === state.name)
        .map((edge) => ({ label: edgeLabel(edge), to: edge.to, line: edge.line ?? line, reached: edge.reached })),
    };
  });
}

export interface CoverageTotals {
  states: { reached: number; total: number };
  transitions: { reached: number; total: number };
  /** States and transitions together, 0 to 1: the figure VS Code's Test Coverage view shows for the file. */
  overall: number;
}

export function coverageTotals(details: readonly StateDetail[]): CoverageTotals {
  const transitions = details.flatMap((state) => state.transitions);
  const states = { reached: details.filter((state) => state.reached).length, total: details.length };
  const taken = { reached: transitions.filter((edge) => edge.reached).length, total: transitions.length };
  const whole = states.total + taken.total;
  return { states, transitions: taken, overall: whole === 0 ? 1 : (states.reached + taken.reached) / whole };
}

/** The trigger of a way out, as its path names it: `button margherita`, `keyword agiza|order`, `default`. */
export function edgeLabel(edge: Pick<FlowEdge, 'kind' | 'path'>): string {
  const key = pathSegments(edge.path).at(-1);
  return typeof key === 'string' && key !== edge.kind ? `${edge.kind} ${key}` : edge.kind;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '100%' : `${Math.round((part / whole) * 100)}%`;
}

/**
 * A plain-text report: per flow, the overall figure as VS Code's Test Coverage view shows it, the
 * states and transitions apart, then what was not reached, each with its trigger and line.
 */
export function coverageReport(coverages: FlowCoverage[], relative: (path: string) => string = (path) => path): string {
  const lines: string[] = [];
  for (const coverage of coverages) {
    const details = coverageDetails(coverage);
    const { states, transitions, overall } = coverageTotals(details);
    lines.push(
      `${relative(coverage.flowPath)}: ${(overall * 100).toFixed(2)}% of states and transitions (as the Test Coverage view counts them); ` +
        `states ${states.reached}/${states.total} (${percent(states.reached, states.total)}), ` +
        `transitions ${transitions.reached}/${transitions.total} (${percent(transitions.reached, transitions.total)})`,
    );
    for (const state of details.filter((candidate) => !candidate.reached)) {
      lines.push(`  state not reached: ${state.name} (line ${state.line + 1})`);
    }
    for (const state of details) {
      for (const edge of state.transitions.filter((candidate) => !candidate.reached)) {
        lines.push(`  transition not taken: ${state.name} -> ${edge.to} [${edge.label}] (line ${edge.line + 1})`);
      }
    }
    for (const stopped of coverage.stoppedRegexes) {
      lines.push(`  regex trigger of ${stopped.state} not checked: ${stopped.reason}${stopped.line === null ? '' : ` (line ${stopped.line + 1})`}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Coverage for every flow file that some test targeted, from a suite's results. */
export function suiteCoverage(results: { flowPath: string | null; observed: ObservedTurn[] }[], readText: (path: string) => string): Promise<FlowCoverage[]> {
  const byFlow = new Map<string, ObservedTurn[][]>();
  for (const result of results) {
    if (result.flowPath !== null) {
      byFlow.set(result.flowPath, [...(byFlow.get(result.flowPath) ?? []), result.observed]);
    }
  }
  return Promise.all([...byFlow.entries()].map(([flowPath, runs]) => flowCoverage(flowPath, readText(flowPath), runs)));
}
