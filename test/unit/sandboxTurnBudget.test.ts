import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { analyzeFlow } from '../../src/flow/validator.js';
import { TurnPool, TurnStoppedError } from '../../src/sandbox/turnPool.js';
import { chatbotIdOf, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';
import type { Api } from './sandboxTestKit.js';

after(removeTempDirs);

/** A regex trigger that backtracks for ever on 'aaaa…a!', beside a harmless one. */
const catastrophicFlow = {
  states: {
    ask: {
      message: 'Type something',
      transitions: { regex: { '^(a+)+$': 'as', '^hello$': 'hello' }, default: 'ask' },
    },
    as: { message: 'Only a letters', transitions: { default: 'ask' } },
    hello: { message: 'Hello to you', transitions: { default: 'ask' } },
  },
};
const EVIL_INPUT = `${'a'.repeat(40)}!`;
const BUDGET_MS = 300;

async function openSession(api: Api, chatbotId: string): Promise<string> {
  const created = await api('POST', `/chatbots/${chatbotId}/chat/sessions`, { body: {} });
  assert.equal(created.status, 201);
  return (created.body as { session_id: string }).session_id;
}

function say(api: Api, chatbotId: string, sessionId: string, message: string) {
  return api('POST', `/chatbots/${chatbotId}/chat/sessions/${sessionId}/messages`, { body: { message } });
}

describe('sandbox turn budget', () => {
  it('while a catastrophic regex holds one worker, another session is answered first, and the bad turn is then stopped naming the state and the trigger', async () => {
    const model = analyzeFlow(catastrophicFlow).model;
    assert.ok(model, 'the flow reads');
    let held: (what: string) => void = () => undefined;
    const holding = new Promise<string>((resolve) => {
      held = resolve;
    });
    const pool = new TurnPool({ budgetMs: BUDGET_MS, size: 2, onEvaluating: (what) => held(what) });
    try {
      const options = { chatbotId: 'bot', userId: 'u', flowName: 'evil', integrations: {}, llm: null };
      const at = (await pool.run(model, null, null, options)).snapshot;
      const order: string[] = [];
      const bad = pool.run(model, at, { message: EVIL_INPUT, button_id: null }, options).then(
        () => order.push('bad answered'),
        (error: unknown) => {
          order.push('bad stopped');
          return error;
        },
      );
      // The bad turn is inside its regex, in its worker, before the good turn is even sent.
      assert.match(await holding, /regex trigger '\^\(a\+\)\+\$' of state 'ask'/);
      const good = await pool.run(model, at, { message: 'hello', button_id: null }, options);
      order.push('good answered');
      assert.equal(good.current_state, 'hello');

      const error = await bad;
      assert.deepEqual(order, ['good answered', 'bad stopped']);
      assert.ok(error instanceof TurnStoppedError, String(error));
      assert.equal(error.culprit, true);
      assert.match(error.message, new RegExp(`${BUDGET_MS} ms budget in the regex trigger '\\^\\(a\\+\\)\\+\\$' of state 'ask'`));
    } finally {
      await pool.close();
    }
  });

  it('a session whose turn was stopped stays open in the state it was in, and answers its next message', async () => {
    const { sandbox, api, close } = await startTestSandbox({ 'evil.flow.json': catastrophicFlow }, { turnTimeoutMs: BUDGET_MS });
    try {
      const chatbotId = chatbotIdOf(sandbox, 'evil.flow.json');
      const session = await openSession(api, chatbotId);
      const stopped = await say(api, chatbotId, session, EVIL_INPUT);
      assert.equal(stopped.status, 500);
      assert.match((stopped.body as { detail: string }).detail, /300 ms budget in the regex trigger '\^\(a\+\)\+\$' of state 'ask'/);
      assert.match((stopped.body as { detail: string }).detail, /still open, in state 'ask'/);

      const next = await say(api, chatbotId, session, 'hello');
      assert.equal(next.status, 200);
      assert.equal((next.body as { current_state: string }).current_state, 'hello');
    } finally {
      await close();
    }
  });
});
