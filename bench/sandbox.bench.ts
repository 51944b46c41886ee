// The sandbox's throughput and latency with 1 and 50 concurrent sessions, and the client's
// overhead per call against a bare fetch to the same server, measured in the same run.
import { resolve } from 'node:path';
import { SarufiClient } from '../src/sarufi/client.js';
import { startSandbox } from '../src/sandbox/server.js';

// The bench runner starts every bench in the project's root.
const FLOWS = resolve('examples');
const KEY = 'sk-bench-7c1f';
const TURNS_PER_SESSION = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ flowDirs: [FLOWS], apiKey: KEY });
  const pizza = sandbox.chatbots().find((bot) => bot.name === 'Pizza Bahari');
  if (!pizza) {
    throw new Error('bench needs examples/pizza-order.flow.json');
  }
  const pizzaId = pizza.id;
  const client = new SarufiClient({ baseUrl: sandbox.baseUrl, apiKey: KEY });

  /** One session sending `turns` messages in a row; returns each turn's latency. */
  async function session(turns: number): Promise<number[]> {
    const { session_id } = await client.createSession(pizzaId);
    const latencies: number[] = [];
    for (let i = 0; i < turns; i += 1) {
      const started = performance.now();
      // "hours" loops back to the main menu, so a session never ends (and never answers 410).
      await client.sendMessage(pizzaId, session_id, { message: 'hours' });
      latencies.push(performance.now() - started);
    }
    return latencies;
  }

  const rows: string[] = [];
  for (const concurrency of [1, 50]) {
    const turns = concurrency === 1 ? 1000 : TURNS_PER_SESSION;
    const started = performance.now();
    const all = (await Promise.all(Array.from({ length: concurrency }, () => session(turns)))).flat().sort((a, b) => a - b);
    const seconds = (performance.now() - started) / 1000;
    rows.push(`| ${concurrency} | ${all.length} | ${(all.length / seconds).toFixed(0)} | ${percentile(all, 50).toFixed(2)} | ${percentile(all, 99).toFixed(2)} |`);
  }
  console.log('Sandbox turns (pizza flow, client over loopback HTTP)\n');
  console.log('| concurrent sessions | turns | turns/s | p50 ms | p99 ms |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  console.log(rows.join('\n'));

  // Client overhead: the same GET /me, through SarufiClient and through a bare fetch, interleaved.
  const CALLS = 2000;
  const bare: number[] = [];
  const typed: number[] = [];
  for (let i = 0; i < CALLS; i += 1) {
    let t = performance.now();
    const response = await fetch(`${sandbox.baseUrl}/me`, { headers: { Authorization: `Bearer ${KEY}`, Accept: 'application/json' } });
    await response.json();
    bare.push(performance.now() - t);
    t = performance.now();
    await client.me();
    typed.push(performance.now() - t);
  }
  const median = (values: number[]) => percentile(values.slice().sort((a, b) => a - b), 50);
  console.log('\nClient overhead per call (GET /me, median of 2,000 interleaved calls)\n');
  console.log('| bare fetch ms | SarufiClient ms | ratio |');
  console.log('| ---: | ---: | ---: |');
  console.log(`| ${median(bare).toFixed(3)} | ${median(typed).toFixed(3)} | ${(median(typed) / median(bare)).toFixed(2)}× |`);
  await sandbox.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
