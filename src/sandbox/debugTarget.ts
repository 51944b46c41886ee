// What a debug launch names (a flow file, a persona, variables, mocks, a state to start at), read
// and checked into what the debugged conversation runs: the flow's model, and turn options with the
// integrations, LLM endpoint and mocks of the sarufi.sandbox.json files around the flow, as a
// sandbox chat has.
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { FlowModel, IntegrationConfig } from '../flow/flowTypes.js';
import type { LlmEndpoint } from '../flow/llmAgent.js';
import { mergeMocks, readMockSet, readMocksMapping } from '../flow/mocks.js';
import type { MockSet } from '../flow/mocks.js';
import type { Variables } from '../flow/template.js';
import { analyzeFlow } from '../flow/validator.js';
import { MAX_FLOW_FILE_BYTES } from './catalog.js';
import { readBoundedFile } from './boundedFile.js';
import { readSandboxConfig, SANDBOX_CONFIG_FILE } from './flowFiles.js';
import { MAX_MOCKS_FILE_BYTES, MocksFileCache } from './mocksFile.js';
import { MAX_TURN_TIMEOUT_MS, MIN_TURN_TIMEOUT_MS } from './turnBudget.js';
import type { TurnOptions } from './turnProtocol.js';

/** A launch configuration's fields, as the author writes them in launch.json. */
/** How long a launch file may take to read (a FIFO never answers). */
const LAUNCH_READ_TIMEOUT_MS = 2000;

export interface DebugLaunchFields {
  flow?: unknown;
  /** The folder relative paths start from (the workspace folder). */
  cwd?: unknown;
  persona?: unknown;
  variables?: unknown;
  startAt?: unknown;
  /** A mocks file (JSON or YAML) or the mapping itself, in a conversation test's `mocks:` format. */
  mocks?: unknown;
  /** A conversation test's mock set as the runner holds it (`{integrations, urls, strict}`): the Test Explorer's Debug passes it. */
  mockSet?: unknown;
  turnTimeoutMs?: unknown;
}

export interface DebugTarget {
  file: string;
  text: string;
  model: FlowModel;
  options: TurnOptions;
  variables: Variables;
  startAt: string | undefined;
  budgetMs: number | undefined;
  /** Problems of the sarufi.sandbox.json files, said in the Debug Console; the session still runs. */
  notes: string[];
}

/** A launch that cannot start, with the reason the author reads. */
export class LaunchError extends Error {}

const PERSONA_FIELDS = { contact_name: 'contactName', user_id: 'userId', channel: 'channel', language: 'language' } as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Launch files are read as the sandbox reads what a config names: a regular file only, bounded in size and time. */
async function readBounded(file: string, limit: number, what: string): Promise<string> {
  const found = await readBoundedFile(file, { roots: null, maxBytes: limit, timeoutMs: LAUNCH_READ_TIMEOUT_MS });
  const text = found.kind === 'found' ? await found.text() : found;
  if (typeof text !== 'string') {
    throw new LaunchError(`The ${what} ${file} cannot be used: ${text.reason}.`);
  }
  return text;
}

/** The sarufi.sandbox.json files from `root` down to the flow's folder: deeper ones win, as in the sandbox. */
function configFilesFor(file: string, root: string): string[] {
  const files: string[] = [];
  const inside = !relative(root, file).startsWith('..');
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    files.unshift(resolve(dir, SANDBOX_CONFIG_FILE));
    if (!inside || dir === root || dirname(dir) === dir) {
      break;
    }
  }
  return files;
}

async function readMocks(value: unknown, base: string): Promise<MockSet | null> {
  if (value === undefined || value === null) {
    return null;
  }
  let mapping = value;
  if (typeof value === 'string') {
    const file = resolve(base, value);
    const text = await readBounded(file, MAX_MOCKS_FILE_BYTES, 'mocks file');
    try {
      mapping = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    } catch (error) {
      throw new LaunchError(`The mocks file ${file} does not parse: ${(error as Error).message}`);
    }
  }
  try {
    // Calls no mock answers still go out, as in a sandbox chat with mocks.
    return { ...readMocksMapping(mapping), strict: false };
  } catch (error) {
    throw new LaunchError(`"mocks": ${(error as Error).message}`);
  }
}

function readLaunchMockSet(value: unknown): MockSet {
  try {
    return readMockSet(value);
  } catch (error) {
    throw new LaunchError(`"mockSet": ${(error as Error).message}`);
  }
}

export async function readDebugTarget(fields: DebugLaunchFields): Promise<DebugTarget> {
  if (typeof fields.flow !== 'string' || fields.flow.trim() === '') {
    throw new LaunchError('Name the flow to debug: "flow": "${file}" or a path to a .flow.json file.');
  }
  const root = typeof fields.cwd === 'string' && fields.cwd !== '' ? resolve(fields.cwd) : process.cwd();
  const file = isAbsolute(fields.flow) ? fields.flow : resolve(root, fields.flow);
  const text = await readBounded(file, MAX_FLOW_FILE_BYTES, 'flow file');
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new LaunchError(`${file} is not valid JSON (${(error as Error).message}): fix it, then start debugging again.`);
  }
  const notes: string[] = [];
  const integrations: Record<string, IntegrationConfig> = {};
  let configMocks: MockSet | null = null;
  let llm: LlmEndpoint | null = null;
  // A config's mocks file must lie under the launch's folder, as under the sandbox's flow folders.
  const mocksContext = { roots: [await realpath(root).catch(() => root)], cache: new MocksFileCache(), used: new Set<string>() };
  for (const configFile of configFilesFor(file, root)) {
    const config = await readSandboxConfig(configFile, mocksContext);
    if (config) {
      notes.push(...config.problems.map((problem) => `${configFile}: ${problem}`));
      Object.assign(integrations, config.integrations);
      llm = config.llm ?? llm;
      configMocks = config.mocks ? (configMocks ? mergeMocks(configMocks, config.mocks) : config.mocks) : configMocks;
    }
  }
  const { model, errors } = analyzeFlow(definition, { knownIntegrations: Object.keys(integrations) });
  if (!model || errors.length > 0) {
    const first = errors[0];
    throw new LaunchError(`The flow has ${errors.length} error${errors.length === 1 ? '' : 's'}${first ? `, first: ${first.path || '(top level)'}: ${first.message}` : ''}. The Problems panel lists them all.`);
  }
  const launchMocks = fields.mockSet !== undefined && fields.mockSet !== null ? readLaunchMockSet(fields.mockSet) : await readMocks(fields.mocks, root);
  const mocks = launchMocks ? (configMocks ? mergeMocks(configMocks, launchMocks) : launchMocks) : configMocks;

  // strict_mocks: a call no mock answers fails (as in a test run); otherwise it goes out.
  const options: TurnOptions = { integrations, flowName: model.name ?? undefined, llm, ...(mocks ? { mocks, unmockedGoOut: !mocks.strict } : {}) };
  if (fields.persona !== undefined) {
    if (!isRecord(fields.persona)) {
      throw new LaunchError(`"persona" must be an object with any of: ${Object.keys(PERSONA_FIELDS).join(', ')}.`);
    }
    for (const [key, value] of Object.entries(fields.persona)) {
      const field = PERSONA_FIELDS[key as keyof typeof PERSONA_FIELDS];
      if (field === undefined || typeof value !== 'string') {
        throw new LaunchError(`"persona.${key}" is not known or not text; use: ${Object.keys(PERSONA_FIELDS).join(', ')}.`);
      }
      options[field] = value;
    }
  }
  if (fields.variables !== undefined && !isRecord(fields.variables)) {
    throw new LaunchError('"variables" must be an object of the variables the conversation starts with.');
  }
  if (fields.startAt !== undefined && (typeof fields.startAt !== 'string' || !model.states.has(fields.startAt))) {
    throw new LaunchError(`"startAt" must name a state of the flow; it has ${[...model.states.keys()].slice(0, 8).join(', ')}${model.states.size > 8 ? ', …' : ''}.`);
  }
  const budget = fields.turnTimeoutMs;
  if (budget !== undefined && (typeof budget !== 'number' || !Number.isInteger(budget) || budget < MIN_TURN_TIMEOUT_MS || budget > MAX_TURN_TIMEOUT_MS)) {
    throw new LaunchError(`"turnTimeoutMs" must be a whole number of milliseconds from ${MIN_TURN_TIMEOUT_MS} to ${MAX_TURN_TIMEOUT_MS}.`);
  }
  return {
    file,
    text,
    model,
    options,
    variables: (fields.variables as Variables | undefined) ?? {},
    startAt: fields.startAt as string | undefined,
    budgetMs: budget as number | undefined,
    notes,
  };
}
