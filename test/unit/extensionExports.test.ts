// What other extensions get from `getExtension(...).exports`: outside the test runner nothing, so
// nothing that reaches the API key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXTENSION_MODE_TEST, extensionExports } from '../../src/extensionExports.js';

const KEY = 'sk-live-exports-7f3a';

/** Shaped like the real exports: the key sits behind the key store, as SecretStorage keeps it. */
function apiHoldingKey() {
  const secrets = new Map([['https://developers.sarufi.io/api/dev/v1', KEY]]);
  return { panels: { all: () => [] }, keys: { secrets, get: (baseUrl: string) => secrets.get(baseUrl) } };
}

/** Every string reachable from `value` through its properties and map entries. */
function reachableStrings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) {
    return [];
  }
  seen.add(value);
  const children: unknown[] = value instanceof Map ? [...value.entries()].flat() : Object.values(value);
  return children.flatMap((child) => reachableStrings(child, seen));
}

const MODES = { production: 1, development: 2 };

for (const [name, mode] of Object.entries(MODES)) {
  test(`in ${name} mode the exports are undefined, so no key is reachable from them`, () => {
    const exported = extensionExports(mode, apiHoldingKey());
    assert.equal(exported, undefined);
    assert.ok(!reachableStrings(exported).includes(KEY));
  });
}

test('in test mode the exports are the API itself, and the key is reachable from it (why no one else gets it)', () => {
  const api = apiHoldingKey();
  const exported = extensionExports(EXTENSION_MODE_TEST, api);
  assert.equal(exported, api);
  assert.ok(reachableStrings(exported).includes(KEY));
});
