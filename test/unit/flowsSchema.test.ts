// The flow schema as the editor uses it: wired to *.flow.json by package.json, shipped in dist/,
// and documented on every property so that completion and hover have something to say.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MESSAGE_TYPES } from '../../src/flow/botMessages.js';
import { ACTION_TYPES } from '../../src/flow/flowTypes.js';

interface SchemaNode {
  description?: string;
  markdownDescription?: string;
  $ref?: string;
  enum?: string[];
  markdownEnumDescriptions?: string[];
  properties?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
  [key: string]: unknown;
}

const ROOT = join(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'src', 'flow', 'flow.schema.json'), 'utf8')) as SchemaNode;
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { jsonValidation?: { fileMatch: string | string[]; url: string }[] };
};

/** Every `properties` entry, except inside `if` (conditions, which the editor never shows). */
function undocumented(node: unknown, path: string): string[] {
  if (Array.isArray(node)) {
    return node.flatMap((item, index) => undocumented(item, `${path}[${index}]`));
  }
  if (typeof node !== 'object' || node === null) {
    return [];
  }
  const missing: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'if') {
      continue;
    }
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      for (const [name, property] of Object.entries(value as Record<string, SchemaNode>)) {
        if (!property.description && !property.markdownDescription && !property.$ref) {
          missing.push(`${path}.properties.${name}`);
        }
      }
    }
    missing.push(...undocumented(value, `${path}.${key}`));
  }
  return missing;
}

describe('flow schema in the editor', () => {
  it('package.json validates *.flow.json with the schema shipped in dist/', () => {
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '*.flow.json', url: './dist/flow.schema.json' }]);
    const esbuild = readFileSync(join(ROOT, 'esbuild.mjs'), 'utf8');
    assert.match(esbuild, /copyFileSync\('src\/flow\/flow\.schema\.json', 'dist\/flow\.schema\.json'\)/);
    assert.match(readFileSync(join(ROOT, '.vscodeignore'), 'utf8'), /^!dist\/flow\.schema\.json$/m);
  });

  it('every property has a description for hover and completion', () => {
    assert.deepEqual(undocumented(schema, '#'), []);
  });

  it('every message type and action type is explained in completion', () => {
    const definitions = schema.definitions ?? {};
    const messageType = definitions.message?.properties?.type;
    assert.deepEqual(messageType?.enum, [...MESSAGE_TYPES]);
    assert.equal(messageType?.markdownEnumDescriptions?.length, MESSAGE_TYPES.length);
    const actionType = definitions.action?.properties?.type;
    assert.deepEqual(actionType?.enum, [...ACTION_TYPES]);
    assert.equal(actionType?.markdownEnumDescriptions?.length, ACTION_TYPES.length);
    for (const [index, type] of MESSAGE_TYPES.entries()) {
      assert.ok(messageType?.markdownEnumDescriptions?.[index]?.startsWith(`\`${type}\``), `the description of ${type} is in its place`);
    }
  });
});
