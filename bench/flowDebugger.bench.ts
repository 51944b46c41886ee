// The cost of debugging: a 1,000-turn scripted conversation with the flow debugger attached and no
// breakpoints, beside the same conversation without it, in one run. Two pairs of peers:
//  - process to process, as an editor meets them: the shipped sandbox (dist/sandbox.js, over HTTP)
//    and the shipped stdio adapter (dist/flowDebugAdapter.js, over DAP), each running the turns in
//    a worker thread;
//  - the worker paths alone, in this process: the sandbox's turn pool and the debugger's
//    conversation (the engine's step hooks awaited at every step).
// Rounds alternate between the sides, so a busy moment of the machine does not favour one.
import { resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { readFlow } from '../src/flow/flowReader.js';
import type { ConversationSnapshot } from '../src/flow/engine.js';
import { DebugConversation } from '../src/sandbox/debugConversation.js';
import { forkSandbox } from '../src/sandbox/sandboxProcess.js';
import { TurnPool } from '../src/sandbox/turnPool.js';
import { readFileSync } from 'node:fs';

const FLOWS = resolve('examples');
const FLOW = resolve('examples/pizza-order.flow.json');
const KEY = 'sk-bench-debugger-7c1e';
const TURNS = 1000;
const ROUNDS = 5;
/** "hours" goes to opening_hours, which moves back to main_menu: the same turn a thousand times. */
const INPUT = 'hours';

type Side = { name: string; run(): Promise<number> };

async function post(baseUrl: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) {
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

async function sandboxSide(): Promise<Side & { close(): Promise<void> }> {
  const sandbox = await forkSandbox({ flowDirs: [FLOWS], apiKey: KEY }, { script: resolve('dist/sandbox.js'), execArgv: [] });
  const bot = sandbox.chatbots().find((chatbot) => chatbot.name === 'Pizza Bahari');
  if (!bot) {
    throw new Error('the bench needs examples/pizza-order.flow.json');
  }
  return {
    name: 'sandbox over HTTP, no debugger',
    async run() {
      const { session_id: sessionId } = (await post(sandbox.baseUrl, `/chatbots/${bot.id}/chat/sessions`)) as { session_id: string };
      const started = performance.now();
      for (let turn = 0; turn < TURNS; turn += 1) {
        await post(sandbox.baseUrl, `/chatbots/${bot.id}/chat/sessions/${sessionId}/messages`, { message: INPUT });
      }
      return performance.now() - started;
    },
    close: () => sandbox.close(),
  };
}

/** One DAP session per round: launch the flow, then send each message and wait for its turn's end. */
function adapterSide(): Side {
  return {
    name: 'debug adapter over DAP (stdio), no breakpoints',
    async run() {
      const client = new DebugClient(process.execPath, resolve('dist/flowDebugAdapter.js'), 'sarufi-flow');
      client.defaultTimeout = 60_000;
      await client.start();
      try {
        let ended: (() => void) | null = null;
        client.on('sarufiTurn', () => ended?.());
        const turnEnds = (): Promise<void> => new Promise<void>((done) => (ended = done));
        const greeting = turnEnds();
        await Promise.all([client.launch({ flow: FLOW }), client.configurationSequence()]);
        await greeting;
        const started = performance.now();
        for (let turn = 0; turn < TURNS; turn += 1) {
          const done = turnEnds();
          await client.customRequest('sarufiSend', { text: INPUT });
          await done;
        }
        return performance.now() - started;
      } finally {
        await client.stop();
      }
    },
  };
}

function poolSide(pool: TurnPool): Side {
  const model = readFlow(JSON.parse(readFileSync(FLOW, 'utf8'))).model;
  if (!model) {
    throw new Error('the example flow does not read');
  }
  return {
    name: "sandbox's turn pool (worker), no debugger",
    async run() {
      let snapshot: ConversationSnapshot = (await pool.run(model, null, null, {})).snapshot;
      const started = performance.now();
      for (let turn = 0; turn < TURNS; turn += 1) {
        snapshot = (await pool.run(model, snapshot, { message: INPUT }, {})).snapshot;
      }
      return performance.now() - started;
    },
  };
}

function debugConversationSide(): Side {
  const model = readFlow(JSON.parse(readFileSync(FLOW, 'utf8'))).model;
  if (!model) {
    throw new Error('the example flow does not read');
  }
  return {
    name: "debugger's conversation (worker, step hooks awaited), no breakpoints",
    async run() {
      const conversation = new DebugConversation({ model, options: {}, events: { stopped: () => undefined, output: () => undefined, sent: () => undefined, budgetStopped: () => undefined } });
      try {
        await conversation.start();
        const started = performance.now();
        for (let turn = 0; turn < TURNS; turn += 1) {
          await conversation.send({ message: INPUT });
        }
        return performance.now() - started;
      } finally {
        await conversation.close();
      }
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function compare(title: string, without: Side, withDebugger: Side): Promise<string[]> {
  const times = new Map<Side, number[]>([
    [without, []],
    [withDebugger, []],
  ]);
  // A warm-up round each (workers load, JIT), not counted.
  await without.run();
  await withDebugger.run();
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? [without, withDebugger] : [withDebugger, without];
    for (const side of order) {
      times.get(side)?.push(await side.run());
    }
  }
  const base = median(times.get(without) ?? []);
  const rows = [without, withDebugger].map((side) => {
    const ms = median(times.get(side) ?? []);
    return `| ${side.name} | ${(ms / TURNS).toFixed(3)} | ${Math.round((TURNS / ms) * 1000)} | ${(ms / base).toFixed(2)}× |`;
  });
  return [`### ${title}`, '', '| side | ms per turn (median of rounds) | turns/s | × without debugger |', '|---|---|---|---|', ...rows, ''];
}

async function main(): Promise<void> {
  // The sandbox's IPC channel and the debugger's worker do not hold the event loop open (a CLI must
  // be able to exit): this does, until the tables are printed.
  const alive = setInterval(() => undefined, 1000);
  const lines = [`## Flow debugger: ${TURNS} scripted turns with and without the debugger (no breakpoints), ${ROUNDS} rounds`, ''];
  const sandbox = await sandboxSide();
  try {
    lines.push(...(await compare('Process to process (shipped bundles)', sandbox, adapterSide())));
  } finally {
    await sandbox.close();
  }
  const pool = new TurnPool({ size: 1 });
  try {
    lines.push(...(await compare('Worker paths alone (this process)', poolSide(pool), debugConversationSide())));
  } finally {
    await pool.close();
  }
  console.log(lines.join('\n'));
  clearInterval(alive);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
