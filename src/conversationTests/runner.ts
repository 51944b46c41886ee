// Runs conversation tests: each test opens a Chat API session and plays its steps, checking every
// reply. Tests with a flow-file target run in a local sandbox (started here over the flow files'
// folders, or one given by the caller); tests with a chatbot target run against a server through
// SarufiClient, whose pacing keeps to the service's rate limits. Pure Node: no `vscode`.
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SarufiClient } from '../sarufi/client.js';
import type { SarufiClientOptions } from '../sarufi/client.js';
import { endpoints } from '../sarufi/endpoints.js';
import { SarufiError } from '../sarufi/errors.js';
import type { Button, GenericMessage } from '../flow/botMessages.js';
import { forkSandbox } from '../sandbox/sandboxProcess.js';
import { randomSandboxKey } from '../sandbox/sandboxKeys.js';
import type { RunningSandbox, SandboxChatbotInfo } from '../sandbox/server.js';
import { choicesOf } from '../flow/botMessages.js';
import { mergeMocks } from '../flow/mocks.js';
import { registerMocks, withMocks } from '../sandbox/mockApi.js';
import { checkReply } from './expectations.js';
import { checkGolden } from './golden.js';
import type { GoldenFiles, GoldenMode, GoldenOutcome } from './golden.js';
import type { ConversationTest, StepInput, TestStep } from './format.js';
import { substitute } from './format.js';

export type StepStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface StepResult {
  step: TestStep;
  status: StepStatus;
  /** Plain sentences: the mismatches, the error, or why it was skipped. */
  failures: string[];
  /** The two sides of the diff (empty for errors and skipped steps). */
  expected: string;
  actual: string;
  durationMs: number;
  currentState: string | null;
  /** What was sent, after variables were filled in. */
  sent?: { message: string; buttonId?: string };
}

/** One turn as seen from outside the bot, for coverage inference. */
export interface ObservedTurn {
  /** Null for the greeting. */
  sent: { message: string; buttonId?: string } | null;
  /** The buttons and rows the bot showed just before this turn. */
  offered: Button[];
  currentState: string | null;
  /** How many messages the reply had: tells apart automatic paths that end in the same state. */
  replyCount: number;
}

export interface TestResult {
  test: ConversationTest;
  status: 'passed' | 'failed' | 'error';
  steps: StepResult[];
  durationMs: number;
  /** The flow file for flow targets (for coverage), else null. */
  flowPath: string | null;
  observed: ObservedTurn[];
  /** The comparison with (or approval as) the golden run; null when there was none. */
  golden: GoldenOutcome | null;
}

export interface SuiteResult {
  tests: TestResult[];
  passed: number;
  failed: number;
  durationMs: number;
  /** Steps that were run (not skipped), the greeting included. */
  stepsRun: number;
}

export interface SandboxRunOptions {
  /** Where the sandbox looks for flow files; default the folders of the tests' flow files. */
  flowDirs?: string[];
  /** Imitate the real service's limits (reads 1/s, writes 1 per 2 s). */
  rateLimits?: boolean;
}

export interface ServiceRunOptions {
  baseUrl: string;
  apiKey: string;
}

export interface RunOptions {
  /** For flow targets: how to start the sandbox, or a running one to use. */
  sandbox?: SandboxRunOptions | { running: Pick<RunningSandbox, 'baseUrl' | 'apiKey' | 'chatbots' | 'reload'> };
  /** For chatbot targets: the server. Without it, chatbot targets run in the sandbox. */
  service?: ServiceRunOptions | ((test: ConversationTest) => Promise<ServiceRunOptions>);
  /** Tests run at once. Default 4. */
  concurrency?: number;
  /** `{{env.NAME}}` values. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Extra client options (onExchange, fetch, rateLimit …) for every client this run makes. */
  client?: Partial<Omit<SarufiClientOptions, 'baseUrl' | 'apiKey'>>;
  signal?: AbortSignal;
  onTestStart?: (test: ConversationTest) => void;
  onStep?: (test: ConversationTest, result: StepResult) => void;
  onTestEnd?: (result: TestResult) => void;
  /** Compare passing runs with their golden files, or approve them as golden. Default: neither. */
  golden?: GoldenMode;
  /** Where golden files are read and written; default the disk. */
  goldenFiles?: GoldenFiles;
}

interface Connection {
  client: SarufiClient;
  chatbotId: string;
  /** The local sandbox, the only server that serves mocks. */
  sandbox: boolean;
}

/** The registered mock set of each turn (by step index), or null for a test without mocks. */
type TurnMocks = ((stepIndex: number) => string) | null;

async function registerTestMocks(test: ConversationTest, connection: Connection, signal: AbortSignal | undefined): Promise<TurnMocks> {
  const base = test.mocks;
  if (base === null) {
    return null;
  }
  if (!connection.sandbox) {
    throw new Error('"mocks" are served by the local sandbox: this test runs against a server, whose API_CALLs reach the real backends');
  }
  const call = { ...(signal ? { signal } : {}) };
  const baseId = (await connection.client.call(registerMocks(base), call)).data;
  const stepIds = new Map<number, string>();
  for (const step of test.steps) {
    if (step.mocks) {
      stepIds.set(step.index, (await connection.client.call(registerMocks(mergeMocks(base, step.mocks)), call)).data);
    }
  }
  return (index) => stepIds.get(index) ?? baseId;
}

/** Runs tests, at most `concurrency` at once; never rejects because a test failed. */
export async function runConversationTests(tests: ConversationTest[], options: RunOptions = {}): Promise<SuiteResult> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const clients = new Map<string, SarufiClient>();
  const clientFor = (baseUrl: string, apiKey: string, rateLimit: boolean | undefined): SarufiClient => {
    // One client per server and key, so that concurrent tests share its pacing.
    const id = `${baseUrl}\u0000${apiKey}`;
    let client = clients.get(id);
    if (!client) {
      client = new SarufiClient({ ...options.client, baseUrl, apiKey, ...(rateLimit === undefined ? {} : { rateLimit }) });
      clients.set(id, client);
    }
    return client;
  };

  let sandbox: Pick<RunningSandbox, 'baseUrl' | 'apiKey' | 'chatbots' | 'reload'> | null = null;
  let ownSandbox: RunningSandbox | null = null;
  let sandboxRateLimits = false;
  const needsSandbox = tests.some((test) => test.target.kind === 'flow') || (options.service === undefined && tests.length > 0);
  if (needsSandbox) {
    if (options.sandbox && 'running' in options.sandbox) {
      sandbox = options.sandbox.running;
    } else {
      const flowDirs = options.sandbox?.flowDirs ?? defaultFlowDirs(tests);
      sandboxRateLimits = options.sandbox?.rateLimits ?? false;
      // Only this run talks to its sandbox: a fresh key, so no web page can use the well-known one.
      ownSandbox = await forkSandbox({ flowDirs, rateLimits: sandboxRateLimits, apiKey: randomSandboxKey() });
      sandbox = ownSandbox;
    }
  }

  const connect = async (test: ConversationTest): Promise<Connection> => {
    if (test.target.kind === 'flow') {
      if (!sandbox) {
        throw new Error('no sandbox is running for flow targets');
      }
      const found = findFlowChatbot(sandbox.chatbots(), test.target.flowPath);
      // A sandbox reused across runs may not have walked its folders since the file appeared.
      const chatbot = found ?? (await sandbox.reload(), findFlowChatbot(sandbox.chatbots(), test.target.flowPath));
      if (!chatbot) {
        throw new Error(`the flow file ${test.target.flow} is not in the sandbox's flow folders (or does not exist): run with --flows <a folder that holds it>`);
      }
      if (chatbot.problem) {
        throw new Error(`the flow file ${test.target.flow} cannot run: ${chatbot.problem}`);
      }
      return { client: clientFor(sandbox.baseUrl, sandbox.apiKey, sandboxRateLimits || undefined), chatbotId: chatbot.id, sandbox: true };
    }
    if (options.service) {
      const service = typeof options.service === 'function' ? await options.service(test) : options.service;
      return { client: clientFor(service.baseUrl, service.apiKey, undefined), chatbotId: test.target.chatbot, sandbox: false };
    }
    if (!sandbox) {
      throw new Error('no server to run chatbot targets against: give a base URL');
    }
    return { client: clientFor(sandbox.baseUrl, sandbox.apiKey, sandboxRateLimits || undefined), chatbotId: test.target.chatbot, sandbox: true };
  };

  const results: TestResult[] = new Array<TestResult>(tests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tests.length) {
      const position = next;
      next += 1;
      const test = tests[position] as ConversationTest;
      options.onTestStart?.(test);
      const result = withGolden(await runOne(test, connect, env, options), options);
      results[position] = result;
      options.onTestEnd?.(result);
    }
  };
  try {
    const workers = Math.max(1, Math.min(options.concurrency ?? 4, tests.length));
    await Promise.all(Array.from({ length: workers }, () => worker()));
  } finally {
    await ownSandbox?.close();
  }
  const passed = results.filter((result) => result.status === 'passed').length;
  return {
    tests: results,
    passed,
    failed: results.length - passed,
    durationMs: performance.now() - started,
    stepsRun: results.reduce((sum, result) => sum + result.steps.filter((step) => step.status !== 'skipped').length, 0),
  };
}

/** A run that converses unlike its golden run fails, though every step's own checks passed. */
function withGolden(result: TestResult, options: RunOptions): TestResult {
  if (options.golden === undefined) {
    return result;
  }
  const golden = checkGolden(result, options.golden, options.goldenFiles);
  return { ...result, golden, status: golden?.kind === 'different' ? 'failed' : result.status };
}

function findFlowChatbot(chatbots: SandboxChatbotInfo[], flowPath: string): SandboxChatbotInfo | undefined {
  const wanted = resolve(flowPath);
  return chatbots.find((bot) => bot.file !== null && resolve(bot.file) === wanted);
}

function defaultFlowDirs(tests: ConversationTest[]): string[] {
  const dirs = new Set<string>();
  for (const test of tests) {
    if (test.target.kind === 'flow') {
      dirs.add(dirname(test.target.flowPath));
    }
  }
  return [...dirs];
}

function plainError(error: unknown): string {
  if (error instanceof SarufiError || error instanceof Error) {
    return error.message;
  }
  return String(error);
}

function toSend(input: StepInput, offered: Button[], fill: (text: string) => string): { message: string; buttonId?: string } {
  if (input.buttonId === undefined) {
    return { message: fill(input.text ?? '') };
  }
  const buttonId = fill(input.buttonId);
  const message = input.text !== undefined ? fill(input.text) : (offered.find((choice) => choice.id === buttonId)?.title ?? buttonId);
  return { message, buttonId };
}

async function runOne(
  test: ConversationTest,
  connect: (test: ConversationTest) => Promise<Connection>,
  env: Record<string, string | undefined>,
  options: RunOptions,
): Promise<TestResult> {
  const started = performance.now();
  const steps: StepResult[] = [];
  const observed: ObservedTurn[] = [];
  const fill = (text: string): string => substitute(text, test.variables, env);
  const emit = (result: StepResult): void => {
    steps.push(result);
    options.onStep?.(test, result);
  };
  const skipRest = (from: number, why: string): void => {
    for (const step of test.steps.slice(from)) {
      emit({ step, status: 'skipped', failures: [why], expected: '', actual: '', durationMs: 0, currentState: null });
    }
  };
  const signal = options.signal;
  let connection: Connection;
  let turnMocks: TurnMocks;
  try {
    connection = await connect(test);
    turnMocks = await registerTestMocks(test, connection, signal);
  } catch (error) {
    const greeting = test.steps[0] as TestStep;
    emit({ step: greeting, status: 'error', failures: [plainError(error)], expected: '', actual: '', durationMs: 0, currentState: null });
    skipRest(1, 'not run: the test could not start');
    return finish(test, steps, observed, started);
  }
  const { client, chatbotId } = connection;
  let sessionId = '';
  let lastMessages: GenericMessage[] = [];
  for (const step of test.steps) {
    if (signal?.aborted) {
      skipRest(step.index, 'cancelled');
      break;
    }
    const stepStarted = performance.now();
    let sent: { message: string; buttonId?: string } | undefined;
    try {
      const expect = fillExpectation(step, fill);
      let messages: GenericMessage[];
      let currentState: string | null;
      const offered = lastMessages.flatMap(choicesOf);
      if (step.kind === 'greeting') {
        const { data } = await client.call(withMocks(endpoints.createSession(chatbotId, test.persona ? { persona: test.persona } : undefined), turnMocks?.(step.index) ?? null), { ...(signal ? { signal } : {}) });
        sessionId = data.session_id;
        messages = data.messages;
        currentState = null;
      } else {
        sent = toSend(step.input ?? {}, offered, fill);
        const body = sent.buttonId === undefined ? { message: sent.message } : { message: sent.message, message_type: 'button' as const, button_id: sent.buttonId };
        const { data } = await client.call(withMocks(endpoints.sendMessage(chatbotId, sessionId, body), turnMocks?.(step.index) ?? null), { ...(signal ? { signal } : {}) });
        messages = data.messages;
        currentState = data.current_state;
      }
      observed.push({ sent: sent ?? null, offered, currentState, replyCount: messages.length });
      lastMessages = messages;
      const check = await checkReply(expect, { messages, currentState });
      emit({
        step,
        status: check.passed ? 'passed' : 'failed',
        failures: check.failures,
        expected: check.expected,
        actual: check.actual,
        durationMs: performance.now() - stepStarted,
        currentState,
        ...(sent ? { sent } : {}),
      });
      if (!check.passed) {
        // Later steps depend on where this one left the conversation.
        skipRest(step.index + 1, `not run: step ${step.label} failed`);
        break;
      }
    } catch (error) {
      emit({ step, status: 'error', failures: [plainError(error)], expected: '', actual: '', durationMs: performance.now() - stepStarted, currentState: null, ...(sent ? { sent } : {}) });
      skipRest(step.index + 1, `not run: step ${step.label} had an error`);
      break;
    }
  }
  return finish(test, steps, observed, started);
}

export function fillExpectation(step: TestStep, fill: (text: string) => string): TestStep['expect'] {
  const { state, messages, contains } = step.expect;
  return {
    ...(state === undefined ? {} : { state: fill(state) }),
    ...(contains === undefined ? {} : { contains: contains.map(fill) }),
    ...(messages === undefined
      ? {}
      : {
          messages: messages.map((message) => {
            const filled: Record<string, string | string[]> = {};
            for (const [key, value] of Object.entries(message) as [string, string | string[]][]) {
              filled[key] = Array.isArray(value) ? value.map(fill) : fill(value);
            }
            return filled;
          }),
        }),
  };
}

function finish(test: ConversationTest, steps: StepResult[], observed: ObservedTurn[], started: number): TestResult {
  const status = steps.some((step) => step.status === 'error') ? 'error' : steps.some((step) => step.status === 'failed') ? 'failed' : 'passed';
  return {
    test,
    status,
    steps,
    durationMs: performance.now() - started,
    flowPath: test.target.kind === 'flow' ? test.target.flowPath : null,
    observed,
    golden: null,
  };
}
