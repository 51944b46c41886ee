// `sarufi-test replay` of a report that someone else wrote: the key of this machine never reaches
// the terminal, the report's texts reach it escaped, a report of the wrong shape fails in one line
// with exit code 2, and its flow must be inside the report's folder or the working folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/sarufiTest.js';

const KEY = 'sk-replay-secret-0123456789abcdef';
const ECHO_FLOW = {
  ask: { initial: true, message: 'Say something', transitions: { default: 'echo' } },
  echo: { message: 'You said {{variables.ask}}', transitions: { default: 'ask' } },
};

function report(overrides: Record<string, unknown>, flowFile = 'echo.flow.json'): Record<string, unknown> {
  return {
    format: 'sarufi-bug-report',
    version: 1,
    exportedAt: '2026-12-01T10:00:00.000Z',
    chatbot: { id: 'echo', name: 'Echo', environment: 'Local sandbox', baseUrl: 'http://127.0.0.1:1' },
    flow: { file: flowFile, sha256: '0'.repeat(64), git: null },
    persona: { contactName: 'Amina' },
    mocks: null,
    test: `name: replay\ntarget:\n  flow: ${JSON.stringify(flowFile)}\nsteps:\n  - send: "{{env.SARUFI_API_KEY}}"\n    expect:\n      messages:\n        - text: "You said nothing"\n`,
    requests: [],
    transcript: { version: 1, session: {}, entries: [] },
    ...overrides,
  };
}

async function replay(contents: unknown, files: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sarufi-replay-'));
  writeFileSync(join(dir, 'echo.flow.json'), JSON.stringify(ECHO_FLOW));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(join(dir, 'r.sarufi-bug.json'), typeof contents === 'string' ? contents : JSON.stringify(contents));
  const lines: string[] = [];
  const code = await runCli(['replay', 'r.sarufi-bug.json'], { out: (line) => lines.push(line), err: (line) => lines.push(line), env: { SARUFI_API_KEY: KEY }, cwd: dir });
  return { code, output: lines.join('\n') };
}

describe('replay of a hostile or malformed bug report', () => {
  it('a test that sends {{env.SARUFI_API_KEY}} to a flow that echoes it: nothing of the environment is sent, and the key never shows', async () => {
    const { code, output } = await replay(report({}));
    assert.equal(code, 1, output);
    assert.match(output, /The new run first differs at step 1: send "\{\{env\.SARUFI_API_KEY\}\}":\n {2}the environment variable SARUFI_API_KEY is not set/);
    assert.ok(!output.includes(KEY), output);
  });

  it('what the replayed bot says is masked too: a key the flow itself holds is shown redacted', async () => {
    const { code, output } = await replay(report({ test: 'name: replay\ntarget:\n  flow: leak.flow.json\nsteps:\n  - send: hi\n    expect:\n      messages:\n        - text: "nothing"\n', flow: null }, 'leak.flow.json'), { 'leak.flow.json': JSON.stringify({ ask: { initial: true, message: 'Say', transitions: { default: 'echo' } }, echo: { message: `key ${KEY}`, transitions: { default: 'ask' } } }) });
    assert.equal(code, 1, output);
    assert.ok(!output.includes(KEY), output);
    assert.match(output, /\+ {3}text: "key \S*redacted\S*"/i);
  });

  it("the chatbot's name and the contact name reach the terminal with their escape sequences escaped", async () => {
    const { output } = await replay(report({ chatbot: { id: 'e', name: 'Echo\u001b[2J\u001b]0;pwned\u0007', environment: 'x', baseUrl: 'http://x' }, persona: { contactName: 'A\u009b31m\nB' } }));
    // eslint-disable-next-line no-control-regex -- the point is that none is left
    assert.doesNotMatch(output, /[\u001b\u0007\u009b]/);
    assert.match(output, /^Replaying a chat with Echo\\u001b\[2J\\u001b\]0;pwned\\u0007 \(echo\.flow\.json\) as A\\u009b31m\\nB$/m);
  });

  for (const [what, contents] of [
    ['no chatbot', report({ chatbot: undefined })],
    ['persona null', report({ persona: null })],
    ['a numeric git commit', report({ flow: { file: 'echo.flow.json', sha256: 'ab', git: { commit: 1234, fileModified: false } } })],
    ['a test that is not text', report({ test: 42 })],
    ['JSON that is not an object', '[1, 2]'],
  ] as const) {
    it(`a report with ${what} exits 2 with one line, no stack trace`, async () => {
      const { code, output } = await replay(contents);
      assert.equal(code, 2, output);
      assert.equal(output.split('\n').length, 1, output);
      assert.match(output, /^sarufi-test: r\.sarufi-bug\.json: .*(not a Sarufi bug report|not a bug report replay can read)/);
    });
  }

  it('a flow outside the report\'s folder and the working folder (target "/x.flow.json") is refused with exit 2 before any sandbox starts', async () => {
    const { code, output } = await replay(report({}, '/x.flow.json'));
    assert.equal(code, 2, output);
    assert.match(output, /^sarufi-test: r\.sarufi-bug\.json: its flow .*x\.flow\.json is outside the report's folder and the working folder/);
    const above = await replay(report({}, '../../echo.flow.json'));
    assert.equal(above.code, 2, above.output);
  });

  it('a link inside the report\'s folder that points at / does not let its flow in, even when the flow file does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sarufi-replay-link-'));
    symlinkSync('/', join(dir, 'root'));
    writeFileSync(join(dir, 'r.sarufi-bug.json'), JSON.stringify(report({ flow: null }, 'root/x.flow.json')));
    const lines: string[] = [];
    const code = await runCli(['replay', 'r.sarufi-bug.json'], { out: (line) => lines.push(line), err: (line) => lines.push(line), env: {}, cwd: dir });
    assert.equal(code, 2, lines.join('\n'));
    assert.match(lines.join('\n'), /its flow root\/x\.flow\.json is outside the report's folder and the working folder/);
  });

  it('a flow in a folder under the report is replayed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sarufi-replay-sub-'));
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'flows', 'echo.flow.json'), JSON.stringify(ECHO_FLOW));
    writeFileSync(join(dir, 'r.sarufi-bug.json'), JSON.stringify(report({ test: 'name: replay\ntarget:\n  flow: flows/echo.flow.json\nsteps:\n  - send: hi\n    expect:\n      messages:\n        - text: "You said hi"\n' }, 'flows/echo.flow.json')));
    const lines: string[] = [];
    const code = await runCli(['replay', 'r.sarufi-bug.json'], { out: (line) => lines.push(line), err: (line) => lines.push(line), env: {}, cwd: dir });
    assert.equal(code, 0, lines.join('\n'));
  });
});
