// The npm package of the CLI (`npm run pack:cli`): its tarball beside what it unpacks to and beside
// the node_modules a clone needs to run the same commands; and the time from starting the sandbox
// to its "listening" line, installed from the tarball (`npx sarufi-sandbox`, and its bin without
// npx) beside the same start from a clone (`npm run sandbox`, and cli.ts through tsx without npm),
// alternating runs so that the machine's noise falls on both alike.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve, sep } from 'node:path';

const ROOT = resolve('.');
const RUNS = 7;

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      total += treeBytes(path);
    } else if (entry.isFile()) {
      total += statSync(path).size;
    }
  }
  return total;
}

/** This environment without what npm sets for the repository's scripts, nor its .bin on the PATH. */
function outsideEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes(`node_modules${sep}.bin`))
    .join(delimiter);
  return { ...env, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
}

/** Milliseconds from spawn to the "listening" line; the whole process group is ended after. */
function timeToListening(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('listening at')) {
        const elapsed = performance.now() - started;
        child.stdout.off('data', onData);
        child.once('close', () => done(elapsed));
        process.kill(-(child.pid ?? 0), 'SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      if (!output.includes('listening at')) {
        fail(new Error(`${command} ${args.join(' ')} ended (${code}) before listening: ${output}`));
      }
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const packed = spawnSync('npm', ['run', '--silent', 'pack:cli'], { cwd: ROOT, encoding: 'utf8' });
  if (packed.status !== 0) {
    throw new Error(`npm run pack:cli failed: ${packed.stderr.trim().split('\n')[0] ?? packed.status}`);
  }
  const tarball = packed.stdout.trim().split('\n').at(-1) ?? '';

  const project = mkdtempSync(join(tmpdir(), 'sarufi-cli-bench-'));
  try {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bench-project', version: '1.0.0', private: true }));
    const installed = spawnSync('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], { cwd: project, env: outsideEnv(), encoding: 'utf8' });
    if (installed.status !== 0) {
      throw new Error(`npm install ${tarball} --offline failed: ${installed.stderr.trim().split('\n')[0] ?? installed.status}`);
    }
    mkdirSync(join(project, 'flows'));
    for (const file of readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.flow.json') || name === 'sarufi.sandbox.json')) {
      copyFileSync(join(ROOT, 'examples', file), join(project, 'flows', file));
    }

    console.log('| what | size |');
    console.log('| --- | ---: |');
    console.log(`| sarufi-cli tarball (what \`npm install\` downloads) | ${kib(statSync(tarball).size)} |`);
    console.log(`| the package installed (node_modules/sarufi-cli) | ${kib(treeBytes(join(project, 'node_modules', 'sarufi-cli')))} |`);
    console.log(`| a clone's node_modules (what \`npm install\` in a clone fetches) | ${mib(treeBytes(join(ROOT, 'node_modules')))} |`);
    console.log('');

    const starts = [
      { name: '`npx sarufi-sandbox` (package)', command: 'npx', args: ['sarufi-sandbox'], cwd: project, env: outsideEnv(), flows: 'flows' },
      { name: '`npm run sandbox` (clone)', command: 'npm', args: ['run', '--silent', 'sandbox', '--'], cwd: ROOT, env: process.env, flows: 'examples' },
      { name: 'the package\'s bin, without npx', command: join(project, 'node_modules', '.bin', 'sarufi-sandbox'), args: [], cwd: project, env: outsideEnv(), flows: 'flows' },
      { name: 'cli.ts through tsx, without npm (clone)', command: process.execPath, args: ['--import', 'tsx', 'src/sandbox/cli.ts'], cwd: ROOT, env: process.env, flows: 'examples' },
    ];
    const times = starts.map(() => [] as number[]);
    for (let run = 0; run < RUNS; run += 1) {
      for (const [index, start] of starts.entries()) {
        const ms = await timeToListening(start.command, [...start.args, '--flows', start.flows, '--port', '0', '--quiet'], start.cwd, start.env);
        times[index]?.push(ms);
      }
    }
    const clone = median(times[1] ?? []);
    console.log(`| start to "listening" (median of ${RUNS}) | min ms | median ms | max ms | vs \`npm run sandbox\` |`);
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [index, start] of starts.entries()) {
      const values = times[index] ?? [];
      console.log(`| ${start.name} | ${Math.min(...values).toFixed(0)} | ${median(values).toFixed(0)} | ${Math.max(...values).toFixed(0)} | ${(median(values) / clone).toFixed(2)}× |`);
    }
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
