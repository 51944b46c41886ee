// The sandbox's heap after a long soak of sessions beside its heap at the start, in the same run:
// 2,000 session requests of 2 × 50 KB start.variables and three turns each, twenty times its live
// bound, ending by eviction and by expiry (a fake clock). The sandbox runs in a child process of
// its own (test/unit/sandboxSoakChild.ts, the soak the unit test runs smaller), so its heap is
// measured alone, after full garbage collections.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const SETTINGS = { rounds: 10, sessionsPerRound: 200, maxLive: 100, variableBytes: 50_000 };
/** The heap after the soak may be at most this much of the heap once every bound has filled (round 2). */
const MAX_GROWTH = 1.25;

interface SoakResult {
  opened: number;
  heaps: number[];
}

const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', resolve('test/unit/sandboxSoakChild.ts'), JSON.stringify(SETTINGS)], { encoding: 'utf8' });
if (child.status !== 0) {
  console.error(`the soak failed: ${child.stderr.split('\n').slice(0, 5).join('\n')}`);
  process.exit(1);
}
const { opened, heaps } = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as SoakResult;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const start = heaps[0] ?? NaN;
const settled = heaps[2] ?? NaN;
const last = heaps.at(-1) ?? NaN;
console.log(`Sandbox heap (heapUsed after GC) over a soak of ${opened} sessions, live bound ${SETTINGS.maxLive}\n`);
console.log('| when | heap MB | × start |');
console.log('| --- | ---: | ---: |');
heaps.forEach((heap, index) => {
  const when = index === 0 ? 'start (flow loaded, no session)' : `after ${index * SETTINGS.sessionsPerRound} sessions`;
  console.log(`| ${when} | ${mb(heap)} | ${(heap / start).toFixed(2)}× |`);
});
const holds = last <= settled * MAX_GROWTH;
console.log(
  `\nAfter the soak the heap is ${(last / settled).toFixed(2)}× what it was once every bound had filled (at most ${MAX_GROWTH}× wanted): ${holds ? 'flat, holds' : 'DOES NOT HOLD'}.`,
);
if (!holds) {
  process.exitCode = 1;
}
