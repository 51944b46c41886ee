// "Generate Tests for Uncovered Paths" (the command and `sarufi-test generate`): runs a flow's
// existing tests to see what they reach, explores the flow for the rest (explore.ts), writes one
// readable test per new path (named by the inputs it sends, expecting what the bot says) into the
// flow's `<flow>.generated/` folder, runs those, and reports coverage before and after
// and what no input could reach. Pure Node: the CLI and the extension's lazy bundle both call it.
import { closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import type { FlowModel } from '../flow/flowTypes.js';
import type { MockReply, MockSet } from '../flow/mocks.js';
import { integrationsWithMocks } from '../flow/mocks.js';
import { analyzeFlow } from '../flow/validator.js';
import { RegexBudget } from '../sandbox/regexBudget.js';
import { TurnPool } from '../sandbox/turnPool.js';
import { flowCoverage } from './coverage.js';
import type { FlowCoverage } from './coverage.js';
import { exploreFlow } from './explore.js';
import type { ExploredPath, StoppedInput, TurnRunner } from './explore.js';
import { parseTestFile } from './format.js';
import { messageYaml } from './fromTranscript.js';
import { oneLine } from '../flow/oneLine.js';
import type { ConversationTest } from './format.js';
import { runConversationTests } from './runner.js';
import type { ObservedTurn, TestResult } from './runner.js';

export const GENERATED_INFIX = '.generated-';

/** A state or transition that no explored input reached, or an input whose turn was stopped, at its line in the flow file. */
export interface UnreachedItem {
  kind: 'state' | 'transition' | 'stopped';
  /** The state, or the state the transition leaves. */
  state: string;
  description: string;
  line: number | null;
}

export interface GenerationSummary {
  flowPath: string;
  written: string[];
  /** How the generated tests ran (they should all pass). */
  generatedResults: TestResult[];
  before: FlowCoverage;
  after: FlowCoverage;
  /** Also the inputs whose turn ran past the turn budget (a regex that backtracks without end, say): not followed. */
  unreached: UnreachedItem[];
  durationMs: number;
}

function yamlReply(reply: MockReply): Record<string, unknown> {
  return { status: reply.status, ...(reply.body === null ? {} : { body: reply.body }) };
}

function yamlMocks(mocks: MockSet): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [integration, paths] of Object.entries(mocks.integrations)) {
    result[integration] = Object.fromEntries(Object.entries(paths).map(([key, reply]) => [key, yamlReply(reply)]));
  }
  for (const [url, reply] of Object.entries(mocks.urls)) {
    result[url] = yamlReply(reply);
  }
  return result;
}

/** A step's override in the test file's shape: the key's integration from the test's mocks. */
function stepMocks(mocks: MockSet, override: Record<string, MockReply>): Record<string, unknown> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const [key, reply] of Object.entries(override)) {
    const integration = Object.entries(mocks.integrations).find(([, paths]) => key in paths)?.[0];
    if (integration === undefined) {
      result[key] = yamlReply(reply);
    } else {
      (result[integration] ??= {})[key] = yamlReply(reply);
    }
  }
  return result;
}

/**
 * What a step sends, as an author reads it: the button's title, or the typed text in quotes; and,
 * when the step mocks a backend's answer of its own, that answer (two paths may differ only there).
 */
function inputLabel(step: ExploredPath['steps'][number]): string {
  const sent = step.input.buttonId === undefined ? `"${step.input.text ?? ''}"` : (step.input.title ?? step.input.buttonId);
  const answers = Object.entries(step.mocks ?? {}).map(([key, reply]) => `${key} answers ${reply.status}`);
  return oneLine(answers.length === 0 ? sent : `${sent} (${answers.join(', ')})`);
}

/** A generated test's name: the inputs it sends, in order ("Agiza / Order → Margherita → "2""). */
export function generatedTestName(path: ExploredPath): string {
  return path.steps.length === 0 ? 'The greeting' : path.steps.map(inputLabel).join(' → ');
}

/** Names as given, a repeated one numbered ("… (2)"), so that every test of a run reads apart. */
function distinctNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

export function testYaml(flowFile: string, mocks: MockSet, path: ExploredPath, name: string): string {
  const document = {
    name,
    target: { flow: flowFile },
    ...(mocks.strict ? { strict_mocks: true } : {}),
    ...(Object.keys(mocks.integrations).length + Object.keys(mocks.urls).length > 0 ? { mocks: yamlMocks(mocks) } : {}),
    steps: path.steps.map((step) => ({
      ...(step.input.buttonId === undefined ? { send: step.input.text ?? '' } : { button: step.input.buttonId }),
      ...(step.mocks === null ? {} : { mocks: stepMocks(mocks, step.mocks) }),
      // What the bot said, as Save as test writes it: loosen to `contains` where the text may change.
      expect: { state: step.state, messages: step.messages.map(messageYaml) },
    })),
  };
  // State names are the flow's text: escaped, so that none can end the comment line.
  const header = [`# Generated by "Generate Tests for Uncovered Paths". It reaches: ${path.reaches.map(oneLine).join('; ')}.`, '# Edit freely: loosen or add expectations; a regenerated run never overwrites this file.'];
  return `${header.join('\n')}\n${stringify(document, { lineWidth: 0 })}`;
}

function unreached(coverage: FlowCoverage, stopped: readonly StoppedInput[]): UnreachedItem[] {
  const lineOf = (state: string) => coverage.states.find((item) => item.name === state)?.line ?? null;
  return [
    ...stopped.map((item): UnreachedItem => ({
      kind: 'stopped',
      state: item.state,
      description:
        item.regexKey === undefined
          ? `Generating tests, the input ${item.input.buttonId === undefined ? `"${item.input.text ?? ''}"` : `button ${item.input.buttonId}`} in state "${item.state}" did not finish, so no test goes on from it: ${item.reason}`
          : `Generating tests, no message could be made for the regex trigger ${JSON.stringify(item.regexKey)} of state "${item.state}", so no test takes it: ${item.reason}`,
      line: lineOf(item.state),
    })),
    ...coverage.states.filter((state) => !state.reached).map((state): UnreachedItem => ({ kind: 'state', state: state.name, description: `No input reaches the state "${state.name}".`, line: state.line })),
    ...coverage.transitions
      .filter((edge) => !edge.reached)
      .map((edge): UnreachedItem => ({ kind: 'transition', state: edge.from, description: `No input takes the ${edge.kind} transition ${edge.from} → ${edge.to}.`, line: edge.line })),
  ];
}

function nextIndex(existing: readonly string[], flowBase: string): number {
  const prefix = `${flowBase}${GENERATED_INFIX}`;
  const taken = existing.map((file) => basename(file)).filter((name) => name.startsWith(prefix)).map((name) => Number.parseInt(name.slice(prefix.length), 10));
  return Math.max(0, ...taken.filter(Number.isFinite)) + 1;
}

/** Numbers tried past a taken one before giving up: a folder never holds this many leftovers. */
const MAX_NUMBER_TRIES = 1000;

/**
 * Creates `<flow>.generated-NN.sarufi-test.yaml` in `dir` with the first free number from `first`:
 * exclusive and without following links, so a file, a symbolic link or anything else already at
 * that name is never written (the number after it is tried instead).
 */
function createNumbered(dir: string, flowBase: string, first: number, contents: (number: number, file: string) => string): { file: string; number: number } {
  for (let number = first; number < first + MAX_NUMBER_TRIES; number += 1) {
    const file = join(dir, `${flowBase}${GENERATED_INFIX}${String(number).padStart(2, '0')}.sarufi-test.yaml`);
    let fd: number;
    try {
      fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' || (error as NodeJS.ErrnoException).code === 'ELOOP') {
        continue;
      }
      throw error;
    }
    try {
      writeSync(fd, contents(number, file));
    } finally {
      closeSync(fd);
    }
    return { file, number };
  }
  throw new Error(`${dir} already holds ${MAX_NUMBER_TRIES} generated tests of ${flowBase} from number ${first} on`);
}

/** Where a flow's generated tests go without `--tests`: a folder of their own beside the flow, not a dozen files among the author's. */
export function generatedTestsFolder(flowPath: string): string {
  return join(dirname(flowPath), `${basename(flowPath).replace(/\.flow\.json$/, '')}.generated`);
}

/** Makes the folder the tests go into; a link in its place is refused, as a link to a test file is. */
function ensureFolder(dir: string): void {
  const found = lstatSync(dir, { throwIfNoEntry: false });
  if (found === undefined) {
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (!found.isDirectory()) {
    throw new Error(`${dir} is not a folder (${found.isSymbolicLink() ? 'a symbolic link' : 'a file'}): generated tests are not written through it`);
  }
}

export interface GenerateOptions {
  flowPath: string;
  /** The test files that may target the flow (others are ignored). */
  testFiles: string[];
  /** Where the generated tests are written; default `<flow>.generated/` beside the flow (generatedTestsFolder). */
  testsDir?: string;
  env?: Record<string, string | undefined>;
  /** The turn budget of each explored turn (the sandbox's setting); default the sandbox's. */
  turnTimeoutMs?: number;
}

/**
 * The explorer's turns in the sandbox's worker threads, under its turn budget: a regex that
 * backtracks without end stops its turn, not the extension host or the CLI. Its mocks answer every
 * API_CALL; unmocked calls are the explorer's business (it tries them with mocks of its own), so
 * strictness is the generated tests' alone.
 */
function poolTurnRunner(pool: TurnPool, model: FlowModel): TurnRunner {
  return async (snapshot, input, mocks) => {
    const options = { integrations: integrationsWithMocks(mocks, model.integrations), mocks: { ...mocks, strict: false } };
    const answer = await pool.run(model, snapshot, input, options, { traceTurn: 1 });
    return { messages: answer.messages, current_state: answer.current_state, trace: answer.trace?.events ?? [], snapshot: answer.snapshot };
  };
}

/**
 * A test file of the workspace as the generator reads it: one that cannot be read (a broken file
 * the Test Explorer shows with its reason) counts as reaching nothing, rather than stopping the run.
 */
function readableTest(file: string): ConversationTest[] {
  try {
    return [parseTestFile(readFileSync(file, 'utf8'), file)];
  } catch {
    return [];
  }
}

export async function generateTestsForFlow(options: GenerateOptions): Promise<GenerationSummary> {
  const started = performance.now();
  const { flowPath } = options;
  const flowText = readFileSync(flowPath, 'utf8');
  const { model, errors } = analyzeFlow(JSON.parse(flowText) as unknown);
  if (!model || errors.length > 0) {
    throw new Error(`${flowPath} has errors: fix them before generating tests (${errors[0]?.message ?? 'not a flow'})`);
  }
  const run = (tests: ConversationTest[]) => runConversationTests(tests, { sandbox: { flowDirs: [dirname(flowPath)] }, env: options.env ?? {} });
  const existing = options.testFiles
    .flatMap((file) => readableTest(file))
    .filter((test) => test.target.kind === 'flow' && test.target.flowPath === flowPath);
  const existingRuns = existing.length === 0 ? [] : (await run(existing)).tests.map((result) => result.observed);
  const budget = options.turnTimeoutMs === undefined ? {} : { budgetMs: options.turnTimeoutMs };
  // The flow's regexes outside its turns (samples, coverage inference) have the turns' budget too.
  const regex = new RegexBudget(budget);
  try {
    return await generateWith(options, model, flowText, existingRuns, regex, started);
  } finally {
    await regex.close();
  }
}

async function generateWith(options: GenerateOptions, model: FlowModel, flowText: string, existingRuns: ObservedTurn[][], regex: RegexBudget, started: number): Promise<GenerationSummary> {
  const { flowPath } = options;
  const run = (tests: ConversationTest[]) => runConversationTests(tests, { sandbox: { flowDirs: [dirname(flowPath)] }, env: options.env ?? {} });
  const before = await flowCoverage(flowPath, flowText, existingRuns, regex);
  const pool = new TurnPool(options.turnTimeoutMs === undefined ? {} : { budgetMs: options.turnTimeoutMs });
  const exploration = await exploreFlow(model, flowText, before, poolTurnRunner(pool, model), regex).finally(() => pool.close());

  const flowBase = basename(flowPath).replace(/\.flow\.json$/, '');
  const testsDir = options.testsDir ?? generatedTestsFolder(flowPath);
  ensureFolder(testsDir);
  let next = nextIndex([...options.testFiles, ...readdirSync(testsDir)], flowBase);
  const names = distinctNames(exploration.paths.map(generatedTestName));
  const written = exploration.paths.map((path, index) => {
    const created = createNumbered(testsDir, flowBase, next, (_number, file) => testYaml(relative(dirname(file), flowPath).split('\\').join('/'), exploration.mocks, path, names[index] ?? ''));
    next = created.number + 1;
    return created.file;
  });
  const generated = written.map((file) => parseTestFile(readFileSync(file, 'utf8'), file));
  const generatedResults = generated.length === 0 ? [] : (await run(generated)).tests;
  const after = await flowCoverage(flowPath, flowText, [...existingRuns, ...generatedResults.map((result) => result.observed)], regex);
  return { flowPath, written, generatedResults, before, after, unreached: unreached(after, exploration.stopped), durationMs: performance.now() - started };
}

/** "12 tests written, all passing. States 94% → 100%, transitions 59% → 100%." for the editor's notification: short enough to read whole. */
export function generationMessage(summary: GenerationSummary): string {
  const percent = (part: number, whole: number): string => (whole === 0 ? '100%' : `${Math.round((part / whole) * 100)}%`);
  const states = (of: FlowCoverage): string => percent(of.states.filter((state) => state.reached).length, of.states.length);
  const transitions = (of: FlowCoverage): string => percent(of.transitions.filter((edge) => edge.reached).length, of.transitions.length);
  const written = summary.written.length;
  const failed = summary.generatedResults.filter((result) => result.status !== 'passed').length;
  const outcome = written === 0 ? '' : failed > 0 ? `, ${failed} failing` : ', all passing';
  return `${written} test${written === 1 ? '' : 's'} written${outcome}. States ${states(summary.before)} → ${states(summary.after)}, transitions ${transitions(summary.before)} → ${transitions(summary.after)}.`;
}

/** The whole story for the log: each test written with its outcome, then what no input reaches, at its line. */
export function generationDetails(summary: GenerationSummary, relative: (path: string) => string = (path) => path): string {
  const tests = summary.written.map((file, index) => `  ${summary.generatedResults[index]?.status === 'passed' ? 'PASS' : 'FAIL'} ${relative(file)}: ${summary.generatedResults[index]?.test.name ?? ''}`);
  const unreached = summary.unreached.map((item) => `  ${item.description}${item.line === null ? '' : ` (line ${item.line + 1})`}`);
  return [`Generated tests for ${relative(summary.flowPath)}: ${generationMessage(summary)}`, ...tests, ...(unreached.length === 0 ? [] : ['Not reached:', ...unreached])].join('\n');
}
