// `sarufi-test --watch` keeps watching when a folder is missing or is deleted and created again:
// the folder is looked for (injected timers here) and watched again when it is back.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/sarufiTest.js';
import { createFolderWatcher, FOLDER_APPEARED } from '../../src/conversationTests/watch.js';
import type { Timers } from '../../src/conversationTests/watch.js';

/** Timers whose callbacks the test fires; `next()` resolves when one is set. */
function manualTimers(): Timers & { fire(): void; next(): Promise<void>; count(): number } {
  const waiting: (() => void)[] = [];
  let armed: (() => void) | null = null;
  return {
    set: (callback) => {
      waiting.push(callback);
      armed?.();
      armed = null;
      return callback;
    },
    clear: (handle) => {
      const at = waiting.indexOf(handle as () => void);
      if (at !== -1) {
        waiting.splice(at, 1);
      }
    },
    fire: () => waiting.splice(0).forEach((callback) => callback()),
    next: () => (waiting.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => (armed = resolve))),
    count: () => waiting.length,
  };
}

/** Changes as they come, and a promise for the first one that `wanted` accepts. */
function changes(): { onChange: (file: string) => void; when: (wanted: (file: string) => boolean) => Promise<string> } {
  const seen: string[] = [];
  const waiters: { wanted: (file: string) => boolean; resolve: (file: string) => void }[] = [];
  return {
    onChange: (file) => {
      seen.push(file);
      for (const waiter of waiters.filter((candidate) => candidate.wanted(file))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(file);
      }
    },
    when: (wanted) => {
      const already = seen.find(wanted);
      return already === undefined ? new Promise((resolve) => waiters.push({ wanted, resolve })) : Promise.resolve(already);
    },
  };
}

describe('the folder watcher of --watch', () => {
  it('a folder that does not exist yet is looked for, then watched once it is created', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'sarufi-watch-')), 'flows');
    const timers = manualTimers();
    const seen = changes();
    const stop = createFolderWatcher(timers)(folder, seen.onChange);
    try {
      assert.equal(timers.count(), 1, 'a look for the folder is scheduled');
      mkdirSync(folder);
      timers.fire();
      assert.equal(await seen.when((file) => file === FOLDER_APPEARED), FOLDER_APPEARED);
      writeFileSync(join(folder, 'a.flow.json'), '{}');
      assert.equal(await seen.when((file) => file === 'a.flow.json'), 'a.flow.json');
    } finally {
      stop();
    }
    assert.equal(timers.count(), 0, 'stopping clears the look');
  });

  it('a watched folder deleted and created again is watched again, with a change for its return', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'sarufi-watch-')), 'flows');
    mkdirSync(folder);
    const timers = manualTimers();
    const seen = changes();
    const stop = createFolderWatcher(timers)(folder, seen.onChange);
    try {
      assert.equal(timers.count(), 0);
      const looking = timers.next();
      rmSync(folder, { recursive: true });
      await looking;
      timers.fire();
      assert.equal(timers.count(), 1, 'still missing: looked for again');
      mkdirSync(folder);
      timers.fire();
      await seen.when((file) => file === FOLDER_APPEARED);
      writeFileSync(join(folder, 'b.sarufi-test.yaml'), 'x');
      assert.equal(await seen.when((file) => file === 'b.sarufi-test.yaml'), 'b.sarufi-test.yaml');
    } finally {
      stop();
    }
  });
});

describe('sarufi-test --watch with a missing folder', () => {
  it("a test whose flow's folder does not exist reports the failed test and keeps watching, instead of exiting on ENOENT", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sarufi-watch-cli-'));
    writeFileSync(join(dir, 'a.sarufi-test.yaml'), 'name: later\ntarget: {flow: later/pizza.flow.json}\nsteps:\n  - button: order\n    expect: {state: choose_pizza}\n');
    const controller = new AbortController();
    const lines: string[] = [];
    const exit = runCli(['.', '--watch'], {
      out: (line) => {
        lines.push(line);
        if (line.includes('Watching for changes')) {
          controller.abort();
        }
      },
      err: (line) => lines.push(line),
      env: {},
      cwd: dir,
      signal: controller.signal,
    });
    const code = await exit;
    assert.ok(lines.some((line) => line.includes('Watching for changes')), lines.join('\n'));
    assert.notEqual(code, 0);
  });
});
