// The sandbox's throughput and latency at 1 and 50 concurrent sessions, beside a bare node:http
// server of the same Chat API shapes (bench/bareChatServer.mjs) measured in the same run; both run
// in a child process, as the sandbox does beside VS Code. The sandbox is the shipped bundle
// (dist/sandbox.js, which `npm run bench` builds first). Then the client's overhead per call
// against a bare fetch to the same server.
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { SarufiClient } from '../src/sarufi/client.js';
import { forkSandbox } from '../src/sandbox/sandboxProcess.js';

// The bench runner starts every bench in the project's root.
const FLOWS = resolve('examples');
const KEY = 'sk-bench-7c1f';
const TURNS_PER_SESSION = 200;
/** What the move out of the extension host must keep, against the bare server at 50 sessions. */
const MIN_THROUGHPUT_RATIO = 0.8;
const MAX_P99_RATIO = 1.5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Row {
  concurrency: number;
  turns: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** `concurrency` sessions sending their turns in a row; "hours" loops back, so no session ends. */
async function measure(client: SarufiClient, chatbotId: string, concurrency: number): Promise<Row> {
  const turns = concurrency === 1 ? 1000 : TURNS_PER_SESSION;
  const session = async (): Promise<number[]> => {
    const { session_id } = await client.createSession(chatbotId);
    const latencies: number[] = [];
    for (let i = 0; i < turns; i += 1) {
      const started = performance.now();
      await client.sendMessage(chatbotId, session_id, { message: 'hours' });
      latencies.push(performance.now() - started);
    }
    return latencies;
  };
  const started = performance.now();
  const all = (await Promise.all(Array.from({ length: concurrency }, session))).flat().sort((a, b) => a - b);
  const seconds = (performance.now() - started) / 1000;
  return { concurrency, turns: all.length, perSecond: all.length / seconds, p50: percentile(all, 50), p99: percentile(all, 99) };
}

async function startBareServer(): Promise<{ baseUrl: string; stop(): void }> {
  const child = fork(resolve('bench/bareChatServer.mjs'), [KEY], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise<{ port: number }>((done) => child.once('message', (message) => done(message as { port: number })));
  return { baseUrl: `http://127.0.0.1:${port}/api/dev/v1`, stop: () => child.disconnect() };
}

function line(name: string, row: Row): string {
  return `| ${name} | ${row.concurrency} | ${row.turns} | ${row.perSecond.toFixed(0)} | ${row.p50.toFixed(2)} | ${row.p99.toFixed(2)} |`;
}

async function main(): Promise<void> {
  const sandbox = await forkSandbox({ flowDirs: [FLOWS], apiKey: KEY }, { script: resolve('dist/sandbox.js'), execArgv: [] });
  const bare = await startBareServer();
  const pizza = sandbox.chatbots().find((bot) => bot.name === 'Pizza Bahari');
  if (!pizza) {
    throw new Error('bench needs examples/pizza-order.flow.json');
  }
  const client = new SarufiClient({ baseUrl: sandbox.baseUrl, apiKey: KEY });
  const bareClient = new SarufiClient({ baseUrl: bare.baseUrl, apiKey: KEY });

  const rows: string[] = [];
  let ratios = { throughput: NaN, p99: NaN };
  for (const concurrency of [1, 50]) {
    // Interleaved, so that a busy moment of the machine does not favour one of the two.
    const peer = await measure(bareClient, 'bare', concurrency);
    const ours = await measure(client, pizza.id, concurrency);
    rows.push(line('bare node:http', peer), line('sandbox (child process, turn workers)', ours));
    if (concurrency === 50) {
      ratios = { throughput: ours.perSecond / peer.perSecond, p99: ours.p99 / peer.p99 };
    }
  }
  console.log('Chat API turns over loopback HTTP (pizza flow for the sandbox, the same shapes for the bare server)\n');
  console.log('| server | concurrent sessions | turns | turns/s | p50 ms | p99 ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  console.log(rows.join('\n'));
  const holds = ratios.throughput >= MIN_THROUGHPUT_RATIO && ratios.p99 <= MAX_P99_RATIO;
  console.log(
    `\nAt 50 sessions the sandbox has ${ratios.throughput.toFixed(2)}× the bare server's throughput (at least ${MIN_THROUGHPUT_RATIO}× wanted) ` +
      `and ${ratios.p99.toFixed(2)}× its p99 (at most ${MAX_P99_RATIO}× wanted): ${holds ? 'holds' : 'DOES NOT HOLD'}.`,
  );
  if (!holds) {
    process.exitCode = 1;
  }

  // Client overhead: the same GET /me, through SarufiClient and through a bare fetch, interleaved.
  const CALLS = 2000;
  const bareFetch: number[] = [];
  const typed: number[] = [];
  for (let i = 0; i < CALLS; i += 1) {
    let t = performance.now();
    const response = await fetch(`${sandbox.baseUrl}/me`, { headers: { Authorization: `Bearer ${KEY}`, Accept: 'application/json' } });
    await response.json();
    bareFetch.push(performance.now() - t);
    t = performance.now();
    await client.me();
    typed.push(performance.now() - t);
  }
  const median = (values: number[]) => percentile(values.slice().sort((a, b) => a - b), 50);
  console.log('\nClient overhead per call (GET /me, median of 2,000 interleaved calls)\n');
  console.log('| bare fetch ms | SarufiClient ms | ratio |');
  console.log('| ---: | ---: | ---: |');
  console.log(`| ${median(bareFetch).toFixed(3)} | ${median(typed).toFixed(3)} | ${(median(typed) / median(bareFetch)).toFixed(2)}× |`);
  bare.stop();
  await sandbox.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
