// The sandbox's `sandbox_trace` through its HTTP API: on the greeting (turn 0, from null) and on
// each reply (turn n), with why each transition was taken, the API_CALL's request and answer
// (secrets masked), and the variables before and after; and none at all with the option off.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TraceEvent } from '../../src/flow/engine.js';
import { MASKED_VALUE, readTurnTrace, TRACE_FIELD } from '../../src/flow/turnTrace.js';
import type { TurnTrace } from '../../src/flow/turnTrace.js';
import { chatbotIdOf, removeTempDirs, sendJson, startRecordingServer, startTestSandbox } from './sandboxTestKit.js';
import type { RecordingServer, TestSandbox } from './sandboxTestKit.js';

function shopFlow(backendUrl: string) {
  return {
    name: 'Shop',
    intents: { greet: ['Hello', 'Hi there'] },
    states: {
      menu: {
        message: { type: 'buttons', text: 'Menu', buttons: [{ id: 'buy', title: 'Buy' }] },
        transitions: { buttons: { buy: 'qty' }, keywords: { 'help|msaada': 'help' }, intents: { greet: 'hello' }, default: 'menu' },
      },
      help: { message: 'Help!', transitions: { always: 'menu' } },
      hello: { message: 'Hello to you.', transitions: { default: 'menu' } },
      qty: { message: 'How many?', transitions: { regex: { '^\\d+$': 'check' }, default: 'qty' } },
      check: { actions: [{ type: 'CONDITION', if: '{{variables.qty}} >= 5', then: 'bulk', else: 'order' }] },
      bulk: { message: 'Bulk orders go by phone.' },
      order: {
        message: 'Ordered: {{variables.order.id}}',
        actions: [
          {
            type: 'API_CALL',
            url: `${backendUrl}/orders`,
            method: 'POST',
            headers: { Authorization: 'Bearer {{variables.api_token}}' },
            save_to: 'order',
          },
        ],
      },
    },
  };
}

let backend: RecordingServer;
let t: TestSandbox;
let botId: string;

before(async () => {
  backend = await startRecordingServer((_request, response) => sendJson(response, 201, { id: 'O-1', access_token: 'server-secret-1' }));
  t = await startTestSandbox({ 'shop.flow.json': shopFlow(backend.url) });
  botId = chatbotIdOf(t.sandbox, 'shop.flow.json');
});

after(async () => {
  await t.close();
  await backend.close();
  await removeTempDirs();
});

async function greet(): Promise<{ sessionId: string; trace: TurnTrace }> {
  const response = await t.api('POST', `/chatbots/${botId}/chat/sessions`);
  assert.equal(response.status, 201, response.text);
  const trace = readTurnTrace(response.body);
  assert.ok(trace, 'the greeting carries a readable sandbox_trace');
  return { sessionId: (response.body as { session_id: string }).session_id, trace };
}

async function say(sessionId: string, message: string, buttonId?: string): Promise<TurnTrace> {
  const response = await t.api('POST', `/chatbots/${botId}/chat/sessions/${sessionId}/messages`, { body: { message, ...(buttonId ? { button_id: buttonId } : {}) } });
  assert.equal(response.status, 200, response.text);
  const trace = readTurnTrace(response.body);
  assert.ok(trace, 'the reply carries a readable sandbox_trace');
  return trace;
}

function transitions(trace: TurnTrace): Extract<TraceEvent, { type: 'transition' }>[] {
  return trace.events.filter((event): event is Extract<TraceEvent, { type: 'transition' }> => event.type === 'transition');
}

describe('sandbox trace', () => {
  it('is on the greeting as turn 0 from null, and on each reply as turn n', async () => {
    const { sessionId, trace } = await greet();
    assert.equal(trace.turn, 0);
    assert.equal(trace.from, null);
    assert.equal(trace.to, 'menu');
    assert.deepEqual(trace.events, [{ type: 'enter', state: 'menu' }]);
    assert.equal(trace.variables.after.contact_name, 'Sandbox user');
    const first = await say(sessionId, 'Buy', 'buy');
    assert.equal(first.turn, 1);
    assert.equal(first.from, 'menu');
    assert.equal(first.to, 'qty');
    assert.equal((await say(sessionId, 'three')).turn, 2);
  });

  it('names the button, the keyword pattern, the intent and its score, default and always', async () => {
    const { sessionId } = await greet();
    assert.deepEqual(transitions(await say(sessionId, 'Buy', 'buy')), [{ type: 'transition', from: 'menu', to: 'qty', trigger: 'button', key: 'buy' }]);

    const other = (await greet()).sessionId;
    const help = transitions(await say(other, 'msaada please'));
    assert.equal(help[0]?.trigger, 'keyword');
    assert.equal(help[0]?.key, 'help|msaada');
    assert.match(help[0]?.pattern ?? '', /msaada/);
    assert.deepEqual(help[1], { type: 'transition', from: 'help', to: 'menu', trigger: 'always' });

    const hello = transitions(await say(other, 'hi there'));
    assert.equal(hello[0]?.trigger, 'intent');
    assert.equal(hello[0]?.key, 'greet');
    assert.equal(hello[0]?.score, 1);
    assert.deepEqual(transitions(await say(other, 'anything else')), [{ type: 'transition', from: 'hello', to: 'menu', trigger: 'default' }]);
  });

  it("names the regex that matched and the condition's value, and shows the variables before and after", async () => {
    const { sessionId } = await greet();
    await say(sessionId, 'Buy', 'buy');
    const trace = await say(sessionId, '9');
    const [regex, condition] = transitions(trace);
    assert.equal(regex?.trigger, 'regex');
    assert.equal(regex?.pattern, '^\\d+$');
    assert.deepEqual(condition, { type: 'transition', from: 'check', to: 'bulk', trigger: 'condition', key: '{{variables.qty}} >= 5', value: true });
    assert.ok(trace.events.some((event) => event.type === 'condition' && event.result));
    assert.equal(trace.variables.before.qty, undefined);
    assert.equal(trace.variables.after.qty, '9');
  });

  it("shows the API_CALL's request and answer, with its Authorization, the token variable and the answer's token masked", async () => {
    const response = await t.api('POST', `/chatbots/${botId}/chat/sessions`, { body: { start: { kind: 'state', state: 'order', variables: { api_token: 'flow-secret-42' } } } });
    assert.equal(response.status, 201, response.text);
    assert.equal(backend.requests.at(-1)?.headers.authorization, 'Bearer flow-secret-42', 'the backend got the real header');
    const trace = readTurnTrace(response.body);
    assert.ok(trace);
    const call = trace.events.find((event) => event.type === 'api_call');
    assert.ok(call?.type === 'api_call' && call.request && call.response);
    assert.equal(call.mocked, false);
    assert.equal(call.status, 201);
    assert.equal(call.request.headers.authorization, MASKED_VALUE);
    assert.deepEqual((call.request.body as { variables: Record<string, unknown> }).variables.api_token, MASKED_VALUE);
    assert.deepEqual(JSON.parse(call.response.body), { id: 'O-1', access_token: MASKED_VALUE });
    assert.equal(trace.variables.after.api_token, MASKED_VALUE);
    assert.ok(trace.masked.includes('variables.after.api_token'));
    assert.doesNotMatch(response.text, /flow-secret-42|server-secret-1/);
  });
});

describe('sandbox trace off', () => {
  let quiet: TestSandbox;
  let quietBot: string;

  before(async () => {
    quiet = await startTestSandbox({ 'shop.flow.json': shopFlow(backend.url) }, { trace: false });
    quietBot = chatbotIdOf(quiet.sandbox, 'shop.flow.json');
  });
  after(() => quiet.close());

  it('sends no sandbox_trace on the greeting or a reply', async () => {
    const greeting = await quiet.api('POST', `/chatbots/${quietBot}/chat/sessions`);
    assert.equal(Object.hasOwn(greeting.body as object, TRACE_FIELD), false);
    const sessionId = (greeting.body as { session_id: string }).session_id;
    const reply = await quiet.api('POST', `/chatbots/${quietBot}/chat/sessions/${sessionId}/messages`, { body: { message: 'Buy', button_id: 'buy' } });
    assert.equal(reply.status, 200);
    assert.equal(Object.hasOwn(reply.body as object, TRACE_FIELD), false);
  });
});
