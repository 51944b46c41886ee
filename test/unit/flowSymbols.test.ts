// The flow symbol index and rename in plain Node: every kind of state reference, both file shapes,
// a file that does not parse, intents, integrations, variables, conversation tests, and the text
// changes a rename makes (and the names it refuses).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowSymbols } from '../../src/flows/flowSymbols.js';
import type { Span } from '../../src/flows/flowSymbols.js';
import { applyChanges, newNameProblem, prepareRename, RenameRefused, renameEdits, yamlScalarText } from '../../src/flows/flowRename.js';
import { indexTestFile, testTargetsFlow } from '../../src/flows/testSymbols.js';
import { parse as parseYaml, Scalar } from 'yaml';
import { variableRoot, variableRootSpan } from '../../src/flow/template.js';

const WRAPPED = `{
  "name": "Shop",
  "initial_state": "welcome",
  "intents": { "greet": ["hello", "hi"], "cancel": ["stop"] },
  "integrations": { "orders": { "baseUrl": "http://127.0.0.1:8788" } },
  "states": {
    "welcome": {
      "message": "Hi {{contact_name}}! Menu?",
      "transitions": {
        "buttons": { "menu": "menu" },
        "keywords": { "order|buy": "ask_name" },
        "regex": { "^\\\\d+$": "ask_name" },
        "intents": { "greet": "welcome" },
        "default": "welcome"
      }
    },
    "menu": { "message": "Menu", "transitions": { "always": "ask_name" } },
    "ask_name": {
      "message": "Your name?",
      "save_input_as": "customer",
      "transitions": { "default": "lookup" }
    },
    "lookup": {
      "message": "Looking up {{ask_name}}, \\"{{variables.ask_name}}\\"",
      "actions": [
        { "type": "API_CALL", "integration": "orders", "path": "/o/{{variables.ask_name}}", "save_to": "order",
          "success_transition": "done", "failure_transition": "welcome" },
        { "type": "CONDITION", "if": "{{variables.order.items[0]}} == 'x' and exists {{ ask_name }}", "then": "done", "else": "menu" }
      ]
    },
    "done": { "message": "Thanks {{variables.order.items[0].name}}" },
    "cancel": { "message": "Bye" }
  }
}`;

/** The text a span covers. */
function at(text: string, span: Span): string {
  return text.slice(span.offset, span.offset + span.length);
}

describe('FlowSymbols: states and their references', () => {
  const symbols = FlowSymbols.of(WRAPPED);

  it('lists the states of a wrapped flow, with each key\'s span on its quoted name', () => {
    assert.deepEqual(
      symbols.states.map((state) => state.name),
      ['welcome', 'menu', 'ask_name', 'lookup', 'done', 'cancel'],
    );
    for (const state of symbols.states) {
      assert.equal(at(WRAPPED, state.key), JSON.stringify(state.name));
      assert.ok(at(WRAPPED, state.whole).startsWith(`"${state.name}": {`));
    }
  });

  it('finds every kind of state reference, each on its quoted target, with where it comes from', () => {
    const found = symbols.stateReferences.map((reference) => `${reference.kind} ${reference.from ?? '-'} ${reference.label ?? '-'} → ${reference.name}`);
    assert.deepEqual(found, [
      'initial_state - - → welcome',
      'cancel_intent - - → cancel',
      'buttons welcome menu → menu',
      'keywords welcome order|buy → ask_name',
      'regex welcome ^\\d+$ → ask_name',
      'intents welcome greet → welcome',
      'default welcome - → welcome',
      'always menu - → ask_name',
      'default ask_name - → lookup',
      'success_transition lookup - → done',
      'failure_transition lookup - → welcome',
      'then lookup - → done',
      'else lookup - → menu',
    ]);
    for (const reference of symbols.stateReferences.filter((candidate) => candidate.kind !== 'cancel_intent')) {
      assert.equal(at(WRAPPED, reference.span), JSON.stringify(reference.name));
    }
    const cancel = symbols.stateReferences.find((reference) => reference.kind === 'cancel_intent');
    assert.equal(cancel && at(WRAPPED, cancel.span), '"cancel"');
  });

  it('groups references by the state they name', () => {
    assert.deepEqual(
      symbols.referencesTo('ask_name').map((reference) => reference.kind),
      ['keywords', 'regex', 'always'],
    );
    assert.deepEqual(symbols.referencesTo('nowhere'), []);
  });

  it('marks the state initial_state names as the initial one', () => {
    assert.equal(symbols.initialState?.name, 'welcome');
    assert.equal(symbols.states.filter((state) => state.initial).length, 1);
  });

  it('marks the "initial": true state when initial_state is absent, else the first state', () => {
    const flagged = FlowSymbols.of('{"a": {"message": "A"}, "b": {"message": "B", "initial": true}}');
    assert.equal(flagged.initialState?.name, 'b');
    const first = FlowSymbols.of('{"a": {"message": "A"}, "b": {"message": "B"}}');
    assert.equal(first.initialState?.name, 'a');
    const unknown = FlowSymbols.of('{"initial_state": "zzz", "a": {}, "b": {"initial": true}}');
    assert.equal(unknown.initialState?.name, 'b');
  });
});

describe('FlowSymbols: both shapes and metadata keys', () => {
  it('reads a map-shaped flow\'s states, leaving out the metadata keys', () => {
    const text = '{"name": "Bot", "description": "d", "intents": {"hi": ["hi"]}, "greet": {"transitions": {"default": "bye"}}, "bye": {}}';
    const symbols = FlowSymbols.of(text);
    assert.deepEqual(symbols.states.map((state) => state.name), ['greet', 'bye']);
    assert.deepEqual(symbols.intents.map((intent) => intent.name), ['hi']);
    assert.deepEqual(symbols.referencesTo('bye').map((reference) => reference.from), ['greet']);
  });

  it('reads states named like metadata keys in a wrapped flow as states', () => {
    const text = '{"name": "Bot", "intents": {"yes": ["yes"]}, "states": {"name": {"transitions": {"default": "intents"}}, "intents": {}}}';
    const symbols = FlowSymbols.of(text);
    assert.deepEqual(symbols.states.map((state) => state.name), ['name', 'intents']);
    assert.deepEqual(symbols.intents.map((intent) => intent.name), ['yes']);
    const reference = symbols.referencesTo('intents')[0];
    assert.equal(reference?.from, 'name');
    assert.equal(symbols.symbolAt(text.indexOf('"name": {"tr') + 1)?.kind, 'state');
  });
});

describe('FlowSymbols: a file that does not parse', () => {
  it('indexes the states and references jsonc-parser recovers around a missing comma and an unclosed object', () => {
    const text = `{
  "states": {
    "a": { "transitions": { "default": "b" } }
    "b": { "transitions": { "always": "a", "default": ` ;
    const symbols = FlowSymbols.of(text);
    assert.ok(!symbols.document.parsed);
    assert.deepEqual(symbols.states.map((state) => state.name), ['a', 'b']);
    assert.deepEqual(
      symbols.stateReferences.map((reference) => `${reference.from}→${reference.name}`),
      ['a→b', 'b→a'],
    );
  });

  it('gives an empty index for text that is not an object', () => {
    for (const text of ['', '[1, 2]', '"greet"', '{{{{']) {
      const symbols = FlowSymbols.of(text);
      assert.deepEqual(symbols.states, [], text);
      assert.equal(symbols.symbolAt(0), undefined, text);
    }
  });
});

describe('FlowSymbols: intents, integrations and variables', () => {
  const symbols = FlowSymbols.of(WRAPPED);

  it('finds intent definitions and the transitions that use them', () => {
    assert.deepEqual(symbols.intents.map((intent) => at(WRAPPED, intent.key)), ['"greet"', '"cancel"']);
    assert.deepEqual(
      symbols.intentReferences.map((reference) => `${reference.from}:${at(WRAPPED, reference.key)}`),
      ['welcome:"greet"'],
    );
  });

  it('finds integration definitions and the API_CALLs that name them', () => {
    assert.deepEqual(symbols.integrations.map((integration) => at(WRAPPED, integration.key)), ['"orders"']);
    assert.deepEqual(symbols.integrationReferences.map((reference) => `${reference.from}:${at(WRAPPED, reference.span)}`), ['lookup:"orders"']);
  });

  it('finds where each variable is set: answers, save_input_as, save_to', () => {
    assert.deepEqual(
      symbols.variableSetters.filter((setter) => setter.kind !== 'answer').map((setter) => `${setter.kind} ${setter.name} in ${setter.state}`),
      ['save_input_as customer in ask_name', 'save_to order in lookup'],
    );
    assert.deepEqual(symbols.settersOf('ask_name').map((setter) => at(WRAPPED, setter.span)), ['"ask_name"']);
  });

  it('finds variables in messages, API paths and conditions, each span on the name even after an escape', () => {
    const found = symbols.variableReferences.map((reference) => `${reference.from} ${reference.inCondition ? 'if' : 'template'} ${reference.path}`);
    assert.deepEqual(found, [
      'welcome template contact_name',
      'lookup template ask_name',
      'lookup template variables.ask_name',
      'lookup template variables.ask_name',
      'lookup if variables.order.items[0]',
      'lookup if ask_name',
      'done template variables.order.items[0].name',
    ]);
    for (const reference of symbols.variableReferences) {
      assert.equal(at(WRAPPED, reference.span), reference.name, reference.path);
    }
  });

  it('reads a CONDITION that does not tokenize for its placeholders', () => {
    const text = '{"s": {"actions": [{"type": "CONDITION", "if": "{{variables.s}} = \'x\'", "then": "s"}]}}';
    const symbols = FlowSymbols.of(text);
    assert.deepEqual(symbols.variableReferences.map((reference) => at(text, reference.span)), ['s']);
  });
});

describe('variableRootSpan', () => {
  it('finds the same variable as variableRoot, at the place its name is written', () => {
    for (const path of ['x', ' x ', 'variables.x', 'variables.x.y[0]', 'variables', 'variables[0]', '[3].a', 'variables..z', 'a[ 2 ]', '']) {
      const span = variableRootSpan(path);
      assert.equal(span?.name ?? '', variableRoot(path), path);
      if (span) {
        assert.equal(path.slice(span.start, span.start + span.name.length), span.name, path);
      }
    }
  });
});

describe('FlowSymbols.symbolAt', () => {
  const symbols = FlowSymbols.of(WRAPPED);

  it('names the symbol under the cursor, at its start, inside, and just after its end', () => {
    const target = WRAPPED.indexOf('"lookup" }');
    for (const offset of [target, target + 3, target + '"lookup"'.length]) {
      assert.deepEqual(symbols.symbolAt(offset), { kind: 'state', name: 'lookup', role: 'reference', span: { offset: target, length: 8 } });
    }
    assert.equal(symbols.symbolAt(target - 2), undefined);
  });

  it('takes the cancel intent\'s key as a reference to the state cancel', () => {
    const offset = WRAPPED.indexOf('"cancel": ["stop"]') + 2;
    assert.equal(symbols.symbolAt(offset)?.kind, 'state');
    assert.deepEqual(symbols.occurrencesOf('intent', 'cancel').map((occurrence) => occurrence.role), ['definition']);
  });

  it('finds a variable inside a template and an integration in an API_CALL', () => {
    assert.deepEqual(symbols.symbolAt(WRAPPED.indexOf('{{ask_name}}') + 4)?.name, 'ask_name');
    assert.equal(symbols.symbolAt(WRAPPED.indexOf('{{ask_name}}') + 4)?.kind, 'variable');
    assert.equal(symbols.symbolAt(WRAPPED.indexOf('"integration": "orders"') + 18)?.kind, 'integration');
  });
});

const TEST_FILE = `name: Order
target:
  flow: ./shop.flow.json
steps:
  - send: hi
    expect:
      state: ask_name
  - send: Ann
    expect: { state: "lookup", contains: x }
  - send: again
    expect:
      state: 'ask_name'
`;

describe('conversation test symbols', () => {
  it('finds each step\'s expected state with its quoting, and the target flow', () => {
    const test = indexTestFile(TEST_FILE);
    assert.equal(test.flow?.value, './shop.flow.json');
    assert.deepEqual(
      test.states.map((state) => `${state.step} ${at(TEST_FILE, state.span)} ${state.style}`),
      ['1 ask_name PLAIN', '2 "lookup" QUOTE_DOUBLE', "3 'ask_name' QUOTE_SINGLE"],
    );
    assert.equal(test.stateAt(TEST_FILE.indexOf('"lookup"') + 1)?.name, 'lookup');
    const first = test.states[0];
    assert.ok(first);
    assert.deepEqual(test.range(first.span), { start: { line: 6, character: 13 }, end: { line: 6, character: 21 } });
  });

  it('still finds the states of a test file with a YAML error further down', () => {
    const test = indexTestFile(`${TEST_FILE}  - send: [unclosed\n`);
    assert.deepEqual(test.states.map((state) => state.name), ['ask_name', 'lookup', 'ask_name']);
  });

  it('matches a test to its flow by the path relative to the test file', () => {
    const test = indexTestFile(TEST_FILE);
    assert.ok(testTargetsFlow('/w/tests/order.sarufi-test.yaml', test, '/w/tests/shop.flow.json'));
    assert.ok(!testTargetsFlow('/w/order.sarufi-test.yaml', test, '/w/tests/shop.flow.json'));
  });

  it('writes a new state name in the scalar\'s own quoting, quoting a plain one that would read as another value', () => {
    assert.equal(yamlScalarText('pay_now', Scalar.PLAIN), 'pay_now');
    assert.equal(yamlScalarText('pay_now', Scalar.QUOTE_DOUBLE), '"pay_now"');
    assert.equal(yamlScalarText("it's", Scalar.QUOTE_SINGLE), "'it''s'");
    assert.equal(yamlScalarText('123', Scalar.PLAIN), '"123"');
    assert.equal(yamlScalarText('true', Scalar.PLAIN), '"true"');
    assert.equal(yamlScalarText('a, b', Scalar.PLAIN), '"a, b"');
    assert.equal(yamlScalarText('no', Scalar.PLAIN), '"no"');
    assert.equal(yamlScalarText('kuku-pilipili', Scalar.PLAIN), 'kuku-pilipili');
    // Whatever it writes, YAML reads back as the name.
    for (const name of ['pay_now', '123', 'true', 'a, b', 'it\'s', 'say "hi"', 'a: b', '#x', 'ñame', '']) {
      for (const style of [Scalar.PLAIN, Scalar.QUOTE_DOUBLE, Scalar.QUOTE_SINGLE] as const) {
        assert.deepEqual(parseYaml(`state: ${yamlScalarText(name, style)}`), { state: name }, `${name} as ${style}`);
      }
    }
  });
});

describe('rename', () => {
  const symbols = FlowSymbols.of(WRAPPED);

  it('renames a state\'s key, every target, every template and condition reading its answer, and the tests', () => {
    const target = prepareRename(symbols, WRAPPED.indexOf('"ask_name": {') + 3);
    assert.deepEqual(target, { kind: 'state', name: 'ask_name', span: { offset: WRAPPED.indexOf('"ask_name": {') + 1, length: 8 } });
    const plan = renameEdits(symbols, target, 'full_name', [{ file: 'order.sarufi-test.yaml', symbols: indexTestFile(TEST_FILE) }]);
    const renamed = applyChanges(WRAPPED, plan.flow);
    assert.equal(renamed, WRAPPED.replaceAll('ask_name', 'full_name'));
    assert.equal(plan.tests.length, 1);
    assert.equal(applyChanges(TEST_FILE, plan.tests[0]?.changes ?? []), TEST_FILE.replaceAll('ask_name', 'full_name'));
    // The renamed flow indexes as the same graph under the new name.
    const after = FlowSymbols.of(renamed);
    assert.deepEqual(after.referencesTo('full_name').map((reference) => reference.kind), ['keywords', 'regex', 'always']);
    assert.equal(after.variableReferencesTo('full_name').length, 4);
  });

  it('renames from a target and from a template that reads the answer alike', () => {
    const fromTarget = prepareRename(symbols, WRAPPED.indexOf('"always": "ask_name"') + 12);
    const fromTemplate = prepareRename(symbols, WRAPPED.indexOf('{{ask_name}}') + 3);
    assert.equal(fromTarget.name, 'ask_name');
    assert.deepEqual({ kind: fromTemplate.kind, name: fromTemplate.name }, { kind: 'state', name: 'ask_name' });
  });

  it('escapes a new name with a quote inside the JSON strings and quotes it in YAML', () => {
    const plan = renameEdits(symbols, { kind: 'state', name: 'menu' }, 'the "menu"', [{ file: 't', symbols: indexTestFile('steps:\n  - send: x\n    expect:\n      state: menu\n') }]);
    const renamed = applyChanges(WRAPPED, plan.flow);
    const value = JSON.parse(renamed) as { states: Record<string, unknown> };
    assert.ok('the "menu"' in value.states);
    assert.equal(FlowSymbols.of(renamed).referencesTo('the "menu"').length, 2);
    assert.equal(plan.tests[0]?.changes[0]?.newText, '"the \\"menu\\""');
  });

  it('renames an intent\'s definition and the transitions that use it, not a state of the same name', () => {
    const text = '{"intents": {"greet": ["hi"]}, "states": {"greet": {"transitions": {"intents": {"greet": "greet"}}}}}';
    const flow = FlowSymbols.of(text);
    const target = prepareRename(flow, text.indexOf('"greet": ["hi"]') + 1);
    assert.equal(target.kind, 'intent');
    assert.equal(
      applyChanges(text, renameEdits(flow, target, 'hello').flow),
      '{"intents": {"hello": ["hi"]}, "states": {"greet": {"transitions": {"intents": {"hello": "greet"}}}}}',
    );
  });

  it('refuses new names that another state has, metadata keys, empty names and built-ins, in words', () => {
    const state = { kind: 'state', name: 'menu' } as const;
    assert.match(newNameProblem(symbols, state, 'done') ?? '', /A state named 'done' already exists/);
    assert.match(newNameProblem(symbols, state, 'intents') ?? '', /key of the flow itself/);
    assert.match(newNameProblem(symbols, state, 'states') ?? '', /key of the flow itself/);
    assert.match(newNameProblem(symbols, state, '  ') ?? '', /needs a name/);
    assert.match(newNameProblem(symbols, state, 'response') ?? '', /built-in variable/);
    assert.match(newNameProblem(symbols, { kind: 'state', name: 'ask_name' }, 'a.b') ?? '', /cannot be read that way/);
    assert.equal(newNameProblem(symbols, state, 'main_menu'), null);
    assert.throws(() => renameEdits(symbols, state, 'done'), RenameRefused);
    assert.match(newNameProblem(symbols, { kind: 'intent', name: 'greet' }, 'cancel') ?? '', /An intent named 'cancel' already exists/);
    const noCancel = FlowSymbols.of('{"intents": {"greet": ["hi"]}, "states": {"a": {}}}');
    assert.match(newNameProblem(noCancel, { kind: 'intent', name: 'greet' }, 'cancel') ?? '', /abandons the flow/);
  });

  it('refuses positions that are not a state or an intent, built-ins, integrations and the cancel state', () => {
    const refusal = (offset: number): string => {
      try {
        prepareRename(symbols, offset);
        return 'allowed';
      } catch (error) {
        assert.ok(error instanceof RenameRefused);
        return error.message;
      }
    };
    assert.match(refusal(WRAPPED.indexOf('"message"') + 2), /Put the cursor on a state or an intent/);
    assert.match(refusal(WRAPPED.indexOf('contact_name') + 1), /built-in variable/);
    assert.match(refusal(WRAPPED.indexOf('"integration": "orders"') + 18), /Integrations are named/);
    assert.match(refusal(WRAPPED.indexOf('"cancel": { "message"') + 2), /cancelling with nowhere to go/);
    assert.match(refusal(WRAPPED.indexOf('{{variables.order.items') + 13), /not a state's answer/);
  });

  it('changes nothing when the name stays the same', () => {
    assert.deepEqual(renameEdits(symbols, { kind: 'state', name: 'menu' }, 'menu'), { flow: [], tests: [] });
  });
});
