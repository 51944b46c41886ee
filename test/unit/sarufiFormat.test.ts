// What goes to Sarufi: local-only keys stay on the machine; keys whose spelling only the sandbox
// defines are sent as written and listed with their paths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forSarufi } from '../../src/flow/sarufiFormat.js';

describe('forSarufi', () => {
  it('removes $schema, integrations and the chatbot metadata from a map of states, keeping the states in order', () => {
    const { definition, removed } = forSarufi({
      $schema: './flow.schema.json',
      name: 'Pizza',
      description: 'd',
      category: 'food',
      integrations: { orders: { baseUrl: 'http://127.0.0.1:1', headers: { 'X-Api-Key': 'secret' } } },
      greet: { message: 'Hi', transitions: { default: 'bye' } },
      bye: { message: 'Bye' },
    });
    assert.deepEqual(definition, { greet: { message: 'Hi', transitions: { default: 'bye' } }, bye: { message: 'Bye' } });
    assert.deepEqual(Object.keys(definition), ['greet', 'bye']);
    assert.deepEqual(removed.map((note) => note.path), ['$schema', 'name', 'description', 'category', 'integrations']);
  });

  it('reads the wrapped shape too, and drops a state note', () => {
    const { definition, removed } = forSarufi({ $schema: 's', states: { a: { message: 'x', description: 'note' } } });
    assert.deepEqual(definition, { states: { a: { message: 'x' } } });
    assert.deepEqual(removed.map((note) => note.path), ['$schema', 'states.a.description']);
  });

  it('lists undocumented triggers, flags and action fields where they are, and sends them as written', () => {
    const flow = {
      initial_state: 'menu',
      menu: {
        initial: true,
        save_input_as: 'choice',
        message: 'Pick',
        actions: [
          { type: 'API_CALL', integration: 'orders', path: '/x', method: 'POST', fire_and_forget: true, timeout_ms: 500 },
          { type: 'CONDITION', if: '{{x}} == 1', then: 'menu' },
          { type: 'LLM_AGENT', name: 'Helper', system_prompt: 'Be brief', tools: [] },
          { type: 'SEND_MESSAGE', message: 'ok' },
        ],
        transitions: { keywords: { yes: 'menu' }, regex: { '^\\d$': 'menu' }, default: 'menu' },
      },
    };
    const { definition, sandboxSpellings } = forSarufi(flow);
    assert.deepEqual(definition, flow);
    assert.deepEqual(sandboxSpellings.map((note) => note.path), [
      'initial_state',
      'states.menu.initial',
      'states.menu.save_input_as',
      'states.menu.transitions.keywords',
      'states.menu.transitions.regex',
      'states.menu.actions[0].timeout_ms',
      'states.menu.actions[1].if',
      'states.menu.actions[1].then',
    ]);
  });

  it('has nothing to say about a flow written only in documented keys', () => {
    const flow = { fetch: { message: 'Looking…', actions: [{ type: 'API_CALL', url: 'https://x', save_to: 'order', success_transition: 'fetch' }], transitions: { default: 'fetch' } } };
    const result = forSarufi(flow);
    assert.deepEqual(result, { definition: flow, removed: [], sandboxSpellings: [] });
  });
});
