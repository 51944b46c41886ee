import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/sarufiTest.js';
import type { CliIo } from '../../src/cli/sarufiTest.js';
import { parseShard, shardFiles } from '../../src/conversationTests/shard.js';
import type { FolderWatcher, Timers } from '../../src/conversationTests/watch.js';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

const PASSING = `name: Order opens the menu
target: {flow: pizza.flow.json}
steps:
  - button: order
    expect: {state: choose_pizza}
`;
const FAILING = PASSING.replace('name: Order opens the menu', 'name: Wrong state').replace('choose_pizza', 'ask_quantity');

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sarufi-ci-'));
  writeFileSync(join(dir, 'pizza.flow.json'), readFileSync(join(EXAMPLES, 'pizza-order.flow.json')));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function captureIo(cwd: string, extra: Partial<CliIo> = {}): CliIo & { out: (line: string) => void; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line), env: {}, cwd, ...extra };
}

describe('sarufi-test --shard', () => {
  it('puts every file in exactly one shard, the same whatever the order the files were found in', () => {
    const files = ['/ci/b/x.sarufi-test.yaml', '/ci/a.sarufi-test.yaml', '/ci/c.sarufi-test.yaml', '/ci/b/a.sarufi-test.yaml', '/ci/d.sarufi-test.yaml'];
    const rel = (path: string) => path.slice('/ci/'.length);
    const shards = [1, 2, 3].map((index) => shardFiles(files, { index, count: 3 }, rel));
    assert.deepEqual(shards.flat().sort(), [...files].sort());
    assert.deepEqual(shardFiles([...files].reverse(), { index: 2, count: 3 }, rel), shards[1]);
    assert.deepEqual(shards[0], ['/ci/a.sarufi-test.yaml', '/ci/c.sarufi-test.yaml']);
  });

  it('refuses a shard that is not i/n with 1 ≤ i ≤ n, with exit code 2', async () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    for (const bad of ['0/2', '3/2', '1/0', 'two']) {
      assert.throws(() => parseShard(bad), /--shard must be i\/n/);
    }
    const io = captureIo(EXAMPLES);
    assert.equal(await runCli(['.', '--shard', '5/2'], io), 2);
    assert.match(io.stderr.join('\n'), /--shard must be i\/n/);
  });
});

describe('sarufi-test --reporter', () => {
  it('json on stdout holds only the report, the progress going to stderr; exit 1 when a test fails', async () => {
    const dir = scratch({ 'a.sarufi-test.yaml': PASSING, 'b.sarufi-test.yaml': FAILING });
    const io = captureIo(dir);
    assert.equal(await runCli(['.', '--reporter', 'json'], io), 1);
    const report = JSON.parse(io.stdout.join('\n')) as { passed: number; failed: number; tests: { file: string; status: string; steps: { status: string; line: number }[] }[] };
    assert.equal(report.passed, 1);
    assert.equal(report.failed, 1);
    assert.deepEqual(report.tests.map((test) => [test.file, test.status]), [['a.sarufi-test.yaml', 'passed'], ['b.sarufi-test.yaml', 'failed']]);
    assert.deepEqual(report.tests[1]?.steps.map((step) => [step.status, step.line]), [['passed', 1], ['failed', 4]]);
    assert.match(io.stderr.join('\n'), /1 passed, 1 failed/);
  });

  it('tap writes a TAP 13 plan with a diagnostic block for the failed step, to --output', async () => {
    const dir = scratch({ 'a.sarufi-test.yaml': PASSING, 'b.sarufi-test.yaml': FAILING });
    const io = captureIo(dir);
    assert.equal(await runCli(['.', '--reporter', 'tap', '--output', 'report.tap'], io), 1);
    const tap = readFileSync(join(dir, 'report.tap'), 'utf8').split('\n');
    assert.deepEqual(tap.slice(0, 4), ['TAP version 13', '1..2', 'ok 1 - a.sarufi-test.yaml - Order opens the menu', 'not ok 2 - b.sarufi-test.yaml - Wrong state']);
    assert.ok(tap.includes('    - step: "1: button order"'), tap.join('\n'));
    assert.ok(tap.some((line) => line.trim() === '- current_state: ask_quantity'), tap.join('\n'));
  });

  it('refuses an unknown reporter and --output without --reporter', async () => {
    const io = captureIo(EXAMPLES);
    assert.equal(await runCli(['.', '--reporter', 'html'], io), 2);
    assert.equal(await runCli(['.', '--output', 'x.json'], io), 2);
    assert.match(io.stderr.join('\n'), /--reporter must be one of junit, json, tap[\s\S]*--output goes with --reporter/);
  });
});

describe('sarufi-test --watch', () => {
  it('runs again after a burst of changes to a test file settles, ignores other files, and stops on abort', async () => {
    const dir = scratch({ 'a.sarufi-test.yaml': PASSING });
    const listeners: ((file: string) => void)[] = [];
    const watched: string[] = [];
    const watcher: FolderWatcher = (folder, onChange) => {
      watched.push(folder);
      listeners.push(onChange);
      return () => undefined;
    };
    const scheduled: (() => void)[] = [];
    const timers: Timers = {
      set: (callback) => scheduled.push(callback) - 1,
      clear: (handle) => {
        scheduled[handle as number] = () => undefined;
      },
    };
    const controller = new AbortController();
    let runsSeen = 0;
    let wake: () => void = () => undefined;
    const io = captureIo(dir, { signal: controller.signal, watcher, timers });
    io.out = (line) => {
      io.stdout.push(line);
      if (line.includes('Watching for changes')) {
        runsSeen += 1;
        wake();
      }
    };
    const nextRun = () => new Promise<void>((resolve) => (wake = resolve));

    const firstRun = nextRun();
    const exit = runCli(['.', '--watch'], io);
    await firstRun;
    assert.deepEqual(watched, [dir]);
    assert.match(io.stdout.join('\n'), /1 passed, 0 failed/);

    for (const listener of listeners) {
      listener('notes.txt');
    }
    assert.equal(scheduled.length, 0, 'a change to another file schedules nothing');
    writeFileSync(join(dir, 'a.sarufi-test.yaml'), FAILING);
    const secondRun = nextRun();
    listeners[0]?.('a.sarufi-test.yaml');
    listeners[0]?.('a.sarufi-test.yaml');
    assert.equal(scheduled.length, 2);
    for (const callback of [...scheduled]) {
      callback();
    }
    await secondRun;
    // An extra rerun from the burst would be chained right behind the first and read the test file
    // at once: one turn of the event loop lets it start (no timer). Then a third, deliberate change
    // (a test of another name) queues behind it, so by that run's "Watching" any extra one has been counted.
    await new Promise<void>((resolve) => setImmediate(resolve));
    writeFileSync(join(dir, 'a.sarufi-test.yaml'), PASSING.replace('Order opens the menu', 'Third change'));
    const thirdRun = new Promise<void>((resolve) => {
      wake = () => {
        if (io.stdout.join('\n').includes('Third change')) {
          resolve();
        }
      };
    });
    listeners[0]?.('a.sarufi-test.yaml');
    scheduled[scheduled.length - 1]?.();
    await thirdRun;
    assert.equal(runsSeen, 3, 'two changes in one burst make one rerun (then the third change one more)');
    assert.match(io.stdout.join('\n'), /0 passed, 1 failed[\s\S]*1 passed, 0 failed/);
    controller.abort();
    assert.equal(await exit, 0, 'the exit code is that of the last run');
  });
});
