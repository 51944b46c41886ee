// The flow language's words and lists in plain Node: completion at each kind of place (both
// shapes, half-typed text), the outline, and the hovers of states and variables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowCompletions } from '../../src/flows/flowCompletion.js';
import { flowOutline, workspaceSymbolMatches } from '../../src/flows/flowOutline.js';
import { FlowSymbols, sandboxConfigIntegrations } from '../../src/flows/flowSymbols.js';
import { escapeMarkdown, firstLine, intentHover, integrationHover, messageLines, stateHover, variableHover } from '../../src/flows/stateSummary.js';

/** Completion where `|` stands in the text: what it replaces and the items as `kind:label`. */
function complete(marked: string, known: string[] = []): { replaced: string; items: string[] } | null {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const completion = flowCompletions(FlowSymbols.of(text), offset, known);
  if (!completion) {
    return null;
  }
  const { replace } = completion;
  return { replaced: text.slice(replace.offset, replace.offset + replace.length), items: completion.items.map((item) => `${item.kind}:${item.label}`) };
}

const BUTTONS = '{"type": "buttons", "text": "Pick one", "buttons": [{"id": "a", "title": "Apple"}, {"id": "b", "title": "Banana"}]}';

describe('flowCompletions', () => {
  it('offers state names inside a target string, replacing the whole string, with what each state says', () => {
    const text = `{"states": {"a": {"message": "Hi there", "transitions": {"default": "b|"}}, "b": {"message": ${BUTTONS}}}}`;
    assert.deepEqual(complete(text), { replaced: '"b"', items: ['state:a', 'state:b'] });
    const items = flowCompletions(FlowSymbols.of(text.replace('|', '')), text.indexOf('|'))?.items ?? [];
    assert.deepEqual(items.map((item) => [item.detail, item.insertText]), [['Hi there', '"a"'], ['Pick one', '"b"']]);
  });

  it('offers state names after a colon with no value yet, inserting a quoted name', () => {
    assert.deepEqual(complete('{"a": {"transitions": {"always": |}}, "b": {}}'), { replaced: '', items: ['state:a', 'state:b'] });
  });

  it('offers state names at every target kind: the four maps, API_CALL and CONDITION targets, initial_state', () => {
    for (const marked of [
      '{"a": {"transitions": {"buttons": {"x": "|"}}}}',
      '{"a": {"transitions": {"keywords": {"hi|hello": "|"}}}}',
      '{"a": {"transitions": {"regex": {"^y$": "|"}}}}',
      '{"a": {"transitions": {"intents": {"greet": "|"}}}}',
      '{"a": {"actions": [{"type": "API_CALL", "url": "https://x", "success_transition": "|"}]}}',
      '{"a": {"actions": [{"type": "API_CALL", "url": "https://x", "failure_transition": "|"}]}}',
      '{"a": {"actions": [{"type": "CONDITION", "if": "true", "then": "|"}]}}',
      '{"a": {"actions": [{"type": "CONDITION", "if": "true", "else": "|"}]}}',
      '{"initial_state": "|", "a": {}}',
    ]) {
      assert.deepEqual(complete(marked.replace('hi|hello', 'hi_hello'))?.items, ['state:a'], marked);
    }
  });

  it('offers nothing of its own in a message, a button id or a metadata value', () => {
    assert.equal(complete('{"a": {"message": "|"}}'), null);
    assert.equal(complete('{"a": {"transitions": {"buttons": {"|": "a"}}}}'), null);
    assert.equal(complete('{"name": "|", "a": {}}'), null);
  });

  it('offers intent names as transitions.intents keys, replacing the key being typed', () => {
    assert.deepEqual(complete('{"intents": {"greet": ["hi"], "bye": ["bye"]}, "states": {"a": {"transitions": {"intents": {"gr|": "a"}}}}}'), {
      replaced: '"gr"',
      items: ['intent:greet', 'intent:bye'],
    });
  });

  it('offers the flow\'s integrations, then the sandbox config\'s, in an API_CALL\'s integration', () => {
    assert.deepEqual(complete('{"integrations": {"orders": {"baseUrl": "http://x"}}, "a": {"actions": [{"type": "API_CALL", "integration": "|"}]}}', ['crm', 'orders']), {
      replaced: '""',
      items: ['integration:orders', 'integration:crm'],
    });
  });

  it('offers the variables the flow sets, then the built-ins, inside an unclosed {{ and after variables.', () => {
    const flow = (message: string): string => `{"a": {"message": "${message}", "save_input_as": "nick"}, "b": {"actions": [{"type": "API_CALL", "url": "https://x", "save_to": "order"}]}}`;
    const expected = ['variable:a', 'variable:nick', 'variable:b', 'variable:order', 'variable:contact_name', 'variable:response'];
    assert.deepEqual(complete(flow('Hi {{|')), { replaced: '', items: expected });
    assert.deepEqual(complete(flow('Hi {{variables.or|der}}')), { replaced: 'order', items: expected });
    // Past the variable's name, the flow does not know the path.
    assert.equal(complete(flow('Hi {{order.|}}')), null);
    // A closed placeholder before the cursor is not a place for a variable.
    assert.equal(complete(flow('Hi {{a}} and |')), null);
  });

  it('works in a half-typed file that does not parse', () => {
    assert.deepEqual(complete('{"states": {"a": {"message": "A", "transitions": {"default": "|\n  "b": {"message": "B"}}}')?.items.slice(0, 1), ['state:a']);
  });
});

describe('flowOutline', () => {
  it('lists the states with the initial one marked and what each says, then intents and integrations', () => {
    const symbols = FlowSymbols.of(
      `{"initial_state": "b", "intents": {"hi": ["hi"]}, "integrations": {"crm": {"baseUrl": "http://x"}}, "states": {"a": {"message": ["First words", "Second"]}, "b": {"message": ${BUTTONS}}, "c": {}}}`,
    );
    const outline = flowOutline(symbols);
    assert.deepEqual(
      outline.map((entry) => `${entry.kind} ${entry.name}: ${entry.detail} [${entry.children.map((child) => child.name).join(',')}]`),
      ['state a: First words []', 'state b: initial · Pick one []', 'state c:  []', 'intents intents: 1 [hi]', 'integrations integrations: 1 [crm]'],
    );
    for (const entry of outline) {
      const whole = symbols.text.slice(entry.whole.offset, entry.whole.offset + entry.whole.length);
      assert.ok(whole.includes(symbols.text.slice(entry.key.offset, entry.key.offset + entry.key.length)), entry.name);
    }
  });
});

describe('state and variable summaries', () => {
  const symbols = FlowSymbols.of(
    `{"states": {"menu": {"message": [${BUTTONS}, {"type": "image", "media_url": "https://x/p.png", "media_caption": "Our pizza"}], "transitions": {"buttons": {"a": "end", "b": "menu"}, "default": "menu"}, "actions": [{"type": "API_CALL", "url": "https://x", "save_to": "order", "success_transition": "end"}]}, "end": {"message": "Bye **{{menu}}**"}}}`,
  );

  it('lists a state\'s messages as text, with buttons and media', () => {
    const menu = symbols.state('menu');
    assert.ok(menu);
    assert.deepEqual(messageLines(menu), ['Pick one', 'Buttons: Apple (a), Banana (b)', '[image] Our pizza']);
    assert.equal(firstLine(menu), 'Pick one');
  });

  it('describes a state: its message, its ways out, how many places lead to it', () => {
    const hover = stateHover(symbols, 'menu').replace(/\\(.)/g, '$1');
    assert.match(hover, /> Buttons: Apple \(a\), Banana \(b\)/);
    assert.match(hover, /- button a → end\n- button b → menu\n- default → menu\n- API_CALL succeeds → end/);
    assert.match(hover, /2 places lead here\./);
    assert.match(stateHover(symbols, 'nowhere'), /No state is named/);
  });

  it('escapes the bot\'s Markdown so that it shows as written', () => {
    assert.equal(escapeMarkdown('Bye **you**'), 'Bye \\*\\*you\\*\\*');
    assert.match(stateHover(symbols, 'end'), /Bye \\\*\\\*\\\{\\\{menu\\\}\\\}\\\*\\\*/);
  });

  it('says where a variable is set: a state\'s answer, a save_to, a built-in, or nowhere', () => {
    assert.match(variableHover(symbols, 'menu'), /the answer to state \*\*menu\*\*/);
    assert.match(variableHover(symbols, 'order'), /`save_to` in state \*\*menu\*\*/);
    assert.match(variableHover(symbols, 'contact_name'), /built in: the user's name/);
    assert.match(variableHover(symbols, 'nobody'), /is never set in this flow/);
  });
});

describe('workspace symbols, intents and integrations', () => {
  const symbols = FlowSymbols.of('{"intents": {"order_pizza": ["pizza"]}, "integrations": {"orders": {"baseUrl": "http://x"}}, "states": {"ask_name": {"transitions": {"intents": {"order_pizza": "ask_name"}}, "actions": [{"type": "API_CALL", "integration": "orders", "path": "/"}, {"type": "API_CALL", "integration": "crm", "path": "/"}]}, "name_ok": {}}}');

  it('matches states and intents whose names hold the query\'s letters in order', () => {
    assert.deepEqual(workspaceSymbolMatches(symbols, 'ANam').map((match) => `${match.kind} ${match.name}`), ['state ask_name']);
    assert.deepEqual(workspaceSymbolMatches(symbols, 'opz').map((match) => `${match.kind} ${match.name}`), ['intent order_pizza']);
    assert.equal(workspaceSymbolMatches(symbols, '').length, 3);
  });

  it('says where an intent is defined and how many transitions use it', () => {
    assert.match(intentHover(symbols, 'order_pizza'), /defined in this flow's "intents"; used by 1 transition\./);
    assert.match(intentHover(symbols, 'greet'), /not defined/);
  });

  it('says where an integration is defined: the flow, sarufi.sandbox.json, or nowhere', () => {
    assert.match(integrationHover(symbols, 'orders', false), /defined in this flow's "integrations"; called by 1 API_CALL\./);
    assert.match(integrationHover(symbols, 'crm', true), /defined in sarufi\.sandbox\.json/);
    assert.match(integrationHover(symbols, 'crm', false), /nowhere the sandbox reads/);
  });

  it('reads the integrations of a sarufi.sandbox.json with the range of each key', () => {
    const found = sandboxConfigIntegrations('{\n  "integrations": {\n    "orders": { "baseUrl": "http://127.0.0.1:8788" }\n  }\n}');
    assert.deepEqual(found.map((integration) => [integration.name, integration.keyRange]), [['orders', { start: { line: 2, character: 4 }, end: { line: 2, character: 12 } }]]);
    assert.deepEqual(sandboxConfigIntegrations('not json'), []);
  });
});
