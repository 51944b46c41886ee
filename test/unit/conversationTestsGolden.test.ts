import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/sarufiTest.js';
import type { CliIo } from '../../src/cli/sarufiTest.js';
import { goldenPath } from '../../src/conversationTests/golden.js';

const PIZZA_FLOW = join(__dirname, '..', '..', 'examples', 'pizza-order.flow.json');

const TEST = `name: Order opens the menu
target: {flow: pizza.flow.json}
steps:
  - button: order
    expect: {state: choose_pizza}
`;

function scratch(test = TEST): string {
  const dir = mkdtempSync(join(tmpdir(), 'sarufi-golden-'));
  writeFileSync(join(dir, 'pizza.flow.json'), readFileSync(PIZZA_FLOW));
  writeFileSync(join(dir, 'menu.sarufi-test.yaml'), test);
  return dir;
}

function captureIo(cwd: string): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line), env: {}, cwd };
}

describe('golden runs', () => {
  it('the golden file sits beside the test: <name>.golden.txt', () => {
    assert.equal(goldenPath('/w/tests/menu.sarufi-test.yaml'), '/w/tests/menu.golden.txt');
  });

  it('--update approves the run as text: what was sent, messages with their rows, and the state of each step', async () => {
    const dir = scratch();
    const io = captureIo(dir);
    assert.equal(await runCli(['.', '--update'], io), 0);
    const golden = readFileSync(join(dir, 'menu.golden.txt'), 'utf8');
    assert.match(golden, /^# Order opens the menu\n\n## greeting\nmessages:\n- type: image/);
    assert.match(golden, /## 1: button order\n> "Agiza \/ Order" \(button order\)\ncurrent_state: choose_pizza\nmessages:\n- type: list\n {2}text: "Chagua pizza yako\. Pick your pizza:"\n {2}rows: \[margherita, pepperoni, veggie, mishkaki, kuku_pilipili, samaki\]\n$/);
    assert.match(io.lines.join('\n'), /approved as golden: menu\.golden\.txt/);
  });

  it('a later run that converses differently fails with the diff, though the test checks only the state; --update re-approves', async () => {
    const dir = scratch();
    assert.equal(await runCli(['.', '--update'], captureIo(dir)), 0);
    assert.equal(await runCli(['.'], captureIo(dir)), 0, 'the same conversation passes');
    const flowPath = join(dir, 'pizza.flow.json');
    writeFileSync(flowPath, readFileSync(flowPath, 'utf8').replace('Chagua pizza yako. Pick your pizza:', 'Pick a pizza:'));
    const io = captureIo(dir);
    assert.equal(await runCli(['.', '--junit', 'junit.xml'], io), 1);
    const output = io.lines.join('\n');
    assert.match(output, /FAIL menu\.sarufi-test\.yaml[\s\S]*the run differs from its golden run menu\.golden\.txt/);
    assert.match(output, /- {3}text: "Chagua pizza yako\. Pick your pizza:"\n\s*\+ {3}text: "Pick a pizza:"/);
    assert.match(readFileSync(join(dir, 'junit.xml'), 'utf8'), /<testcase [^>]*name="Order opens the menu › golden run"[^>]*>\s*<failure message="the run differs from its golden run menu\.golden\.txt" type="golden">/);
    assert.equal(await runCli(['.', '--update'], captureIo(dir)), 0);
    assert.equal(await runCli(['.'], captureIo(dir)), 0, 're-approved');
  });

  it('a golden file checked out with CRLF line endings is not a difference', async () => {
    const dir = scratch();
    await runCli(['.', '--update'], captureIo(dir));
    const path = join(dir, 'menu.golden.txt');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\n/g, '\r\n'));
    assert.equal(await runCli(['.'], captureIo(dir)), 0);
  });

  it('a failing test is neither approved nor compared: its own failure says what is wrong', async () => {
    const dir = scratch(TEST.replace('choose_pizza', 'ask_quantity'));
    const io = captureIo(dir);
    assert.equal(await runCli(['.', '--update'], io), 1);
    assert.equal(existsSync(join(dir, 'menu.golden.txt')), false);
    assert.doesNotMatch(io.lines.join('\n'), /golden/);
  });
});
