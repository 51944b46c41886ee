// The client's side of the sandbox's additions: createSession sends a SandboxSessionRequest as the
// body when given one, and the exchange keeps the answer's sandbox_trace whole for the panel.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readTurnTrace } from '../../src/flow/turnTrace.js';
import { SarufiClient } from '../../src/sarufi/client.js';
import { endpoints } from '../../src/sarufi/endpoints.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import { chatbotIdOf, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';
import type { TestSandbox } from './sandboxTestKit.js';

const FLOW = {
  name: 'Pick bot',
  states: {
    pick: {
      message: { type: 'buttons', text: 'Pick one', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] },
      transitions: { buttons: { yes: 'done', no: 'done' } },
    },
    done: { message: 'Thanks, {{contact_name}}!' },
  },
};

let t: TestSandbox;
let botId: string;
let client: SarufiClient;
const exchanges: Exchange[] = [];

before(async () => {
  t = await startTestSandbox({ 'pick.flow.json': FLOW });
  botId = chatbotIdOf(t.sandbox, 'pick.flow.json');
  client = new SarufiClient({ baseUrl: t.sandbox.baseUrl, apiKey: t.sandbox.apiKey, onExchange: (exchange) => exchanges.push(exchange) });
});

after(async () => {
  await t.close();
  await removeTempDirs();
});

describe('SarufiClient session requests (sandbox)', () => {
  it('sends the request as the JSON body: a fork starts at the named turn', async () => {
    const greeting = await client.createSession(botId);
    await client.sendMessage(botId, greeting.session_id, { message: 'Yes', button_id: 'yes' });
    const fork = await client.createSession(botId, {}, { start: { kind: 'fork', sessionId: greeting.session_id, turn: 1 } });
    assert.equal((fork as { current_state?: unknown }).current_state, 'done');
    assert.deepEqual(exchanges.at(-1)?.requestBody, { start: { kind: 'fork', sessionId: greeting.session_id, turn: 1 } });
  });

  it("keeps the answer's sandbox_trace in the exchange, where readTurnTrace finds it", async () => {
    const { data, exchange } = await client.call(endpoints.createSession(botId, { persona: { contactName: 'Asha' }, start: { kind: 'state', state: 'done', variables: {} } }));
    assert.deepEqual(data.messages, [{ type: 'text', text: 'Thanks, Asha!' }]);
    const trace = readTurnTrace(exchange.responseJson);
    assert.ok(trace, 'the exchange holds a readable trace');
    assert.equal(trace.turn, 0);
    assert.equal(trace.to, 'done');
    assert.equal(trace.variables.after.contact_name, 'Asha');
  });

  it('describes a refused request in plain words, with the sandbox detail', async () => {
    await assert.rejects(client.createSession(botId, {}, { start: { kind: 'state', state: 'nowhere', variables: {} } }), /no state "nowhere"/);
  });
});
