import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startVariables } from '../../src/flows/startVariables.js';

test('every placeholder of a flow becomes an empty string, nested paths nested objects and arrays', () => {
  const flow = {
    states: {
      greet: { message: ['Hello {{ variables.name }}, order {{order.id}}'] },
      pay: {
        actions: [{ type: 'API_CALL', url: 'https://x/{{variables.order.id}}', body: { item: '{{variables.order.items[0].sku}}', again: '{{order.items.1.sku}}' } }],
        message: ['Thanks {{contact_name}}: {{response.status}}'],
      },
    },
  };
  assert.deepEqual(startVariables(flow), { name: '', order: { id: '', items: [{ sku: '' }, { sku: '' }] } });
});

test('a name used whole and then with a field becomes an object holding the field', () => {
  assert.deepEqual(startVariables({ a: ['{{user}}', '{{user.name}}'] }), { user: { name: '' } });
});

test('a flow without placeholders prefills nothing', () => {
  assert.deepEqual(startVariables({ states: { start: { message: ['Hi'] } } }), {});
});
