// The chat panel's watch over a page that never says `ready`: on node:test's mocked clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { PageLoadWatchdog } from '../../src/chat/pageLoadWatchdog.js';

function watched(t: TestContext, maxReloads = 2): { watchdog: PageLoadWatchdog; reloads: number[]; gaveUp: () => number } {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const reloads: number[] = [];
  let gaveUp = 0;
  const watchdog = new PageLoadWatchdog({ waitMs: 10_000, maxReloads, reload: (attempt) => reloads.push(attempt), gaveUp: () => (gaveUp += 1) });
  return { watchdog, reloads, gaveUp: () => gaveUp };
}

describe('PageLoadWatchdog', () => {
  it('a page that says ready within the wait is never loaded again', (t) => {
    const { watchdog, reloads, gaveUp } = watched(t);
    watchdog.expect();
    t.mock.timers.tick(9_999);
    watchdog.ready();
    t.mock.timers.tick(60_000);
    assert.deepEqual(reloads, []);
    assert.equal(gaveUp(), 0);
  });

  it('a page silent for the whole wait is loaded again, once per wait, then the author is told once', (t) => {
    const { watchdog, reloads, gaveUp } = watched(t);
    watchdog.expect();
    t.mock.timers.tick(10_000);
    assert.deepEqual(reloads, [1]);
    t.mock.timers.tick(10_000);
    assert.deepEqual(reloads, [1, 2]);
    assert.equal(gaveUp(), 0);
    t.mock.timers.tick(10_000);
    assert.equal(gaveUp(), 1);
    t.mock.timers.tick(60_000);
    assert.deepEqual(reloads, [1, 2], 'no reload after giving up');
    assert.equal(gaveUp(), 1);
  });

  it('a reloaded page that says ready stops the retries', (t) => {
    const { watchdog, reloads, gaveUp } = watched(t);
    watchdog.expect();
    t.mock.timers.tick(10_000);
    watchdog.ready();
    t.mock.timers.tick(60_000);
    assert.deepEqual(reloads, [1]);
    assert.equal(gaveUp(), 0);
  });

  it('a page hidden before it said ready is not waited for while hidden', (t) => {
    const { watchdog, reloads } = watched(t);
    watchdog.expect();
    t.mock.timers.tick(5_000);
    watchdog.stop();
    t.mock.timers.tick(60_000);
    assert.deepEqual(reloads, []);
  });

  it('showing the page again restarts the wait rather than adding a second one', (t) => {
    const { watchdog, reloads } = watched(t);
    watchdog.expect();
    t.mock.timers.tick(8_000);
    watchdog.expect();
    t.mock.timers.tick(8_000);
    assert.deepEqual(reloads, [], 'the first wait was replaced');
    t.mock.timers.tick(2_000);
    assert.deepEqual(reloads, [1]);
  });

  it('after a ready, a later silent load gets every retry again', (t) => {
    const { watchdog, reloads, gaveUp } = watched(t, 1);
    watchdog.expect();
    t.mock.timers.tick(10_000);
    watchdog.ready();
    watchdog.expect();
    t.mock.timers.tick(10_000);
    assert.deepEqual(reloads, [1, 1]);
    t.mock.timers.tick(10_000);
    assert.equal(gaveUp(), 1);
  });
});
