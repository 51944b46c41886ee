// Test generation runs the explored turns in the sandbox's workers, under the turn budget: a regex
// that backtracks without end stops the one input that hits it, and the rest of the flow is
// still explored and covered.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { generateTestsForFlow } from '../../src/conversationTests/generate.js';

/** The intent's example is tried as an input, and the regex above it is tested on it first. */
const EVIL_EXAMPLE = `${'a'.repeat(40)}!`;
const flow = {
  intents: { shout: [EVIL_EXAMPLE] },
  ask: {
    initial: true,
    message: { type: 'buttons', text: 'Type something', buttons: [{ id: 'help', title: 'Help' }] },
    transitions: { buttons: { help: 'helped' }, regex: { '^(a+)+$': 'letters' }, intents: { shout: 'shouted' }, default: 'ask' },
  },
  helped: { message: 'Here is help', transitions: { default: 'ask' } },
  letters: { message: 'Only a letters', transitions: { default: 'ask' } },
  shouted: { message: 'No need to shout', transitions: { default: 'ask' } },
};

it('a regex that backtracks without end stops only the input that hits it: the explorer names it on its state and still covers the button path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sarufi-generate-budget-'));
  const flowPath = join(dir, 'evil.flow.json');
  writeFileSync(flowPath, JSON.stringify(flow, null, 2));
  const summary = await generateTestsForFlow({ flowPath, testFiles: [], env: {}, turnTimeoutMs: 1000 });

  const stopped = summary.unreached.filter((item) => item.kind === 'stopped');
  assert.equal(stopped.length, 1, JSON.stringify(summary.unreached));
  assert.equal(stopped[0]?.state, 'ask');
  assert.match(stopped[0]?.description ?? '', new RegExp(`the input "${EVIL_EXAMPLE}" in state "ask" did not finish[^]*1000 ms budget`));
  assert.equal(typeof stopped[0]?.line, 'number');
  assert.ok(summary.after.states.find((state) => state.name === 'helped')?.reached, 'the button path was explored and covered');
  assert.ok(summary.generatedResults.every((result) => result.status === 'passed'));
});
