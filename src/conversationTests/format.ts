// The conversation test file format (`*.sarufi-test.yaml`): its types, and a parser that checks a
// file and remembers the line of every step, so editors can jump to a step and errors can name
// the line. Pure Node: the Test Explorer, the CLI and the tests all use it.
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { MockReply, MockSet } from '../flow/mocks.js';
import { MAX_MOCK_DELAY_MS } from '../flow/mocks.js';
import type { Persona } from '../sarufi/sandboxExtensions.js';

export const TEST_FILE_SUFFIX = '.sarufi-test.yaml';
export const ENVIRONMENTS = ['sarufi', 'sandbox', 'custom'] as const;
export type TestEnvironment = (typeof ENVIRONMENTS)[number];

/** What a test talks to: a flow file run in the local sandbox, or a chatbot on a server. */
export type TestTarget =
  | { kind: 'flow'; /** As written in the file. */ flow: string; /** Absolute. */ flowPath: string }
  | { kind: 'chatbot'; chatbot: string; environment: TestEnvironment | null };

/** What one bot message must look like. Absent fields are not checked. */
export interface MessageExpectation {
  type?: string;
  /** The whole text (or a media caption), exactly. */
  text?: string;
  contains?: string;
  regex?: string;
  /** The ids of the message's buttons, in order. */
  buttons?: string[];
  /** The ids of a list's rows, in order, across its sections. */
  rows?: string[];
  media_url?: string;
}

export interface Expectation {
  /** The `current_state` after the step. */
  state?: string;
  /** The whole reply, message by message, in order (the count must match). */
  messages?: MessageExpectation[];
  /** Texts that must appear somewhere in the reply, in any message. */
  contains?: string[];
}

/** What the user sends: typed text, or a button / list-row click (its title by default). */
export interface StepInput {
  text?: string;
  buttonId?: string;
}

export interface TestStep {
  /** 0 is the greeting; 1… are the `steps` in order. */
  index: number;
  kind: 'greeting' | 'send';
  input?: StepInput;
  expect: Expectation;
  /** This step's own mocks, layered over the test's for this turn only. */
  mocks?: Pick<MockSet, 'integrations' | 'urls'>;
  /** 0-based line of the step in the file. */
  line: number;
  /** Short and human: `greeting`, `2: button margherita`. */
  label: string;
}

export interface ConversationTest {
  /** Absolute path of the test file. */
  path: string;
  name: string;
  target: TestTarget;
  variables: Record<string, string>;
  /** `mocks:` and `strict_mocks:`; null when the test has neither, and its API_CALLs go out. */
  mocks: MockSet | null;
  /** `persona:`, who the sandbox's session talks to (contact_name, X-Sarufi-* headers); null for its defaults. */
  persona: Persona | null;
  /** The greeting first (always present, maybe with nothing to check), then the steps. */
  steps: TestStep[];
}

/** A problem with a test file, at a 0-based line. */
export class TestFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line + 1}: ${detail}`);
    this.name = 'TestFileError';
  }
}

type Checker = { line(node: Node | null | undefined): number; fail(node: Node | null | undefined, detail: string): never };

const TOP_KEYS = ['name', 'target', 'variables', 'mocks', 'strict_mocks', 'persona', 'greeting', 'steps'];
/** `persona:`'s keys as the file spells them, and the Persona field each fills. */
export const PERSONA_KEYS = { contact_name: 'contactName', user_id: 'userId', channel: 'channel', language: 'language' } as const;
const TARGET_KEYS = ['flow', 'chatbot', 'environment'];
const STEP_KEYS = ['send', 'button', 'text', 'mocks', 'expect'];
const MOCK_REPLY_KEYS = ['status', 'body', 'delay_ms'];
/** A mock key that is a whole URL (maybe after a method); any other key names an integration. */
const URL_KEY = /^(?:[A-Za-z]+\s+)?https?:\/\//;
const EXPECT_KEYS = ['state', 'messages', 'contains'];
const MESSAGE_KEYS = ['type', 'text', 'contains', 'regex', 'buttons', 'rows', 'media_url'];

/** Parses and checks a test file; throws a TestFileError naming the line of the first problem. */
export function parseTestFile(text: string, path: string): ConversationTest {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? 1;
    // yaml's own messages end with a code excerpt; the first line is the reason.
    const reason = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new TestFileError(path, line - 1, `not valid YAML: ${reason}`);
  }
  const check: Checker = {
    line: (node) => (node?.range ? lineCounter.linePos(node.range[0]).line - 1 : 0),
    fail: (node, detail) => {
      throw new TestFileError(path, check.line(node), detail);
    },
  };
  const root = doc.contents;
  if (!isMap(root)) {
    check.fail(root, 'a test file is a mapping with "target" and "steps"');
  }
  const top = fields(root, TOP_KEYS, 'the top level', check);
  const name = top.name ? scalarString(top.name, 'name', check) : defaultName(path);
  const target = readTarget(top.target, root, path, check);
  const variables: Record<string, string> = {};
  if (top.variables) {
    if (!isMap(top.variables)) {
      check.fail(top.variables, '"variables" must be a mapping of names to values');
    }
    for (const pair of top.variables.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!/^[A-Za-z_][\w]*$/.test(key)) {
        check.fail(pair.key as Node, `variable name "${key}" must be letters, digits and _`);
      }
      variables[key] = scalarString(pair.value as Node, `variables.${key}`, check);
    }
  }
  const mocks = readTestMocks(top.mocks, top.strict_mocks, check);
  const persona = readPersona(top.persona, target, check);
  const steps: TestStep[] = [
    {
      index: 0,
      kind: 'greeting',
      expect: top.greeting ? readExpectation(top.greeting, 'greeting', check, true) : {},
      line: top.greeting ? check.line(top.greeting) : 0,
      label: 'greeting',
    },
  ];
  if (!top.steps || !isSeq(top.steps)) {
    check.fail(top.steps ?? root, '"steps" must be a list of what the user sends and what the bot must answer');
  }
  top.steps.items.forEach((item, position) => {
    steps.push(readStep(item as Node, position + 1, check));
  });
  if (mocks === null && steps.some((step) => step.mocks)) {
    // A step's override alone would leave every other turn on the network: say so, do not guess.
    const first = top.steps.items.find((item) => isMap(item) && item.has('mocks'));
    check.fail(first as Node, 'a step has "mocks" but the test has none: add "mocks:" (or "strict_mocks: true") at the top level');
  }
  return { path, name, target, variables, mocks, persona, steps };
}

function readPersona(node: Node | undefined, target: TestTarget, check: Checker): Persona | null {
  if (!node) {
    return null;
  }
  if (!isMap(node)) {
    check.fail(node, `"persona" must be a mapping with any of: ${Object.keys(PERSONA_KEYS).join(', ')}`);
  }
  if (target.kind === 'chatbot' && target.environment !== 'sandbox') {
    check.fail(node, '"persona" is a sandbox feature (Sarufi\'s Chat API takes none): target a flow file, or a chatbot with environment: sandbox');
  }
  const given = fields(node, Object.keys(PERSONA_KEYS), 'persona', check);
  const persona: Persona = {};
  for (const [key, field] of Object.entries(PERSONA_KEYS)) {
    const value = given[key];
    if (value) {
      persona[field] = scalarString(value, `persona.${key}`, check);
    }
  }
  return persona;
}

function readTestMocks(node: Node | undefined, strictNode: Node | undefined, check: Checker): MockSet | null {
  let strict = false;
  if (strictNode) {
    if (!isScalar(strictNode) || typeof strictNode.value !== 'boolean') {
      check.fail(strictNode, '"strict_mocks" must be true or false');
    }
    strict = strictNode.value;
  }
  if (!node && !strict) {
    return null;
  }
  return { ...(node ? readMocks(node, 'mocks', check) : { integrations: {}, urls: {} }), strict };
}

/** `mocks:`: integration → path → reply, or URL → reply. */
function readMocks(node: Node, where: string, check: Checker): Pick<MockSet, 'integrations' | 'urls'> {
  if (!isMap(node)) {
    check.fail(node, `"${where}" must be a mapping: an integration name to its paths, or a URL to its reply`);
  }
  const integrations: MockSet['integrations'] = {};
  const urls: MockSet['urls'] = {};
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if (URL_KEY.test(key)) {
      urls[key] = readMockReply(value, `${where}["${key}"]`, pair.key as Node, check);
      continue;
    }
    if (!value || !isMap(value)) {
      check.fail(value ?? (pair.key as Node), `"${where}.${key}" names an integration: give it a mapping of paths ("/orders/*", "POST /orders") to replies`);
    }
    const paths: Record<string, MockReply> = {};
    for (const route of value.items) {
      const path = isScalar(route.key) ? String(route.key.value) : '';
      if (!/^(?:[A-Za-z]+\s+)?\//.test(path)) {
        check.fail(route.key as Node, `the path "${path}" of integration "${key}" must start with "/" (after an optional method, as in "POST /orders")`);
      }
      paths[path] = readMockReply(route.value as Node | null, `${where}.${key}["${path}"]`, route.key as Node, check);
    }
    integrations[key] = paths;
  }
  return { integrations, urls };
}

function readMockReply(node: Node | null, where: string, keyNode: Node, check: Checker): MockReply {
  if (!node || !isMap(node)) {
    check.fail(node ?? keyNode, `${where} must be a mapping with "status", "body" and maybe "delay_ms"`);
  }
  const reply = fields(node, MOCK_REPLY_KEYS, where, check);
  const status = reply.status ? wholeNumber(reply.status, `${where}.status`, check) : 200;
  if (status < 200 || status > 599) {
    check.fail(reply.status, `${where}.status must be an HTTP status from 200 to 599, not ${status}`);
  }
  return {
    status,
    body: reply.body ? (reply.body.toJSON() as unknown) : null,
    delayMs: reply.delay_ms ? delayOf(reply.delay_ms, `${where}.delay_ms`, check) : 0,
  };
}

function delayOf(node: Node, what: string, check: Checker): number {
  const ms = wholeNumber(node, what, check);
  if (ms > MAX_MOCK_DELAY_MS) {
    check.fail(node, `"${what}" must be at most ${MAX_MOCK_DELAY_MS} ms (10 minutes)`);
  }
  return ms;
}

function wholeNumber(node: Node, what: string, check: Checker): number {
  if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value) || node.value < 0) {
    check.fail(node, `"${what}" must be a whole number`);
  }
  return node.value;
}

function defaultName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.endsWith(TEST_FILE_SUFFIX) ? base.slice(0, -TEST_FILE_SUFFIX.length) : base;
}

/** The values of a mapping's keys; unknown keys are errors, so typos do not silently pass. */
function fields(map: YAMLMap, allowed: string[], where: string, check: Checker): Record<string, Node | undefined> {
  const found: Record<string, Node | undefined> = {};
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!allowed.includes(key)) {
      check.fail(pair.key as Node, `unknown key "${key}" in ${where}; expected one of: ${allowed.join(', ')}`);
    }
    const value = pair.value as Node | null;
    // A key with no value (`expect:`) means nothing there, as if the key were absent.
    found[key] = value === null || (isScalar(value) && value.value === null) ? undefined : value;
  }
  return found;
}

function scalarString(node: Node, what: string, check: Checker): string {
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
    check.fail(node, `"${what}" must be a text`);
  }
  return String(node.value);
}

function stringList(node: Node, what: string, check: Checker): string[] {
  if (isScalar(node)) {
    return [scalarString(node, what, check)];
  }
  if (!isSeq(node)) {
    check.fail(node, `"${what}" must be a text or a list of texts`);
  }
  return node.items.map((item) => scalarString(item as Node, what, check));
}

function readTarget(node: Node | undefined, root: Node, path: string, check: Checker): TestTarget {
  if (!node || !isMap(node)) {
    check.fail(node ?? root, '"target" must be a mapping: { flow: <file>.flow.json } or { chatbot: <id>, environment: sarufi|sandbox|custom }');
  }
  const target = fields(node, TARGET_KEYS, 'target', check);
  if (target.flow && target.chatbot) {
    check.fail(node, '"target" names a flow file or a chatbot, not both');
  }
  if (target.flow) {
    if (target.environment) {
      check.fail(target.environment, 'a flow file always runs in the local sandbox: remove "environment"');
    }
    const flow = scalarString(target.flow, 'target.flow', check);
    if (!flow.endsWith('.flow.json')) {
      check.fail(target.flow, `"target.flow" must name a *.flow.json file, not "${flow}"`);
    }
    return { kind: 'flow', flow, flowPath: resolve(dirname(path), flow) };
  }
  if (target.chatbot) {
    let environment: TestEnvironment | null = null;
    if (target.environment) {
      const value = scalarString(target.environment, 'target.environment', check);
      if (!(ENVIRONMENTS as readonly string[]).includes(value)) {
        check.fail(target.environment, `"target.environment" must be one of ${ENVIRONMENTS.join(', ')}, not "${value}"`);
      }
      environment = value as TestEnvironment;
    }
    return { kind: 'chatbot', chatbot: scalarString(target.chatbot, 'target.chatbot', check), environment };
  }
  return check.fail(node, '"target" needs "flow" (a *.flow.json file) or "chatbot" (a chatbot id)');
}

function readStep(node: Node, index: number, check: Checker): TestStep {
  if (!isMap(node)) {
    check.fail(node, `step ${index} must be a mapping with "send" or "button", and "expect"`);
  }
  const step = fields(node, STEP_KEYS, `step ${index}`, check);
  if (Boolean(step.send) === Boolean(step.button)) {
    check.fail(node, `step ${index} needs exactly one of "send" (typed text) or "button" (a button or list-row id)`);
  }
  if (step.text && !step.button) {
    check.fail(step.text, `"text" goes with "button" (the title sent with the click); step ${index} uses "send"`);
  }
  let input: StepInput;
  let label: string;
  if (step.send) {
    const text = scalarString(step.send, 'send', check);
    input = { text };
    label = `${index}: send "${shorten(text)}"`;
  } else {
    const buttonId = scalarString(step.button as Node, 'button', check);
    input = { buttonId, ...(step.text ? { text: scalarString(step.text, 'text', check) } : {}) };
    label = `${index}: button ${buttonId}`;
  }
  return {
    index,
    kind: 'send',
    input,
    expect: step.expect ? readExpectation(step.expect, `step ${index}`, check, false) : {},
    ...(step.mocks ? { mocks: readMocks(step.mocks, `step ${index} mocks`, check) } : {}),
    line: check.line(node),
    label,
  };
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function readExpectation(node: Node, where: string, check: Checker, greeting: boolean): Expectation {
  if (!isMap(node)) {
    check.fail(node, `the expectations of ${where} must be a mapping with "state", "messages" or "contains"`);
  }
  const expect = fields(node, EXPECT_KEYS, `the expectations of ${where}`, check);
  const result: Expectation = {};
  if (expect.state) {
    if (greeting) {
      check.fail(expect.state, 'the Chat API does not report current_state when a session starts: check "state" on the first step');
    }
    result.state = scalarString(expect.state, 'state', check);
  }
  if (expect.contains) {
    result.contains = stringList(expect.contains, 'contains', check);
  }
  if (expect.messages) {
    if (!isSeq(expect.messages)) {
      check.fail(expect.messages, '"messages" must be a list (a text, or a mapping with type, text, contains, regex, buttons, rows, media_url)');
    }
    result.messages = expect.messages.items.map((item) => readMessage(item as Node, check));
  }
  return result;
}

function readMessage(node: Node, check: Checker): MessageExpectation {
  if (isScalar(node)) {
    // Shorthand: a plain text message, exactly.
    return { type: 'text', text: scalarString(node, 'messages[]', check) };
  }
  if (!isMap(node)) {
    check.fail(node, 'a message expectation is a text or a mapping');
  }
  const m = fields(node, MESSAGE_KEYS, 'a message expectation', check);
  const result: MessageExpectation = {};
  for (const key of ['type', 'text', 'contains', 'regex', 'media_url'] as const) {
    const value = m[key];
    if (value) {
      result[key] = scalarString(value, key, check);
    }
  }
  if (result.regex !== undefined) {
    try {
      new RegExp(result.regex, 'u');
    } catch (error) {
      check.fail(m.regex, `"regex" is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (m.buttons) {
    result.buttons = stringList(m.buttons, 'buttons', check);
  }
  if (m.rows) {
    result.rows = stringList(m.rows, 'rows', check);
  }
  return result;
}

/**
 * Fills `{{name}}`, `{{variables.name}}` and `{{env.NAME}}` in a test's texts. A name that is not
 * defined is an error: a silent empty string would make a test pass for the wrong reason.
 */
export function substitute(text: string, variables: Record<string, string>, env: Record<string, string | undefined>): string {
  // Own keys only: `{{toString}}` names no variable, not Object.prototype's function.
  const own = (record: Record<string, string | undefined>, key: string): string | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    if (name.startsWith('env.')) {
      const value = own(env, name.slice(4));
      if (value === undefined) {
        throw new Error(`the environment variable ${name.slice(4)} is not set (used as ${whole})`);
      }
      return value;
    }
    const key = name.startsWith('variables.') ? name.slice('variables.'.length) : name;
    const value = own(variables, key);
    if (value === undefined) {
      throw new Error(`the variable "${key}" is not defined in "variables" (used as ${whole})`);
    }
    return value;
  });
}
