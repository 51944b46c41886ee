import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlowIssue, ValidationResult } from '../../src/sarufi/types.js';
import { analyzeFlow, NO_FALLBACK_WARNING, validateFlow } from '../../src/flow/validator.js';
import type { ValidateOptions } from '../../src/flow/validator.js';

function issueAt(issues: FlowIssue[], path: string, pattern: RegExp): void {
  const found = issues.find((issue) => issue.path === path && pattern.test(issue.message));
  assert.ok(found, `expected an issue at ${path} matching ${pattern}; got ${JSON.stringify(issues, null, 1)}`);
}

function errorAt(definition: unknown, path: string, pattern: RegExp, options?: ValidateOptions): ValidationResult {
  const result = validateFlow(definition, options);
  assert.equal(result.valid, false);
  issueAt(result.errors, path, pattern);
  return result;
}

function warningAt(definition: unknown, path: string, pattern: RegExp, options?: ValidateOptions): ValidationResult {
  const result = validateFlow(definition, options);
  assert.deepEqual(result.errors, [], 'only warnings expected');
  assert.equal(result.valid, true);
  issueAt(result.warnings, path, pattern);
  return result;
}

/** A flow where `s` waits for input with a fallback, so only the rule under test speaks. */
function oneState(state: Record<string, unknown>, others: Record<string, unknown> = {}) {
  return { states: { s: { transitions: { default: 'end' }, ...state }, end: { message: 'Bye' }, ...others } };
}

describe('validator: structure', () => {
  it('accepts a clean flow with no issues at all', () => {
    assert.deepEqual(validateFlow(oneState({ message: 'Hi' })), { valid: true, errors: [], warnings: [] });
  });

  it('wants a JSON object', () => {
    errorAt([], '', /must be a JSON object/);
    errorAt('flow', '', /must be a JSON object/);
  });

  it('wants states', () => {
    errorAt({}, 'states', /no states/);
    errorAt({ states: {} }, 'states', /no states/);
    errorAt({ states: [1] }, 'states', /must be an object/);
    errorAt({ name: 'Only metadata' }, 'states', /no states/);
  });

  it('reads {"states": []} (flows.mdx\'s PATCH example) as the empty flow {"states": {}}, not as a malformed one', () => {
    assert.deepEqual(validateFlow({ states: [] }), validateFlow({ states: {} }));
    assert.ok(validateFlow({ states: [] }).errors.every((issue) => !/must be an object/.test(issue.message)));
  });

  it('wants each state to be an object', () => {
    errorAt({ a: { message: 'x' }, b: 'not a state' }, 'states.b', /must be an object/);
  });

  it('warns about unknown top-level and state fields (typos)', () => {
    warningAt({ states: { s: { message: 'x' } }, colour: 'red' }, 'colour', /Unknown field/);
    warningAt(oneState({ mesage: 'x' }), 'states.s.mesage', /Unknown field 'mesage'/);
  });

  it('uses bracket paths for state names that are not identifiers', () => {
    errorAt({ 'ask-name': { transitions: { default: 'nope' } } }, 'states["ask-name"].transitions.default', /Unknown state 'nope'/);
  });
});

describe('validator: initial state', () => {
  it('errors on an initial_state that names no state', () => {
    errorAt({ initial_state: 'ghost', states: { a: { message: 'x' } } }, 'initial_state', /Unknown initial state 'ghost'/);
  });

  it('errors when two states are marked initial', () => {
    errorAt({ a: { initial: true }, b: { initial: true } }, 'states.b.initial', /Only one state can be initial/);
  });

  it('errors on a non-boolean initial flag', () => {
    errorAt({ a: { initial: 'yes' } }, 'states.a.initial', /true or false/);
  });

  it('warns when initial_state overrides an initial flag', () => {
    warningAt({ initial_state: 'a', states: { a: { transitions: { default: 'b' } }, b: { initial: true } } }, 'states.b.initial', /takes precedence/);
  });

  it('falls back to the first state and says how it chose', () => {
    assert.equal(analyzeFlow({ x: { message: 'a' } }).model?.initialSource, 'first_state');
    assert.equal(analyzeFlow({ x: {}, y: { initial: true, transitions: { default: 'x' } } }).model?.initialState, 'y');
    assert.equal(analyzeFlow({ initial_state: 'y', states: { x: {}, y: { transitions: { default: 'x' } } } }).model?.initialSource, 'initial_state');
  });
});

describe('validator: transitions', () => {
  it('errors on unknown target states, for every trigger, with its path', () => {
    const definition = {
      s: {
        message: { type: 'buttons', text: 't', buttons: [{ id: 'b1', title: 'B' }] },
        transitions: { buttons: { b1: 'x1' }, keywords: { 'yes|ndiyo': 'x2' }, regex: { '^\\d+$': 'x3' }, default: 'x4' },
      },
      t: { transitions: { always: 'x5' } },
    };
    const result = validateFlow(definition);
    issueAt(result.errors, 'states.s.transitions.buttons.b1', /Unknown state 'x1'/);
    issueAt(result.errors, 'states.s.transitions.keywords["yes|ndiyo"]', /Unknown state 'x2'/);
    issueAt(result.errors, 'states.s.transitions.regex["^\\\\d+$"]', /Unknown state 'x3'/);
    issueAt(result.errors, 'states.s.transitions.default', /Unknown state 'x4'/);
    issueAt(result.errors, 'states.t.transitions.always', /Unknown state 'x5'/);
  });

  it('errors on unknown targets of action transitions', () => {
    const result = validateFlow({
      s: {
        actions: [
          { type: 'API_CALL', url: 'https://example.com', success_transition: 'y1', failure_transition: 'y2' },
          { type: 'CONDITION', if: 'true', then: 'y3', else: 'y4' },
        ],
      },
    });
    for (const [path, target] of [
      ['states.s.actions[0].success_transition', 'y1'],
      ['states.s.actions[0].failure_transition', 'y2'],
      ['states.s.actions[1].then', 'y3'],
      ['states.s.actions[1].else', 'y4'],
    ] as const) {
      issueAt(result.errors, path, new RegExp(`Unknown state '${target}'`));
    }
  });

  it('errors on a non-string target, an unknown trigger, and the list form', () => {
    errorAt(oneState({ transitions: { default: 3 } }), 'states.s.transitions.default', /name of a state/);
    errorAt(oneState({ transitions: { defualt: 'end' } }), 'states.s.transitions.defualt', /Unknown transition trigger 'defualt'/);
    errorAt(oneState({ transitions: [{ on: 'default', to: 'end' }] }), 'states.s.transitions', /must be an object/);
    errorAt(oneState({ transitions: { buttons: ['a'] } }), 'states.s.transitions.buttons', /Must be an object/);
  });

  it('errors on an invalid regex and an empty keyword', () => {
    errorAt(oneState({ transitions: { regex: { '(': 'end' }, default: 'end' } }), 'states.s.transitions.regex["("]', /Invalid regular expression/);
    errorAt(oneState({ transitions: { keywords: { ' | ': 'end' }, default: 'end' } }), 'states.s.transitions.keywords[" | "]', /at least one word/);
  });

  it('accepts intent transitions for intents the top level defines, without any issue', () => {
    assert.deepEqual(validateFlow({ ...oneState({ transitions: { intents: { greet: 'end' }, default: 'end' } }), intents: { greet: ['Hello', 'Hi there'] } }), {
      valid: true,
      errors: [],
      warnings: [],
    });
  });

  it('warns about an intent transition whose intent has no example phrases at the top level', () => {
    warningAt(oneState({ transitions: { intents: { greet: 'end' }, default: 'end' } }), 'states.s.transitions.intents.greet', /No intent 'greet'/);
  });

  it('errors on top-level intents that are not lists of phrases, and on intent transitions to unknown states', () => {
    errorAt({ ...oneState({}), intents: { greet: 'Hello' } }, 'intents.greet', /list of example phrases/);
    errorAt({ ...oneState({}), intents: ['Hello'] }, 'intents', /must be an object/);
    errorAt({ ...oneState({ transitions: { intents: { greet: 'nowhere' } } }), intents: { greet: ['Hi'] } }, 'states.s.transitions.intents.greet', /Unknown state 'nowhere'/);
  });

  it("warns about a 'cancel' intent when the flow has no 'cancel' state; with one, the cancel state counts as reachable", () => {
    warningAt({ ...oneState({}), intents: { cancel: ['cancel'] } }, 'intents.cancel', /no such state/);
    const flow = { ...oneState({}, { cancel: { message: 'Cancelled' } }), intents: { cancel: ['cancel'] } };
    assert.deepEqual(validateFlow(flow), { valid: true, errors: [], warnings: [] });
  });

  it('warns about states unreachable from the initial state', () => {
    warningAt(oneState({}, { island: { message: 'x' } }), 'states.island', /unreachable from the initial state 's'/);
  });

  it('warns "No fallback" on a state that waits for input without a default', () => {
    const result = warningAt({ s: { transitions: { keywords: { yes: 'end' } } }, end: {} }, 'states.s.transitions', /^No fallback transition defined - users may get stuck\.$/);
    assert.equal(result.warnings.length, 1, 'the end state gets no such warning');
  });

  it('gives no "No fallback" warning when always, a default or a two-way action routes on', () => {
    for (const state of [
      { transitions: { always: 'end' } },
      { transitions: { keywords: { a: 'end' }, default: 'end' } },
      { actions: [{ type: 'CONDITION', if: 'true', then: 'end', else: 'end' }] },
      { actions: [{ type: 'API_CALL', url: 'https://example.com', success_transition: 'end', failure_transition: 'end' }] },
    ]) {
      const { warnings } = validateFlow({ s: state, end: {} });
      assert.ok(!warnings.some((warning) => warning.message === NO_FALLBACK_WARNING), JSON.stringify(state));
    }
  });

  it('warns "No fallback" when an API_CALL routes only on success', () => {
    warningAt(
      { s: { actions: [{ type: 'API_CALL', url: 'https://example.com', success_transition: 'end' }] }, end: {} },
      'states.s.transitions',
      /No fallback/,
    );
  });

  it("warns that 'always' hides a state's other triggers", () => {
    warningAt(oneState({ transitions: { always: 'end', default: 'end' } }), 'states.s.transitions.always', /never used/);
  });

  it("warns about loops of 'always' transitions", () => {
    warningAt({ a: { transitions: { always: 'b' } }, b: { transitions: { always: 'a' } } }, 'states.a.transitions.always', /loop \(a → b → a\)/);
  });

  it("warns about a button transition for an id the state's messages do not offer", () => {
    warningAt(
      oneState({
        message: { type: 'buttons', text: 't', buttons: [{ id: 'yes', title: 'Yes' }] },
        transitions: { buttons: { yes: 'end', yse: 'end' }, default: 'end' },
      }),
      'states.s.transitions.buttons.yse',
      /No button or list row with id 'yse'/,
    );
  });
});

describe('validator: actions', () => {
  it('errors on a missing or unknown action type', () => {
    errorAt(oneState({ actions: [{ text: 'x' }] }), 'states.s.actions[0].type', /Missing action type/);
    errorAt(oneState({ actions: [{ type: 'api_call' }] }), 'states.s.actions[0].type', /Unknown action type "api_call"; known: SEND_MESSAGE, API_CALL, CONDITION, LLM_AGENT/);
    errorAt(oneState({ actions: {} }), 'states.s.actions', /must be a list/);
    errorAt(oneState({ actions: ['SEND_MESSAGE'] }), 'states.s.actions[0]', /must be an object/);
  });

  it('checks SEND_MESSAGE', () => {
    errorAt(oneState({ actions: [{ type: 'SEND_MESSAGE' }] }), 'states.s.actions[0].message', /needs a message/);
  });

  it('checks API_CALL fields', () => {
    errorAt(oneState({ actions: [{ type: 'API_CALL' }] }), 'states.s.actions[0]', /needs 'integration' and 'path', or a 'url'/);
    errorAt(oneState({ actions: [{ type: 'API_CALL', integration: 'orders' }] }), 'states.s.actions[0].path', /required with 'integration'/);
    errorAt(oneState({ actions: [{ type: 'API_CALL', url: 'ftp://x' }] }), 'states.s.actions[0].url', /http\(s\) URL/);
    errorAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x', method: 'FETCH' }] }), 'states.s.actions[0].method', /GET, POST, PUT, PATCH, DELETE/);
    errorAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x', headers: { a: 1 } }] }), 'states.s.actions[0].headers', /object of strings/);
    errorAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x', timeout_ms: 0 }] }), 'states.s.actions[0].timeout_ms', /whole number of milliseconds from 1 to 120000/);
    errorAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x', save_to: 'my var' }] }), 'states.s.actions[0].save_to', /variable name/);
    errorAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x', fire_and_forget: 'yes' }] }), 'states.s.actions[0].fire_and_forget', /true or false/);
  });

  it('warns about API_CALL fields that are ignored', () => {
    warningAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x', body: {} }] }), 'states.s.actions[0].body', /GET request carries no body/);
    warningAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x', method: 'DELETE', body: {} }] }), 'states.s.actions[0].body', /DELETE request carries no body/);
    errorAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x', method: 'POST', body: ['a'] }] }), 'states.s.actions[0].body', /must be an object/);
    warningAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x', fire_and_forget: true, save_to: 'r' }] }), 'states.s.actions[0].save_to', /ignored with fire_and_forget/);
    warningAt(oneState({ actions: [{ type: 'API_CALL', integration: 'orders', path: '/', url: 'https://x' }] }), 'states.s.actions[0].url', /ignored when 'integration'/);
    warningAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x', sucess_transition: 'end' }] }), 'states.s.actions[0].sucess_transition', /Unknown field/);
  });

  it('checks CONDITION', () => {
    errorAt(oneState({ actions: [{ type: 'CONDITION', then: 'end' }] }), 'states.s.actions[0].if', /needs 'if'/);
    errorAt(oneState({ actions: [{ type: 'CONDITION', if: "{{variables.a}} = 'b'", then: 'end' }] }), 'states.s.actions[0].if', /Invalid condition: Use "==" to compare/);
    errorAt(oneState({ actions: [{ type: 'CONDITION', if: 'true' }] }), 'states.s.actions[0]', /needs 'then' or 'else'/);
  });

  it('accepts LLM_AGENT in its documented shape (name, system_prompt, tools of MCP collections) without any issue', () => {
    const agent = { type: 'LLM_AGENT', name: 'Order Assistant', system_prompt: 'Help', tools: [{ name: 'mcp', collection: 'orders_mcp', enabled: true }] };
    assert.deepEqual(validateFlow(oneState({ actions: [agent] })), { valid: true, errors: [], warnings: [] });
  });

  it('warns about LLM_AGENT fields outside the documented shape, and errors on malformed tools', () => {
    warningAt(oneState({ actions: [{ type: 'LLM_AGENT', prompt: 'p' }] }), 'states.s.actions[0].prompt', /Unknown field 'prompt'/);
    errorAt(oneState({ actions: [{ type: 'LLM_AGENT', tools: {} }] }), 'states.s.actions[0].tools', /must be a list/);
    errorAt(oneState({ actions: [{ type: 'LLM_AGENT', tools: [{ collection: 'x' }] }] }), 'states.s.actions[0].tools[0]', /needs a "name"/);
    errorAt(oneState({ actions: [{ type: 'LLM_AGENT', system_prompt: 3 }] }), 'states.s.actions[0].system_prompt', /must be a string/);
  });

  it('warns about an integration the sandbox has no base URL for, when it knows its integrations', () => {
    const flow = oneState({ actions: [{ type: 'API_CALL', integration: 'crm', path: '/x' }] });
    warningAt(flow, 'states.s.actions[0].integration', /no base URL for integration 'crm'/, { knownIntegrations: ['orders'] });
    assert.deepEqual(validateFlow(flow).warnings, [], 'without a list of integrations, no opinion');
    assert.deepEqual(validateFlow({ ...flow, integrations: { crm: { baseUrl: 'http://127.0.0.1:1' } } }, { knownIntegrations: [] }).warnings, []);
  });

  it('checks integrations declared in the flow', () => {
    errorAt({ integrations: { crm: { baseUrl: 'not a url' } }, s: {} }, 'integrations.crm', /needs "baseUrl"/);
  });
});

describe('validator: variables', () => {
  it('errors on an invalid save_input_as name and warns when it overwrites a built-in', () => {
    errorAt(oneState({ save_input_as: 'order id' }), 'states.s.save_input_as', /variable name/);
    warningAt(oneState({ save_input_as: 'contact_name' }), 'states.s.save_input_as', /built-in/);
  });

  it("says that save_input_as is the sandbox's own addition, naming the state the answer is stored under", () => {
    warningAt(oneState({ save_input_as: 'name' }), 'states.s.save_input_as', /sandbox's own addition.*\{\{variables\.s\}\}/);
  });

  it("knows that an answer is stored under its state's name, also in bracket paths", () => {
    const flow = oneState({ message: 'Hi' }, { end: { message: 'Bye {{variables.s}} {{s[0]}}' } });
    assert.deepEqual(validateFlow(flow).warnings, []);
  });

  it('warns about variables that are never set, where they are used', () => {
    warningAt(oneState({ message: 'Hi {{variables.nmae}}' }), 'states.s.message', /Variable 'nmae' is never set/);
    warningAt(oneState({ actions: [{ type: 'CONDITION', if: '{{variables.qty}} > 1', then: 'end' }] }), 'states.s.actions[0].if', /'qty'/);
    warningAt(oneState({ actions: [{ type: 'API_CALL', url: 'https://x/{{variables.id}}' }] }), 'states.s.actions[0].url', /'id'/);
  });

  it('knows the built-ins and what save_input_as and save_to set', () => {
    const flow = {
      s: { message: '{{variables.contact_name}} {{response.x}}', save_input_as: 'name', transitions: { default: 't' } },
      t: { message: '{{variables.name}} {{variables.order.id}}', actions: [{ type: 'API_CALL', url: 'https://x', save_to: 'order' }] },
    };
    assert.deepEqual(validateFlow(flow).warnings.filter((warning) => /never set/.test(warning.message)), []);
  });
});

describe('validator: messages', () => {
  it('errors on unknown message types and missing fields', () => {
    errorAt(oneState({ message: { type: 'sticker' } }), 'states.s.message.type', /message type "sticker" is not one Sarufi documents/);
    errorAt(oneState({ message: { type: 'text' } }), 'states.s.message.text', /'text' is missing/);
    errorAt(oneState({ message: { type: 'text', text: '  ' } }), 'states.s.message.text', /'text' must not be empty/);
    errorAt(oneState({ message: { type: 'buttons', text: 'x', buttons: [] } }), 'states.s.message.buttons', /'buttons' must not be an empty list/);
    errorAt(oneState({ message: { type: 'buttons', text: 'x', buttons: [{ id: 'a' }] } }), 'states.s.message.buttons[0].title', /'buttons\[0\]\.title' is missing/);
    errorAt(oneState({ message: { type: 'list', text: 'x', sections: [{ title: 't', rows: [{ id: 'r', title: 'R' }] }] } }), 'states.s.message.button_text', /'button_text' is missing/);
    errorAt(oneState({ message: { type: 'list', text: 'x', button_text: 'b', sections: [{ title: 't', rows: [{ title: 'R' }] }] } }), 'states.s.message.sections[0].rows[0].id', /'sections\[0\]\.rows\[0\]\.id' is missing/);
    errorAt(oneState({ message: ['ok', { type: 'image' }] }), 'states.s.message[1].media_url', /'media_url' is missing/);
    errorAt(oneState({ message: 42 }), 'states.s.message', /string or an object/);
  });

  it('wants http(s) media URLs (a placeholder is allowed)', () => {
    errorAt(oneState({ message: { type: 'video', media_url: 'file:///etc/passwd' } }), 'states.s.message.media_url', /http\(s\) URL/);
    assert.equal(validateFlow(oneState({ message: { type: 'document', media_url: '{{variables.receipt}}' } }, {})).valid, true);
  });

  it('warns about unknown message fields', () => {
    warningAt(oneState({ message: { type: 'text', text: 'x', footer: 'f' } }), 'states.s.message.footer', /Unknown field 'footer'/);
  });
});

describe('validator: WhatsApp limits (warnings)', () => {
  const buttons = (count: number, title = 'B', id = 'b') =>
    Array.from({ length: count }, (_, index) => ({ id: `${id}${index}`, title }));
  const list = (sections: { title?: string; rows: Record<string, unknown>[] }[], extra: Record<string, unknown> = {}) =>
    oneState({ message: { type: 'list', text: 'Pick', button_text: 'Menu', sections: sections.map((section) => ({ title: 'S', ...section })), ...extra } });
  const row = (fields: Record<string, unknown> = {}) => ({ id: 'r', title: 'R', ...fields });

  it('at most 3 reply buttons', () => {
    const result = warningAt(oneState({ message: { type: 'buttons', text: 'x', buttons: buttons(4) } }), 'states.s.message.buttons[3]', /at most 3 reply buttons; this message has 4/);
    assert.equal(result.valid, true);
    assert.deepEqual(validateFlow(oneState({ message: { type: 'buttons', text: 'x', buttons: buttons(3) } })).warnings, []);
  });

  it('button title at most 20 and id at most 256 characters', () => {
    warningAt(oneState({ message: { type: 'buttons', text: 'x', buttons: buttons(1, 'x'.repeat(21)) } }), 'states.s.message.buttons[0].title', /at most 20 characters/);
    warningAt(oneState({ message: { type: 'buttons', text: 'x', buttons: buttons(1, 'B', 'i'.repeat(256)) } }), 'states.s.message.buttons[0].id', /at most 256/);
    assert.deepEqual(validateFlow(oneState({ message: { type: 'buttons', text: 'x', buttons: buttons(1, '🍕'.repeat(20)) } })).warnings, [], 'emoji count as one character');
  });

  it('interactive body at most 1024 characters, plain text at most 4096', () => {
    warningAt(oneState({ message: { type: 'buttons', text: 'x'.repeat(1025), buttons: buttons(1) } }), 'states.s.message.text', /at most 1024/);
    warningAt(list([{ rows: [row()] }], { text: 'x'.repeat(1025) }), 'states.s.message.text', /at most 1024/);
    warningAt(oneState({ message: 'x'.repeat(4097) }), 'states.s.message.text', /at most 4096/);
    assert.deepEqual(validateFlow(oneState({ message: 'x'.repeat(4096) })).warnings, []);
  });

  it('list: at most 10 sections and 10 rows in all', () => {
    const sections = Array.from({ length: 11 }, (_, index) => ({ rows: [row({ id: `r${index}` })] }));
    const result = validateFlow(list(sections));
    issueAt(result.warnings, 'states.s.message.sections', /at most 10 list sections; this list has 11/);
    issueAt(result.warnings, 'states.s.message.sections', /at most 10 rows across all sections; this list has 11/);
    const rows = Array.from({ length: 6 }, (_, index) => row({ id: `r${index}` }));
    warningAt(list([{ rows }, { rows: rows.map((r) => ({ ...r, id: `${String(r.id)}b` })) }]), 'states.s.message.sections', /this list has 12/);
  });

  it('list: section title 24, row title 24, row description 72, row id 200, button label 20', () => {
    warningAt(list([{ title: 's'.repeat(25), rows: [row()] }]), 'states.s.message.sections[0].title', /at most 24/);
    warningAt(list([{ rows: [row({ title: 't'.repeat(25) })] }]), 'states.s.message.sections[0].rows[0].title', /at most 24/);
    warningAt(list([{ rows: [row({ description: 'd'.repeat(73) })] }]), 'states.s.message.sections[0].rows[0].description', /at most 72/);
    warningAt(list([{ rows: [row({ id: 'i'.repeat(201) })] }]), 'states.s.message.sections[0].rows[0].id', /at most 200/);
    warningAt(list([{ rows: [row()] }], { button_text: 'b'.repeat(21) }), 'states.s.message.button_text', /at most 20/);
  });

  it('checks SEND_MESSAGE messages too, and duplicate ids in one message', () => {
    warningAt(oneState({ actions: [{ type: 'SEND_MESSAGE', message: { type: 'buttons', text: 'x', buttons: buttons(4) } }] }), 'states.s.actions[0].message.buttons[3]', /at most 3/);
    warningAt(oneState({ message: { type: 'buttons', text: 'x', buttons: [{ id: 'a', title: 'A' }, { id: 'a', title: 'B' }] } }), 'states.s.message', /Duplicate button or row id 'a'/);
  });
});

describe('validator: answers stored under state names', () => {
  it("warns on a state named like a built-in or like an API_CALL's save_to, whose answer would replace that variable", () => {
    const flow = {
      states: {
        ask: {
          message: 'Order?',
          actions: [{ type: 'API_CALL', url: 'https://x', save_to: 'order' }],
          transitions: { default: 'order' },
        },
        order: { message: 'Got {{variables.order.id}}', transitions: { default: 'response' } },
        response: { message: 'ok', transitions: { default: 'ask' } },
      },
    };
    const { warnings } = validateFlow(flow);
    const overwrites = warnings.filter((warning) => /replaces/.test(warning.message)).map((warning) => warning.path);
    assert.deepEqual(overwrites, ['states.order', 'states.response']);
    assert.deepEqual(
      validateFlow({ states: { ask: { message: 'x', transitions: { default: 'ask' } } } }).warnings.filter((warning) => /replaces/.test(warning.message)),
      [],
    );
  });
});
