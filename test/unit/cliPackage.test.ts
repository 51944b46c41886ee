// The npm package of `sarufi-test` and `sarufi-sandbox` (cli-package/, `npm run pack:cli`), used as
// an author uses it: installed offline from its tarball into a new project outside this repository,
// with no access to this repository's node_modules, then run through npx.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { ROOT } from '../../scripts/lib/paths.mjs';

const EXAMPLES = join(ROOT, 'examples');
const KEY = 'sk-sandbox-local';

let tarball: string;
let project: string;
let packLines: string[];

/**
 * The environment of a shell in the new project: none of the variables npm sets for this
 * repository's scripts (`npm_config_local_prefix` would point npx back here), no
 * node_modules/.bin of this repository on the PATH, no NODE_PATH, and npm offline.
 */
function projectEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && name !== 'NODE_PATH' && name !== 'NODE_OPTIONS') {
      env[name] = value;
    }
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes(`node_modules${sep}.bin`))
    .join(delimiter);
  env.npm_config_offline = 'true';
  env.npm_config_update_notifier = 'false';
  return env;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a command that cannot start at all throws a one-line reason. */
async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = projectEnv()): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failure.code !== 'number') {
      throw new Error(`${command} ${args.join(' ')} could not run: ${failure.message.split('\n')[0]}`);
    }
    return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

function firstLine(result: Run): string {
  return `${result.stderr}\n${result.stdout}`.split('\n').find((line) => /err|fail|cannot/i.test(line))?.trim() ?? `exit code ${result.code}`;
}

/** Entries of a .tgz made by npm pack (ustar, with pax headers that carry no names we need). */
function tarEntries(file: string): Map<string, Buffer> {
  const tar = gunzipSync(readFileSync(file));
  const entries = new Map<string, Buffer>();
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) {
      break;
    }
    const field = (start: number, length: number): string => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    if (type === '0' || type === '') {
      entries.set(name, tar.subarray(offset + 512, offset + 512 + size));
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves with the base URL once the sandbox prints it; rejects with its output if it ends first. */
function listening(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+\/api\/dev\/v1)\n/.exec(output());
      if (match?.[1]) {
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, signal) => reject(new Error(`the sandbox ended (${signal ?? code}) before listening: ${output()}`)));
  });
}

function collect(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return () => text;
}

before(async () => {
  // The project's own script, so the test installs what a release publishes.
  const packed = await run('npm', ['run', '--silent', 'pack:cli'], ROOT, process.env);
  if (packed.code !== 0) {
    throw new Error(`npm run pack:cli failed: ${firstLine(packed)}`);
  }
  packLines = packed.stdout.trim().split('\n');
  tarball = packLines[packLines.length - 1] ?? '';

  project = mkdtempSync(join(tmpdir(), 'sarufi-cli-project-'));
  assert.ok(relative(ROOT, project).startsWith('..'), 'the project is outside this repository');
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'chatbot-project', version: '1.0.0', private: true }, null, 2)}\n`);
  const installed = await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], project);
  if (installed.code !== 0) {
    throw new Error(`npm install ${tarball} --offline failed in ${project}: ${firstLine(installed)}`);
  }
  // An author's layout: flows/ and tests/ side by side, the tests naming their flow across.
  mkdirSync(join(project, 'flows'));
  mkdirSync(join(project, 'tests'));
  for (const file of readdirSync(EXAMPLES)) {
    if (file.endsWith('.flow.json') || file === 'sarufi.sandbox.json') {
      copyFileSync(join(EXAMPLES, file), join(project, 'flows', file));
    } else if (file.endsWith('.sarufi-test.yaml')) {
      const text = readFileSync(join(EXAMPLES, file), 'utf8').replace(/^( {2}flow: )/m, '$1../flows/');
      writeFileSync(join(project, 'tests', file), text);
    }
  }
});

after(() => {
  if (project) {
    rmSync(project, { recursive: true, force: true });
  }
});

describe('the sarufi-cli tarball', () => {
  it('is the last line npm run pack:cli prints, an existing .tgz in dist-cli/', () => {
    assert.match(tarball, /dist-cli[\\/]sarufi-cli-\d+\.\d+\.\d+\.tgz$/);
    assert.ok(existsSync(tarball), `${tarball} exists`);
  });

  it('holds only its package.json, README.md, LICENSE and the four bundles: nothing of the extension', () => {
    assert.deepEqual(
      [...tarEntries(tarball).keys()].sort(),
      ['package/LICENSE', 'package/README.md', 'package/dist/sandbox-regex.js', 'package/dist/sandbox-turns.js', 'package/dist/sandbox.js', 'package/dist/sarufi-test.js', 'package/package.json'],
    );
  });

  it('declares both bins, dist/ as its files, Node 20 or later, no dependencies, and the extension’s version', () => {
    const manifest = JSON.parse(tarEntries(tarball).get('package/package.json')?.toString('utf8') ?? '{}') as Record<string, unknown>;
    const extension = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(manifest.name, 'sarufi-cli');
    assert.equal(manifest.version, extension.version);
    assert.deepEqual(manifest.bin, { 'sarufi-test': 'dist/sarufi-test.js', 'sarufi-sandbox': 'dist/sandbox.js' });
    assert.deepEqual(manifest.files, ['dist/']);
    assert.deepEqual(manifest.engines, { node: '>=20' });
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.license, 'MIT');
  });

  it('has bundles that require only Node’s built-in modules and name no path of this repository', () => {
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    for (const [name, content] of tarEntries(tarball)) {
      if (!name.endsWith('.js')) {
        continue;
      }
      const code = content.toString('utf8');
      const required = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1] ?? '');
      assert.ok(required.length > 0, `${name} requires something (the pattern still matches esbuild's output)`);
      assert.deepEqual(
        required.filter((module) => !builtins.has(module)),
        [],
        `${name} requires only built-in modules`,
      );
      assert.ok(!code.includes(ROOT), `${name} does not name ${ROOT}`);
    }
  });
});

describe('the sarufi-cli package installed offline in a new project', () => {
  it('npx sarufi-test tests --flows flows --junit out.xml passes every example test and writes the JUnit report', async () => {
    const result = await run('npx', ['sarufi-test', 'tests', '--flows', 'flows', '--junit', 'out.xml'], project);
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /^3 passed, 0 failed \(3 tests, /m);
    const junit = readFileSync(join(project, 'out.xml'), 'utf8');
    assert.match(junit, /<testsuites name="sarufi-test" tests="\d+" failures="0" errors="0"/);
    assert.equal([...junit.matchAll(/<testsuite /g)].length, 3, 'one suite per test file');
  });

  it('npx sarufi-test generate flows/pizza-order.flow.json writes passing tests that reach every state', async () => {
    const result = await run('npx', ['sarufi-test', 'generate', 'flows/pizza-order.flow.json'], project);
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
    const generated = readdirSync(join(project, 'flows', 'pizza-order.generated')).filter((file) => /^pizza-order\.generated-\d+\.sarufi-test\.yaml$/.test(file));
    assert.ok(generated.length > 0, "tests are written into the flow's own folder beside it");
    assert.match(result.stdout, /coverage after: {2}(\d+)\/\1 states/);
    assert.doesNotMatch(result.stdout, /FAIL /);
  });

  it('npx sarufi-sandbox --flows flows --port P answers the Chat API sequence as documented, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn('npx', ['sarufi-sandbox', '--flows', 'flows', '--port', String(port)], { cwd: project, env: projectEnv() });
    const output = collect(child);
    const closed = once(child, 'close');
    try {
      const base = await listening(child, output);
      assert.equal(base, `http://127.0.0.1:${port}/api/dev/v1`);
      const call = async (path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
        const response = await fetch(`${base}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { Authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: response.status, json: (await response.json()) as Record<string, unknown> };
      };

      const chatbots = await call('/chatbots');
      assert.equal(chatbots.status, 200);
      const pizza = (chatbots.json.items as { id: string; name: string }[]).find((bot) => bot.name === 'Pizza Bahari');
      assert.ok(pizza, 'the pizza flow is a chatbot');

      const session = await call(`/chatbots/${pizza.id}/chat/sessions`, {});
      assert.equal(session.status, 201);
      assert.equal(session.json.channel, 'api');
      const greeting = session.json.messages as { type: string; buttons?: { id: string }[] }[];
      assert.deepEqual(greeting.find((message) => message.type === 'buttons')?.buttons?.map((button) => button.id), ['order', 'menu_video', 'hours']);
      const messages = `/chatbots/${pizza.id}/chat/sessions/${String(session.json.session_id)}/messages`;

      const typed = await call(messages, { message: 'Nataka pizza', message_type: 'text', button_id: null });
      assert.equal(typed.status, 200);
      assert.equal(typed.json.current_state, 'choose_pizza');
      assert.equal((typed.json.messages as { type: string }[])[0]?.type, 'list');

      const clicked = await call(messages, { message: 'Margherita', message_type: 'button', button_id: 'margherita' });
      assert.equal(clicked.status, 200);
      assert.equal(clicked.json.current_state, 'choose_size');
      assert.deepEqual((clicked.json.messages as { buttons?: { id: string }[] }[])[0]?.buttons?.map((button) => button.id), ['small', 'medium', 'large']);

      // SIGTERM to npx, as `kill $!` after `npx sarufi-sandbox … &` sends it. 'close' waits for the
      // sandbox itself, which holds the output pipe until it has stopped.
      child.kill('SIGTERM');
      await closed;
      assert.match(output(), /Sandbox stopped\.\n$/);
      await assert.rejects(fetch(`${base}/chatbots`), 'the port is closed');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('sarufi-sandbox, run as the installed bin, prints the package version and ends with exit code 0 on SIGTERM', async () => {
    const bin = join(project, 'node_modules', '.bin', 'sarufi-sandbox');
    const version = await run(bin, ['--version'], project);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const child = spawn(bin, ['--flows', 'flows', '--port', '0', '--quiet'], { cwd: project, env: projectEnv() });
    const output = collect(child);
    const exited = once(child, 'exit');
    try {
      await listening(child, output);
      child.kill('SIGTERM');
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      assert.deepEqual({ code, signal }, { code: 0, signal: null });
      assert.match(output(), /Sandbox stopped\.\n$/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('the README', () => {
  it('pins sarufi-cli at the version of package.json wherever it installs the package or names it as a dependency', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const file of ['README.md', join('cli-package', 'README.md')]) {
      const pins = [...readFileSync(join(ROOT, file), 'utf8').matchAll(/sarufi-cli(?:@|": ")([\w.-]+)/g)].map((match) => match[1]);
      assert.ok(pins.length > 0, `${file} installs sarufi-cli with a pinned version`);
      assert.deepEqual(new Set(pins), new Set([version]), `${file} pins ${version}`);
    }
  });
});
