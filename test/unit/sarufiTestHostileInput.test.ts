// The CLI's smaller holes: a test name that would inject a TAP line, a report file that cannot be
// written (found before the tests run), a variable named like an Object method, and a mock delay
// past what a timer can hold.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/sarufiTest.js';
import { parseTestFile, substitute } from '../../src/conversationTests/format.js';
import { readMockSet, readMocksMapping } from '../../src/flow/mocks.js';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sarufi-cli-hostile-'));
  writeFileSync(join(dir, 'pizza.flow.json'), readFileSync(join(EXAMPLES, 'pizza-order.flow.json')));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function cli(dir: string, args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, { out: (line) => stdout.push(line), err: (line) => stderr.push(line), env: {}, cwd: dir });
  return { code, stdout, stderr };
}

const TEST = (name: string) => `name: ${JSON.stringify(name)}\ntarget: {flow: pizza.flow.json}\nsteps:\n  - button: order\n    expect: {state: choose_pizza}\n`;

describe('sarufi-test on hostile input', () => {
  it('TAP: a test name with a newline stays on its test point line and injects no line of its own', async () => {
    const dir = scratch({ 'a.sarufi-test.yaml': TEST('fine\nok 99 - injected\r\nnot ok 100') });
    const { code } = await cli(dir, ['.', '--reporter', 'tap', '--output', 'report.tap']);
    assert.equal(code, 0);
    const lines = readFileSync(join(dir, 'report.tap'), 'utf8').split(/\r\n|\r|\n/);
    assert.deepEqual(lines.filter((line) => /^(not )?ok /.test(line)), ['ok 1 - a.sarufi-test.yaml - fine\\nok 99 - injected\\r\\nnot ok 100']);
  });

  it('an --output or --junit that cannot be written exits 2 before any test runs', async () => {
    const dir = scratch({ 'a.sarufi-test.yaml': TEST('one') });
    mkdirSync(join(dir, 'reports'));
    for (const args of [
      ['--reporter', 'json', '--output', 'missing/report.json'],
      ['--reporter', 'tap', '--output', 'a.sarufi-test.yaml/report.tap'],
      ['--junit', 'reports'],
    ]) {
      const { code, stdout, stderr } = await cli(dir, ['.', ...args]);
      assert.equal(code, 2, args.join(' '));
      assert.deepEqual(stdout, [], 'no test ran');
      assert.equal(stderr.length, 1, stderr.join('\n'));
      assert.match(stderr[0] ?? '', /^sarufi-test: --(output|junit) .*(its folder does not exist|a part of its path is a file, not a folder|it is a folder); nothing was run$/);
    }
  });

  it('{{toString}} and {{env.constructor}} name no variable: the step says "not defined", never inserts function source', () => {
    assert.throws(() => substitute('{{toString}}', {}, {}), /the variable "toString" is not defined/);
    assert.throws(() => substitute('{{variables.hasOwnProperty}}', {}, {}), /the variable "hasOwnProperty" is not defined/);
    assert.throws(() => substitute('{{env.constructor}}', {}, {}), /environment variable constructor is not set/);
  });

  it("a mock's delay_ms past 10 minutes is refused on its line, not turned into no delay by a timer overflow", () => {
    const text = `name: slow\ntarget: {flow: pizza.flow.json}\nmocks:\n  "GET https://api.example.com/x":\n    status: 200\n    delay_ms: 3000000000\nsteps:\n  - send: hi\n`;
    assert.throws(() => parseTestFile(text, '/x/slow.sarufi-test.yaml'), (error: Error & { line?: number }) => /delay_ms" must be at most 600000 ms/.test(error.message) && error.line === 5);
    assert.throws(() => readMocksMapping({ 'GET https://api.example.com/x': { delay_ms: 3_000_000_000 } }), /delay_ms must be a whole number of milliseconds from 0 to 600000/);
    assert.throws(() => readMockSet({ urls: { 'GET https://api.example.com/x': { delayMs: 3_000_000_000 } } }), /delayMs must be a number of milliseconds from 0 to 600000/);
    assert.equal(parseTestFile(text.replace('3000000000', '600000'), '/x/slow.sarufi-test.yaml').mocks?.urls['GET https://api.example.com/x']?.delayMs, 600_000);
  });
});
