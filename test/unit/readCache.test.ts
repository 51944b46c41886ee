import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadCache } from '../../src/sarufi/readCache.js';

test('the read cache serves a repeat read without asking the server again', async () => {
  let now = 0;
  let loads = 0;
  const cache = new ReadCache(30_000, () => now);
  const load = async () => ++loads;
  assert.equal(await cache.get('/chatbots', load), 1);
  assert.equal(await cache.get('/chatbots', load), 1);
  now = 30_001;
  assert.equal(await cache.get('/chatbots', load), 2, 'an old entry is read again');
  cache.invalidate('/chat');
  assert.equal(await cache.get('/chatbots', load), 3, 'a refresh asks again');
});

test('a failed read is not cached', async () => {
  const cache = new ReadCache();
  await assert.rejects(cache.get('/me', () => Promise.reject(new Error('down'))));
  assert.equal(await cache.get('/me', async () => 'up'), 'up');
});
