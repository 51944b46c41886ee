// A soak of the sandbox's sessions, run in a child process of its own (so its heap is measured
// alone, under the heap limit the caller gives node): session requests that each carry large
// `start.variables`, a few turns each, many times the live bound, with a fake clock moved past the
// idle expiry now and then, so sessions end by eviction and by expiry alike. Prints one JSON line:
// the heap after a garbage collection at the start, and after each round.
//   node --expose-gc --import tsx test/unit/sandboxSoakChild.ts '{"rounds":6,"sessionsPerRound":250,"maxLive":50,"variableBytes":100000}'
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/server.js';

export interface SoakSettings {
  rounds: number;
  sessionsPerRound: number;
  maxLive: number;
  variableBytes: number;
}

export interface SoakResult {
  opened: number;
  /** heapUsed after a full collection: before the first session, then after each round. */
  heaps: number[];
}

const FLOW = {
  name: 'Soak',
  states: {
    start: { message: 'Hello', next_state: 'menu' },
    menu: { message: 'Menu: say anything', triggers: [{ type: 'any', next_state: 'menu' }] },
  },
};

function heapNow(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    throw new Error('run with --expose-gc');
  }
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

async function soak(settings: SoakSettings): Promise<SoakResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sarufi-soak-'));
  await writeFile(join(dir, 'soak.flow.json'), JSON.stringify(FLOW));
  let now = Date.UTC(2026, 6, 1);
  const sandbox = await startSandbox({ flowDirs: [dir], clock: () => now, maxLiveSessions: settings.maxLive, log: () => undefined });
  const chatbot = sandbox.chatbots()[0];
  if (!chatbot) {
    throw new Error('the soak flow did not load');
  }
  const call = async (path: string, body: unknown): Promise<{ session_id?: string }> => {
    const response = await fetch(`${sandbox.baseUrl}/chatbots/${chatbot.id}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
    }
    return (await response.json()) as { session_id?: string };
  };
  const heaps = [heapNow()];
  let opened = 0;
  try {
    for (let round = 0; round < settings.rounds; round += 1) {
      for (let index = 0; index < settings.sessionsPerRound; index += 1) {
        const blob = `${opened}:`.padEnd(settings.variableBytes, 'x');
        const { session_id } = await call('/chat/sessions', { start: { kind: 'state', state: 'menu', variables: { blob, contact_name: blob } } });
        opened += 1;
        for (let turn = 0; turn < 3; turn += 1) {
          await call(`/chat/sessions/${session_id}/messages`, { message: `turn ${turn}` });
        }
        // Every hundredth session, the ones before it go idle past the expiry; in between, the live bound evicts.
        if (index % 100 === 99) {
          now += 31 * 60 * 1000;
        }
      }
      heaps.push(heapNow());
    }
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
  return { opened, heaps };
}

const settings = JSON.parse(process.argv[2] ?? '{}') as SoakSettings;
soak(settings).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
