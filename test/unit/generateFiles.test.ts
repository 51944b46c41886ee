// `sarufi-test generate` writes only new files: where --tests says (else into the flow's own
// `<flow>.generated/` folder), under a name nothing holds yet (no file, no symbolic link), with every
// text of the flow in its YAML escaped.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/sarufiTest.js';
import { parseTestFile } from '../../src/conversationTests/format.js';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sarufi-generate-files-'));
  mkdirSync(join(dir, 'flows'));
  copyFileSync(join(EXAMPLES, 'pizza-order.flow.json'), join(dir, 'flows', 'pizza-order.flow.json'));
  return dir;
}

async function cli(dir: string, args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runCli(args, { out: (line) => lines.push(line), err: (line) => lines.push(line), env: {}, cwd: dir });
  return { code, lines };
}

const generated = (dir: string): string[] => readdirSync(dir).filter((name) => name.includes('.generated-')).sort();

describe('sarufi-test generate writes only new files', () => {
  it('with --tests, writes into that folder, and a second run never rewrites an edited test', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'gen', 'tests'), { recursive: true });
    const first = await cli(dir, ['generate', '--tests', 'gen/tests', 'flows/pizza-order.flow.json']);
    assert.equal(first.code, 0, first.lines.join('\n'));
    const written = generated(join(dir, 'gen', 'tests'));
    assert.ok(written.length > 0);
    assert.deepEqual(generated(join(dir, 'flows')), [], 'nothing is written beside the flow');
    assert.equal(existsSync(join(dir, 'flows', 'pizza-order.generated')), false, 'nor into the default folder');
    const edited = join(dir, 'gen', 'tests', written[0] as string);
    writeFileSync(edited, `${readFileSync(edited, 'utf8')}# my edit\n`);
    const second = await cli(dir, ['generate', '--tests', 'gen/tests', 'flows/pizza-order.flow.json']);
    assert.equal(second.code, 0, second.lines.join('\n'));
    assert.match(readFileSync(edited, 'utf8'), /# my edit\n$/);
    // The generated tests name their flow relative to where they are, and run.
    const test = parseTestFile(readFileSync(edited, 'utf8'), edited);
    assert.equal(test.target.kind === 'flow' && test.target.flowPath, join(dir, 'flows', 'pizza-order.flow.json'));
  });

  it('a symbolic link with the next generated name is never followed: its target keeps its text and the next number is used', async () => {
    const dir = workspace();
    const outside = join(mkdtempSync(join(tmpdir(), 'sarufi-outside-')), 'precious.txt');
    writeFileSync(outside, 'precious');
    const folder = join(dir, 'flows', 'pizza-order.generated');
    mkdirSync(folder);
    symlinkSync(outside, join(folder, 'pizza-order.generated-01.sarufi-test.yaml'));
    symlinkSync(join(dir, 'nowhere'), join(folder, 'pizza-order.generated-02.sarufi-test.yaml'));
    const { code, lines } = await cli(dir, ['generate', 'flows/pizza-order.flow.json']);
    assert.equal(code, 0, lines.join('\n'));
    assert.equal(readFileSync(outside, 'utf8'), 'precious');
    assert.ok(generated(folder).includes('pizza-order.generated-03.sarufi-test.yaml'), generated(folder).join(', '));
    assert.ok(!lines.some((line) => line.includes('generated-01') || line.includes('generated-02')), lines.join('\n'));
  });

  it('a state name with line breaks stays inside the comment (the file is valid YAML with no line of its own) and on one terminal line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sarufi-generate-names-'));
    const evil = 'x\ntouch PWNED\r#\u2028y';
    const flow = { ask: { initial: true, message: { type: 'buttons', text: 'Pick', buttons: [{ id: 'go', title: 'Go' }] }, transitions: { buttons: { go: evil }, default: 'ask' } }, [evil]: { message: 'Gone', transitions: { default: 'ask' } }, 'orphan\u001b[2J\nline': { message: 'Never', transitions: { default: 'ask' } } };
    writeFileSync(join(dir, 'evil.flow.json'), JSON.stringify(flow));
    const { code, lines } = await cli(dir, ['generate', 'evil.flow.json']);
    assert.equal(code, 0, lines.join('\n'));
    // The unreachable state is listed on the terminal with its escape sequence and line break escaped.
    assert.ok(lines.some((line) => line.includes('No input reaches the state "orphan\\u001b[2J\\nline"')), lines.join('\n'));
    // eslint-disable-next-line no-control-regex -- the point is that none is left
    assert.ok(!lines.some((line) => /[\u001b\r]|\nline/.test(line)), lines.join('\n'));
    const texts = generated(join(dir, 'evil.generated')).map((file) => readFileSync(join(dir, 'evil.generated', file), 'utf8'));
    const reaching = texts.filter((text) => (parse(text) as { steps: { expect: { state: string } }[] }).steps.some((step) => step.expect.state === evil));
    assert.equal(reaching.length, 1, texts.join('\n---\n'));
    const written = (reaching[0] as string).split(/\r\n|\r|\n/);
    assert.ok(!written.some((line) => line.startsWith('touch PWNED')), reaching[0]);
    assert.match(written[0] ?? '', /^# Generated by .* It reaches: ask → x\\ntouch PWNED\\r#\\u2028y \(button\)/);
    assert.match(written[1] ?? '', /^# Edit freely/);
    assert.match(written[2] ?? '', /^name: /);
  });

  it('without --tests, the tests go into a folder of their own beside the flow; a link in its place is refused with a line, and nothing is written through it', async () => {
    const dir = workspace();
    const elsewhere = mkdtempSync(join(tmpdir(), 'sarufi-elsewhere-'));
    symlinkSync(elsewhere, join(dir, 'flows', 'pizza-order.generated'));
    const { code, lines } = await cli(dir, ['generate', 'flows/pizza-order.flow.json']);
    assert.notEqual(code, 0);
    assert.match(lines.join('\n'), /pizza-order\.generated is not a folder \(a symbolic link\): generated tests are not written through it/);
    assert.deepEqual(readdirSync(elsewhere), []);
  });

  it('a folder stands for every flow file in it; a folder with none exits 2 with one line', async () => {
    const dir = workspace();
    const { code, lines } = await cli(dir, ['generate', 'flows']);
    assert.equal(code, 0, lines.join('\n'));
    assert.ok(generated(join(dir, 'flows', 'pizza-order.generated')).length > 0);
    mkdirSync(join(dir, 'empty'));
    const empty = await cli(dir, ['generate', 'empty']);
    assert.equal(empty.code, 2);
    assert.deepEqual(empty.lines, ['sarufi-test: no *.flow.json files in empty']);
  });
});
