import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkReply, lineDiff } from '../../src/conversationTests/expectations.js';
import { parseTestFile, substitute, TestFileError } from '../../src/conversationTests/format.js';
import type { GenericMessage } from '../../src/flow/botMessages.js';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

function parseError(text: string): TestFileError {
  try {
    parseTestFile(text, '/w/bad.sarufi-test.yaml');
  } catch (error) {
    assert.ok(error instanceof TestFileError, `expected a TestFileError, got ${String(error)}`);
    return error;
  }
  assert.fail('the file was accepted');
}

describe('conversation test files', () => {
  it('reads the example with its target, variables and the line of every step', () => {
    const path = join(EXAMPLES, 'pizza-order.sarufi-test.yaml');
    const text = readFileSync(path, 'utf8');
    const test = parseTestFile(text, path);
    assert.equal(test.name, 'Order two margheritas');
    assert.deepEqual(test.target, { kind: 'flow', flow: 'pizza-order.flow.json', flowPath: join(EXAMPLES, 'pizza-order.flow.json') });
    assert.deepEqual(test.variables, { pizza: 'margherita', area: 'Mikocheni' });
    assert.equal(test.steps.length, 7);
    assert.equal(test.steps[0]?.kind, 'greeting');
    const lines = text.split('\n');
    // Every step's line is the line of its `- button:` / `- send:` entry.
    for (const step of test.steps.slice(1)) {
      assert.match(lines[step.line] ?? '', /^\s*- (button|send):/, `step ${step.label} at line ${step.line + 1}`);
    }
    assert.deepEqual(test.steps[1]?.input, { buttonId: 'order' });
    assert.equal(test.steps[1]?.expect.state, 'choose_pizza');
    assert.deepEqual(test.steps[3]?.expect.messages, [{ type: 'text', text: 'Ngapi? How many? (1-9)' }]);
  });

  it('names the line of a YAML syntax error in plain words', () => {
    const error = parseError('target:\n  flow: a.flow.json\n  flow: b.flow.json\nsteps: []\n');
    assert.equal(error.line, 2);
    assert.equal(error.message, '/w/bad.sarufi-test.yaml:3: not valid YAML: Map keys must be unique');
    assert.doesNotMatch(error.message, /\n/);
  });

  it('refuses unknown keys, at their line, listing the allowed ones', () => {
    const error = parseError('target:\n  flow: a.flow.json\nsteps:\n  - send: hi\n    expcet:\n      state: x\n');
    assert.equal(error.line, 4);
    assert.match(error.detail, /unknown key "expcet" in step 1; expected one of: send, button, text, mocks, expect/);
  });

  it('refuses a state on the greeting, both send and button, a bad target and a bad regex', () => {
    assert.match(parseError('target: {flow: a.flow.json}\ngreeting:\n  state: start\nsteps: []\n').detail, /does not report current_state/);
    assert.match(parseError('target: {flow: a.flow.json}\nsteps:\n  - send: a\n    button: b\n').detail, /exactly one of "send"/);
    assert.match(parseError('target: {flow: a.json}\nsteps: []\n').detail, /must name a \*\.flow\.json file/);
    assert.match(parseError('target: {chatbot: x, environment: prod}\nsteps: []\n').detail, /one of sarufi, sandbox, custom/);
    assert.match(parseError('steps: []\n').detail, /"target" must be a mapping/);
    const regex = parseError('target: {flow: a.flow.json}\nsteps:\n  - send: a\n    expect:\n      messages:\n        - regex: "(unclosed"\n');
    assert.equal(regex.line, 5);
    assert.match(regex.detail, /not a valid regular expression/);
  });

  it('fills variables and environment values, and refuses undefined ones', () => {
    assert.equal(substitute('{{a}}-{{variables.a}}-{{env.B}}', { a: '1' }, { B: '2' }), '1-1-2');
    assert.throws(() => substitute('{{missing}}', {}, {}), /the variable "missing" is not defined/);
    assert.throws(() => substitute('{{env.NOPE}}', {}, {}), /environment variable NOPE is not set/);
  });
});

describe('expectations', () => {
  const reply: GenericMessage[] = [
    { type: 'text', text: 'Karibu!' },
    { type: 'buttons', text: 'Pick one', buttons: [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }] },
  ];

  it('passes exact, contains, regex, ids, types and the state', async () => {
    const check = await checkReply(
      { state: 'menu', contains: ['A'], messages: [{ text: 'Karibu!' }, { type: 'buttons', regex: '^Pick', contains: 'one', buttons: ['a', 'b'] }] },
      { messages: reply, currentState: 'menu' },
    );
    assert.deepEqual(check.failures, []);
    assert.equal(check.expected, check.actual);
  });

  it('diffs only what is wrong: the other lines are the same on both sides', async () => {
    const check = await checkReply({ state: 'other', messages: [{ contains: 'Welcome' }, { buttons: ['a', 'c'] }] }, { messages: reply, currentState: 'menu' });
    assert.equal(check.passed, false);
    assert.deepEqual(check.failures, [
      'expected current_state other, got menu',
      'message 1: expected a text containing "Welcome", got "Karibu!"',
      'message 2: expected buttons [a, c], got [a, b]',
    ]);
    const diff = lineDiff(check.expected, check.actual);
    const changed = diff.split('\n').filter((line) => !line.startsWith('  '));
    assert.deepEqual(changed, [
      '- current_state: other',
      '+ current_state: menu',
      '-   text contains: "Welcome"',
      '+   text: "Karibu!"',
      '-   buttons: [a, c]',
      '+   buttons: [a, b]',
    ]);
  });

  it('fails on missing and extra messages', async () => {
    assert.deepEqual((await checkReply({ messages: ['x', 'y', 'z'].map((text) => ({ text })) }, { messages: reply, currentState: null })).failures.slice(-1), ['message 3 is missing']);
    assert.deepEqual((await checkReply({ messages: [{ text: 'Karibu!' }] }, { messages: reply, currentState: null })).failures, ['expected 1 message, got 2']);
  });
});
