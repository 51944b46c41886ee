import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
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
  it('while a catastrophic regex runs, another session answers within 1 s, and the bad turn answers a 500 naming the state and the trigger within its budget', async () => {
    const { sandbox, api, close } = await startTestSandbox({ 'evil.flow.json': catastrophicFlow }, { turnTimeoutMs: BUDGET_MS });
    try {
      const chatbotId = chatbotIdOf(sandbox, 'evil.flow.json');
      const bad = await openSession(api, chatbotId);
      const good = await openSession(api, chatbotId);

      const badStarted = performance.now();
      const badTurn = say(api, chatbotId, bad, EVIL_INPUT).then((answer) => ({ answer, ms: performance.now() - badStarted }));
      // Let the bad turn reach its worker first.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const goodStarted = performance.now();
      const goodAnswer = await say(api, chatbotId, good, 'hello');
      const goodMs = performance.now() - goodStarted;

      assert.equal(goodAnswer.status, 200, goodAnswer.text);
      assert.equal((goodAnswer.body as { current_state: string }).current_state, 'hello');
      assert.ok(goodMs < 1000, `the other session answered after ${Math.round(goodMs)} ms`);

      const { answer, ms } = await badTurn;
      assert.equal(answer.status, 500);
      const detail = (answer.body as { detail: string }).detail;
      assert.match(detail, /300 ms budget/);
      assert.match(detail, /regex trigger '\^\(a\+\)\+\$' of state 'ask'/);
      // The budget, plus the time to see the silence, stop the worker and answer over HTTP.
      assert.ok(ms < BUDGET_MS + 500, `the stopped turn answered after ${Math.round(ms)} ms`);
    } finally {
      await close();
    }
  });

  it('a session whose turn was stopped stays open in the state it was in, and answers its next message', async () => {
    const { sandbox, api, close } = await startTestSandbox({ 'evil.flow.json': catastrophicFlow }, { turnTimeoutMs: BUDGET_MS });
    try {
      const chatbotId = chatbotIdOf(sandbox, 'evil.flow.json');
      const session = await openSession(api, chatbotId);
      const stopped = await say(api, chatbotId, session, EVIL_INPUT);
      assert.equal(stopped.status, 500);
      assert.match((stopped.body as { detail: string }).detail, /still open, in state 'ask'/);

      const next = await say(api, chatbotId, session, 'hello');
      assert.equal(next.status, 200);
      assert.equal((next.body as { current_state: string }).current_state, 'hello');
    } finally {
      await close();
    }
  });
});
