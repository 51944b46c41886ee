// `sarufi-test convert <folder or file> [-o <file>]`: the command's conversion from a terminal, with
// its exit codes (0 written, 1 not a bot this converter reads, 2 bad arguments).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../src/cli/sarufiTest.js';
import type { CliIo } from '../../src/cli/sarufiTest.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'v1');
const dirs: string[] = [];

after(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A scratch copy of the fixtures, so converting writes nothing into the repository. */
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sarufi-convert-cli-'));
  dirs.push(dir);
  cpSync(FIXTURES, dir, { recursive: true });
  return dir;
}

function captureIo(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line), env: {}, cwd };
}

describe('sarufi-test convert', () => {
  it('converts a YAML bot folder beside its files, prints what it read and each note, and exits 0', async () => {
    const dir = await scratch();
    const io = captureIo(dir);
    assert.equal(await runCli(['convert', 'pizza-yaml'], io), 0);
    const written = JSON.parse(readFileSync(join(dir, 'pizza-yaml', 'pizza-yaml.flow.json'), 'utf8')) as { name: string; initial_state: string };
    assert.deepEqual([written.name, written.initial_state], ['Mgahawa wa Bahari', 'start']);
    assert.equal(io.stdout[0], 'Wrote pizza-yaml/pizza-yaml.flow.json from flows.yaml + intents.yaml + metadata.yaml.');
    assert.equal(io.stdout[1], '3 thing(s) to check by hand:');
    assert.ok(io.stdout.some((line) => line.startsWith("  - states.imekamilika goes to 'end.'")), io.stdout.join('\n'));
  });

  it('takes any file of a dashboard export (its intents file here) and writes to -o', async () => {
    const dir = await scratch();
    const io = captureIo(dir);
    assert.equal(await runCli(['convert', 'shule-export/Shule Bot intents.json', '-o', 'shule.flow.json'], io), 0);
    const written = JSON.parse(readFileSync(join(dir, 'shule.flow.json'), 'utf8')) as { name: string };
    assert.equal(written.name, 'Shule Bot');
    assert.equal(existsSync(join(dir, 'shule-export', 'shule-bot.flow.json')), false, 'nothing beside the export when -o names the file');
  });

  it('exits 1, writing nothing, for a folder that holds no bot and for a file that is already a dev/v1 flow', async () => {
    const dir = await scratch();
    writeFileSync(join(dir, 'ready.flow.json'), JSON.stringify({ greet: { message: 'Hi', transitions: { default: 'greet' } } }));
    const io = captureIo(dir);
    assert.equal(await runCli(['convert', 'ready.flow.json'], io), 1);
    assert.match(io.stderr[0] ?? '', /^sarufi-test: ready\.flow\.json was not converted\. This file is not a flow in the v1 format/);
    assert.equal(existsSync(join(dir, 'ready-converted.flow.json')), false);
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'notes.txt'), 'not a bot');
    assert.equal(await runCli(['convert', 'empty'], io), 1);
    assert.match(io.stderr[1] ?? '', /^sarufi-test: empty was not converted\. No v1 flow file here: looked for flow\.json, flows\.yaml, dialog\.yaml/);
  });

  it('exits 2 for no argument, two arguments, an unknown option, a path that does not exist, or an -o it cannot write', async () => {
    const dir = await scratch();
    for (const args of [['convert'], ['convert', 'duka', 'bima'], ['convert', 'duka', '--force'], ['convert', 'nowhere']]) {
      const io = captureIo(dir);
      assert.equal(await runCli(args, io), 2, args.join(' '));
      assert.match(io.stderr.join('\n'), /sarufi-test convert <folder or file> \[-o <file>\]/, 'the usage names the subcommand');
    }
    const io = captureIo(dir);
    assert.equal(await runCli(['convert', 'duka', '-o', 'no/such/folder/duka.flow.json'], io), 2);
    assert.match(io.stderr[0] ?? '', /^sarufi-test: cannot write no\/such\/folder\/duka\.flow\.json: ENOENT/);
  });
});
