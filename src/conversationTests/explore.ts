// Explores a flow in the engine, breadth first, to find paths that reach states and transitions no
// test reached yet: it clicks every button and row, types each keyword, an example of each intent,
// strings that match each regex trigger (randexp) and one text that matches nothing, and answers
// every API_CALL from mocks (success, each value the flow's conditions test, failure). Coverage
// is counted as coverage.ts infers it from a run, so a kept path is new coverage for the runner too.
// Turns run through a TurnRunner: generate.ts gives the sandbox's turn pool, so a regex that
// backtracks without end stops its own turn (reported as a stopped input), not the explorer. The
// samples, and the regex checks of coverage inference, run in the regex worker (regexBudget.ts).
import { choicesOf } from '../flow/botMessages.js';
import type { KnownMessage } from '../flow/botMessages.js';
import { Conversation } from '../flow/engine.js';
import type { ConversationSnapshot, TraceEvent, UserInput } from '../flow/engine.js';
import type { ApiCallAction, FlowEdge, FlowModel, StateModel } from '../flow/flowTypes.js';
import { createMockFetch, integrationsWithMocks, mergeMocks } from '../flow/mocks.js';
import type { MockReply, MockSet } from '../flow/mocks.js';
import type { Button } from '../flow/botMessages.js';
import { RegexStoppedError, sharedRegexBudget } from '../sandbox/regexBudget.js';
import type { RegexBudget } from '../sandbox/regexBudget.js';
import { flowCoverage, inferEdges, regexTriggers, RegexTriggerAnswers } from './coverage.js';
import type { FlowCoverage } from './coverage.js';
import type { ObservedTurn } from './runner.js';

/** Paths longer than this are not followed: a flow's loops would otherwise never end. */
const MAX_DEPTH = 16;
/** Turns tried in all; the examples need a few hundred. */
const MAX_TURNS = 5000;
/** How often the search goes on from one state with different variables (conditions read them). */
const EXPANSIONS_PER_STATE = 4;
/** Strings tried per regex trigger: conditions often test the answer (a quantity of 2 or of 7). */
const REGEX_SAMPLES = 3;
/** A text that no keyword, regex or intent is meant to match: it takes `default`, or asks again. */
export const UNMATCHED_TEXT = 'xyzzy plugh';

export interface ExploredStep {
  /** What the step sends: typed text, or a button (with the title it showed, to name the test by). */
  input: { text?: string; buttonId?: string; title?: string };
  /** What the bot answered: the generated test expects these messages. */
  messages: KnownMessage[];
  /** Mocks this step replaces (key → reply), or null when the test's own serve it. */
  mocks: Record<string, MockReply> | null;
  state: string;
}

export interface ExploredPath {
  steps: ExploredStep[];
  /** What the path reaches that was not reached before it, as `state` or `from → to`. */
  reaches: string[];
}

/**
 * An input whose turn did not finish (it ran past the turn budget): the path stops there. Or,
 * with `regexKey`, a regex trigger whose samples could not be made in the regex budget (no input).
 */
export interface StoppedInput {
  state: string;
  input: { text?: string; buttonId?: string };
  reason: string;
  regexKey?: string;
}

export interface Exploration {
  /** The mocks every generated test starts from, as integration → key → reply and url → reply. */
  mocks: MockSet;
  paths: ExploredPath[];
  stopped: StoppedInput[];
}

/** One turn as the explorer needs it: what the bot said, where it went, and what the engine did. */
export interface ExploredTurn {
  messages: KnownMessage[];
  current_state: string;
  trace: TraceEvent[];
  snapshot: ConversationSnapshot;
}

/** Runs the greeting (snapshot and input null) or one turn from `snapshot`, its API_CALLs answered by `mocks`. */
export type TurnRunner = (snapshot: ConversationSnapshot | null, input: UserInput | null, mocks: MockSet) => Promise<ExploredTurn>;

/** Turns in this thread, with no budget: for flows already known to be safe (the unit tests). */
export function engineTurnRunner(model: FlowModel): TurnRunner {
  return async (snapshot, input, mocks) => {
    const integrations = integrationsWithMocks(mocks, model.integrations);
    const options = { integrations, fetch: createMockFetch(mocks, integrations, () => undefined) };
    const conversation = snapshot === null ? new Conversation(model, options) : Conversation.resume(model, snapshot, options);
    const turn = input === null ? await conversation.start() : await conversation.handle(input);
    return { messages: turn.messages, current_state: turn.current_state, trace: turn.trace, snapshot: conversation.snapshot() };
  };
}

interface SearchNode {
  snapshot: ConversationSnapshot;
  offered: Button[];
  steps: ExploredStep[];
}

/** A mock key for an API_CALL: its method and its path or URL, each placeholder a `*`. */
function mockKey(action: ApiCallAction): { integration: string | null; key: string } | null {
  const wild = (template: string): string => template.replace(/\{\{[^{}]*\}\}/g, '*');
  if (action.target.kind === 'integration') {
    const path = wild(action.target.path);
    return { integration: action.target.integration, key: `${action.method} ${path.startsWith('/') ? path : `/${path}`}` };
  }
  const url = wild(action.target.url);
  // A URL kept whole in a variable cannot be told from any other call.
  return /^https?:\/\/[^*/]+/.test(url) ? { integration: null, key: `${action.method} ${url}` } : null;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let at = target;
  path.slice(0, -1).forEach((part) => {
    const next = at[part];
    at = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : (at[part] = {});
  });
  at[path[path.length - 1] as string] = value;
}

/**
 * The success bodies for an API_CALL that saves to `saveTo`: one with every field the flow reads
 * from it, and one more for each value its conditions compare a field with.
 */
function successBodies(flowText: string, saveTo: string | null): unknown[] {
  if (saveTo === null) {
    return [{}];
  }
  const name = saveTo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const base: Record<string, unknown> = {};
  for (const match of flowText.matchAll(new RegExp(`variables\\.${name}((?:\\.\\w+)+)`, 'g'))) {
    const path = (match[1] as string).slice(1).split('.');
    setPath(base, path, `sample ${path.join(' ')}`);
  }
  const bodies: unknown[] = [base];
  const compared = new RegExp(`\\{\\{\\s*variables\\.${name}((?:\\.\\w+)+)\\s*\\}\\}\\s*(?:==|!=)\\s*(?:'([^']*)'|"([^"]*)"|(-?\\d+(?:\\.\\d+)?))`, 'g');
  for (const match of flowText.matchAll(compared)) {
    const path = (match[1] as string).slice(1).split('.');
    const literal = match[4] === undefined ? (match[2] ?? match[3] ?? '') : Number(match[4]);
    const body = structuredClone(base);
    setPath(body, path, literal);
    bodies.push(body);
  }
  return bodies;
}

const FAILURE: MockReply = { status: 500, body: { detail: 'Mocked failure.' }, delayMs: 0 };

interface MockPlan {
  base: MockSet;
  /** Per key, the replies besides the base one. */
  variants: Map<string, { integration: string | null; replies: MockReply[] }>;
}

function planMocks(model: FlowModel, flowText: string): MockPlan {
  const base: MockSet = { integrations: {}, urls: {}, strict: true };
  const variants: MockPlan['variants'] = new Map();
  for (const state of model.states.values()) {
    for (const action of state.actions) {
      if (action.type !== 'API_CALL') {
        continue;
      }
      const located = mockKey(action);
      if (located === null) {
        base.strict = false;
        continue;
      }
      const status = action.method === 'POST' ? 201 : 200;
      const [first, ...others] = successBodies(flowText, action.saveTo).map((body): MockReply => ({ status, body, delayMs: 0 }));
      const known = variants.get(located.key);
      if (known) {
        known.replies.push(...others);
        continue;
      }
      if (located.integration === null) {
        base.urls[located.key] = first as MockReply;
      } else {
        (base.integrations[located.integration] ??= {})[located.key] = first as MockReply;
      }
      variants.set(located.key, { integration: located.integration, replies: [...others, FAILURE] });
    }
  }
  return { base, variants };
}

function override(plan: MockPlan, key: string, reply: MockReply): Partial<MockSet> {
  const integration = plan.variants.get(key)?.integration ?? null;
  return integration === null ? { urls: { [key]: reply } } : { integrations: { [integration]: { [key]: reply } } };
}

async function inputsFor(model: FlowModel, state: StateModel, offered: Button[], regex: RegexBudget, stopped: StoppedInput[]): Promise<UserInput[]> {
  const inputs: UserInput[] = offered.map((choice) => ({ message: choice.title, button_id: choice.id }));
  for (const rule of state.transitions.keywords) {
    inputs.push({ message: rule.key.split('|')[0]?.trim() ?? rule.key });
  }
  for (const rule of state.transitions.regex) {
    try {
      inputs.push(...(await regex.samples(rule.pattern, REGEX_SAMPLES)).map((message) => ({ message })));
    } catch (error) {
      if (!(error instanceof RegexStoppedError)) {
        throw error;
      }
      // Said once per trigger: a stopped pattern is not tried again, whatever state the search is in.
      if (!error.earlier) {
        stopped.push({ state: state.name, input: {}, reason: error.message, regexKey: rule.key });
      }
    }
  }
  for (const rule of state.transitions.intents) {
    const example = model.intents.get(rule.intent)?.[0];
    if (example !== undefined) {
      inputs.push({ message: example });
    }
  }
  inputs.push({ message: UNMATCHED_TEXT });
  return inputs;
}

const edgeKey = (edge: FlowEdge): string => `${edge.path}\u0000${edge.to}`;

/** Paths that reach what `before` did not, each one new path, in the order found (shortest first). */
export async function exploreFlow(
  model: FlowModel,
  flowText: string,
  before: FlowCoverage,
  runTurn: TurnRunner = engineTurnRunner(model),
  regex: RegexBudget = sharedRegexBudget(),
): Promise<Exploration> {
  const plan = planMocks(model, flowText);
  const states = new Set(before.states.filter((state) => state.reached).map((state) => state.name));
  const edges = new Set(before.transitions.filter((edge) => edge.reached).map((edge) => `${edge.path}\u0000${edge.to}`));

  const greeted = await runTurn(null, null, plan.base);
  // Every generated test starts with the greeting: what it reaches is no path's own news.
  const fromGreeting = await flowCoverage(before.flowPath, flowText, [[{ sent: null, offered: [], currentState: null, replyCount: greeted.messages.length }]], regex);
  fromGreeting.states.filter((state) => state.reached).forEach((state) => states.add(state.name));
  fromGreeting.transitions.filter((edge) => edge.reached).forEach((edge) => edges.add(`${edge.path}\u0000${edge.to}`));
  const queue: SearchNode[] = [{ snapshot: greeted.snapshot, offered: greeted.messages.flatMap(choicesOf), steps: [] }];
  const stopped: StoppedInput[] = [];
  const stoppedKeys = new Set<string>();
  const seen = new Set<string>();
  const expansions = new Map<string, number>();
  const found: ExploredPath[] = [];
  let turns = 0;
  while (queue.length > 0 && turns < MAX_TURNS) {
    const node = queue.shift() as SearchNode;
    const from = node.snapshot.current;
    const state = model.states.get(from);
    if (!state || node.steps.length >= MAX_DEPTH) {
      continue;
    }
    for (const input of await inputsFor(model, state, node.offered, regex, stopped)) {
      const tries: (string | null)[] = [null];
      for (let attempt = 0; attempt < tries.length; attempt += 1) {
        const variant = tries[attempt] as string | null;
        const [key, index] = variant === null ? [null, 0] : [variant.split('\u0000')[0] as string, Number(variant.split('\u0000')[1])];
        const reply = key === null ? null : (plan.variants.get(key)?.replies[index] ?? null);
        const mocks = key === null || reply === null ? plan.base : mergeMocks(plan.base, override(plan, key, reply));
        const asStep = input.button_id ? { buttonId: input.button_id, title: input.message } : { text: input.message };
        // An input that stopped once in a state would stop again (and cost the budget again).
        const stopKey = `${from}\u0000${JSON.stringify(asStep)}`;
        if (stoppedKeys.has(stopKey)) {
          continue;
        }
        let turn: ExploredTurn;
        try {
          turn = await runTurn(node.snapshot, input, mocks);
        } catch (error) {
          stoppedKeys.add(stopKey);
          stopped.push({ state: from, input: asStep, reason: error instanceof Error ? error.message : String(error) });
          continue;
        } finally {
          turns += 1;
        }
        if (variant === null) {
          // Only a turn that called a backend is worth trying again with its other answers.
          for (const event of turn.trace) {
            if (event.type !== 'api_call') {
              continue;
            }
            const action = model.states.get(event.state)?.actions.find((candidate): candidate is ApiCallAction => candidate.type === 'API_CALL');
            const located = action ? mockKey(action) : null;
            plan.variants.get(located?.key ?? '')?.replies.forEach((_reply, position) => tries.push(`${located?.key ?? ''}\u0000${position}`));
          }
        }
        const observed: ObservedTurn = {
          sent: input.button_id ? { message: input.message, buttonId: input.button_id } : { message: input.message },
          offered: node.offered,
          currentState: turn.current_state,
          replyCount: turn.messages.length,
        };
        const answers = await RegexTriggerAnswers.ask(regexTriggers(model, from), [input.message], regex);
        const taken = inferEdges(model, from, observed, turn.current_state, answers);
        const reaches = [
          ...taken.filter((edge) => !edges.has(edgeKey(edge))).map((edge) => `${edge.from} → ${edge.to} (${edge.kind})`),
          ...[turn.current_state, ...taken.map((edge) => edge.to)].filter((name, position, all) => !states.has(name) && all.indexOf(name) === position),
        ];
        taken.forEach((edge) => edges.add(edgeKey(edge)));
        states.add(turn.current_state);
        taken.forEach((edge) => states.add(edge.to));
        const step: ExploredStep = {
          input: asStep,
          messages: turn.messages,
          mocks: key === null || reply === null ? null : { [key]: reply },
          state: turn.current_state,
        };
        const child: SearchNode = { snapshot: turn.snapshot, offered: turn.messages.flatMap(choicesOf), steps: [...node.steps, step] };
        if (reaches.length > 0) {
          found.push({ steps: child.steps, reaches });
        }
        const seenKey = `${turn.current_state}\u0000${JSON.stringify(child.snapshot.variables)}`;
        const expanded = expansions.get(turn.current_state) ?? 0;
        if (!seen.has(seenKey) && (reaches.length > 0 || expanded < EXPANSIONS_PER_STATE)) {
          seen.add(seenKey);
          expansions.set(turn.current_state, expanded + 1);
          queue.push(child);
        }
      }
    }
  }
  return { mocks: plan.base, paths: withoutPrefixes(found), stopped };
}

/** A path that another found path goes on from adds nothing as a test of its own. */
function withoutPrefixes(paths: ExploredPath[]): ExploredPath[] {
  const kept: ExploredPath[] = [];
  paths.forEach((path, position) => {
    const longer = paths.findIndex(
      (other, at) => at !== position && other.steps.length > path.steps.length && path.steps.every((step, index) => JSON.stringify(step) === JSON.stringify(other.steps[index])),
    );
    if (longer === -1) {
      kept.push(path);
    } else {
      const host = paths[longer] as ExploredPath;
      host.reaches = [...new Set([...path.reaches, ...host.reaches])];
    }
  });
  return kept;
}
