import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { API_CALL_FIELDS, LLM_AGENT_FIELDS, METADATA_KEYS, STATE_FIELDS, TRANSITION_TRIGGERS } from '../../src/flow/flowReader.js';
import { ACTION_TYPES } from '../../src/flow/flowTypes.js';
import { MESSAGE_FIELDS, MESSAGE_TYPES } from '../../src/flow/botMessages.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
  enum?: string[];
  propertyNames?: SchemaNode;
  then?: SchemaNode;
  else?: SchemaNode;
  $ref?: string;
  [key: string]: unknown;
}

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'flow', 'flow.schema.json'), 'utf8')) as SchemaNode;
const definitions = schema.definitions ?? {};

function propertiesOf(name: string): string[] {
  return Object.keys(definitions[name]?.properties ?? {}).sort();
}

function refs(node: unknown): string[] {
  if (Array.isArray(node)) {
    return node.flatMap(refs);
  }
  if (typeof node === 'object' && node !== null) {
    return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refs(value)));
  }
  return [];
}

describe('flow JSON Schema (for editor completion)', () => {
  it('is draft-07 and every $ref points at something', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    for (const ref of refs(schema)) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], schema);
      assert.ok(target, `unresolved ${ref}`);
    }
  });

  it('knows the same top-level metadata keys as the reader, in both shapes', () => {
    assert.deepEqual(Object.keys(schema.properties ?? {}).sort(), [...METADATA_KEYS].sort());
    assert.deepEqual(Object.keys(schema.else?.properties ?? {}).sort(), [...METADATA_KEYS].sort());
    assert.deepEqual([...(schema.then?.propertyNames?.enum ?? [])].sort(), [...METADATA_KEYS, 'states'].sort());
  });

  it('knows the same state fields, transition triggers and API_CALL fields as the reader', () => {
    assert.deepEqual(propertiesOf('state'), [...STATE_FIELDS].sort());
    assert.deepEqual(propertiesOf('transitions'), [...TRANSITION_TRIGGERS].sort());
    assert.deepEqual(propertiesOf('apiCallAction'), [...API_CALL_FIELDS].sort());
    assert.deepEqual(propertiesOf('conditionAction'), ['else', 'if', 'then', 'type']);
    assert.deepEqual(propertiesOf('llmAgentAction'), [...LLM_AGENT_FIELDS].sort());
  });

  it('knows the same action types and message types, with the same fields per message type', () => {
    assert.deepEqual(definitions.action?.properties?.type?.enum, [...ACTION_TYPES]);
    assert.deepEqual(definitions.message?.properties?.type?.enum, [...MESSAGE_TYPES]);
    for (const type of MESSAGE_TYPES) {
      assert.deepEqual(propertiesOf(`${type}Message`), [...MESSAGE_FIELDS[type]].sort(), type);
    }
  });
});
