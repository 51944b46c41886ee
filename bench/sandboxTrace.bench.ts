// The cost of the sandbox's turn trace (`sandbox_trace`): turns/s, latency and answer size with the
// trace on and off, in one run. Two sandboxes of the shipped bundle (dist/sandbox.js) run side by
// side in child processes, as beside VS Code, over the same flows; the rounds alternate between
// them so that a busy moment of the machine does not favour one.
import { resolve } from 'node:path';
import { forkSandbox } from '../src/sandbox/sandboxProcess.js';
import type { SandboxProcess } from '../src/sandbox/sandboxProcess.js';

// The bench runner starts every bench in the project's root.
const FLOWS = resolve('examples');
const KEY = 'sk-bench-trace-51a0';
const ROUNDS = 3;
const SHAPES = [
  { concurrency: 1, turns: 300 },
  { concurrency: 20, turns: 30 },
];

interface Sample {
  latencies: number[];
  bytes: number;
  seconds: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function post(sandbox: SandboxProcess, path: string, body?: unknown): Promise<{ json: unknown; bytes: number }> {
  const response = await fetch(sandbox.baseUrl + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${path}: ${response.status} ${text}`);
  }
  return { json: JSON.parse(text) as unknown, bytes: Buffer.byteLength(text) };
}

/** `concurrency` sessions of the pizza flow, each sending "hours" (which loops back) `turns` times. */
async function measure(sandbox: SandboxProcess, chatbotId: string, concurrency: number, turns: number): Promise<Sample> {
  let bytes = 0;
  const session = async (): Promise<number[]> => {
    const { json } = await post(sandbox, `/chatbots/${chatbotId}/chat/sessions`);
    const sessionId = (json as { session_id: string }).session_id;
    const latencies: number[] = [];
    for (let i = 0; i < turns; i += 1) {
      const started = performance.now();
      const answer = await post(sandbox, `/chatbots/${chatbotId}/chat/sessions/${sessionId}/messages`, { message: 'hours' });
      latencies.push(performance.now() - started);
      bytes += answer.bytes;
    }
    return latencies;
  };
  const started = performance.now();
  const latencies = (await Promise.all(Array.from({ length: concurrency }, session))).flat();
  return { latencies, bytes, seconds: (performance.now() - started) / 1000 };
}

function pizzaOf(sandbox: SandboxProcess): string {
  const pizza = sandbox.chatbots().find((bot) => bot.name === 'Pizza Bahari');
  if (!pizza) {
    throw new Error('bench needs examples/pizza-order.flow.json');
  }
  return pizza.id;
}

async function main(): Promise<void> {
  const entry = { script: resolve('dist/sandbox.js'), execArgv: [] };
  const traced = await forkSandbox({ flowDirs: [FLOWS], apiKey: KEY, trace: true }, entry);
  const plain = await forkSandbox({ flowDirs: [FLOWS], apiKey: KEY, trace: false }, entry);
  const sides = [
    { name: 'on', sandbox: traced, bot: pizzaOf(traced) },
    { name: 'off', sandbox: plain, bot: pizzaOf(plain) },
  ];
  const rows: string[] = [];
  const costs: string[] = [];
  for (const { concurrency, turns } of SHAPES) {
    // Warm both: the first turns load the turn workers.
    for (const side of sides) {
      await measure(side.sandbox, side.bot, concurrency, 5);
    }
    const totals = new Map(sides.map((side) => [side.name, { latencies: [] as number[], bytes: 0, seconds: 0 }]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const sample = await measure(side.sandbox, side.bot, concurrency, turns);
        const total = totals.get(side.name);
        if (total) {
          total.latencies.push(...sample.latencies);
          total.bytes += sample.bytes;
          total.seconds += sample.seconds;
        }
      }
    }
    const perSecond = new Map<string, number>();
    for (const side of sides) {
      const total = totals.get(side.name);
      if (!total) {
        continue;
      }
      const sorted = total.latencies.sort((a, b) => a - b);
      const rate = sorted.length / total.seconds;
      perSecond.set(side.name, rate);
      rows.push(
        `| ${side.name} | ${concurrency} | ${sorted.length} | ${rate.toFixed(0)} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 99).toFixed(2)} | ${(total.bytes / sorted.length).toFixed(0)} |`,
      );
    }
    const on = perSecond.get('on') ?? NaN;
    const off = perSecond.get('off') ?? NaN;
    costs.push(`| ${concurrency} | ${(on / off).toFixed(2)}× | ${((1 / on - 1 / off) * 1e6).toFixed(0)} µs |`);
  }
  console.log(`Sandbox turns with the trace on and off (pizza flow, "hours" on every turn, ${ROUNDS} alternating rounds)\n`);
  console.log('| trace | concurrent sessions | turns | turns/s | p50 ms | p99 ms | bytes per answer |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(rows.join('\n'));
  console.log('\nThe cost of the trace\n');
  console.log('| concurrent sessions | throughput on/off | added time per turn |');
  console.log('| ---: | ---: | ---: |');
  console.log(costs.join('\n'));
  await Promise.all([traced.close(), plain.close()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
