import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConversation } from '../../src/flow/engine.js';
import type { ConversationOptions, TraceEvent, TurnResult } from '../../src/flow/engine.js';
import { MAX_API_TIMEOUT_MS } from '../../src/flow/boundedFetch.js';
import { MAX_JSON_DEPTH, offsetBeyondDepth } from '../../src/flow/jsonDepth.js';
import { closedPort, sendJson, startRecordingServer } from './sandboxTestKit.js';
import type { RecordingServer } from './sandboxTestKit.js';

let backend: RecordingServer;
/** Requests to /hold wait for this, so a test decides when they are answered. */
let release: () => void = () => undefined;
let held = Promise.resolve();

before(async () => {
  backend = await startRecordingServer(async (request, response) => {
    if (request.path.startsWith('/hold')) {
      await held;
      sendJson(response, 200, { released: true });
    } else if (request.path.startsWith('/slow')) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      sendJson(response, 200, { late: true });
    } else if (request.path.startsWith('/orders/404')) {
      sendJson(response, 404, { detail: 'Order 404 not found.' });
    } else if (request.path.startsWith('/boom')) {
      sendJson(response, 500, { detail: 'boom' });
    } else if (request.path.startsWith('/deep/')) {
      const levels = Number(request.path.slice('/deep/'.length));
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('['.repeat(levels) + ']'.repeat(levels));
    } else if (request.path.startsWith('/text')) {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('plain words');
    } else {
      sendJson(response, 200, { id: 'A1', status: 'shipped', echo: request.body === '' ? null : (JSON.parse(request.body) as unknown) });
    }
  });
});

after(() => backend.close());

function lastRequest() {
  const request = backend.requests.at(-1);
  assert.ok(request, 'the backend got a request');
  return request;
}

function texts(result: TurnResult): string[] {
  return result.messages.map((message) => ('text' in message ? message.text : message.type));
}

function apiTrace(result: TurnResult): Extract<TraceEvent, { type: 'api_call' }> {
  const event = result.trace.find((candidate): candidate is Extract<TraceEvent, { type: 'api_call' }> => candidate.type === 'api_call');
  assert.ok(event, 'an api_call trace event');
  return event;
}

/**
 * ask (saves order_id) → call (the API_CALL under test) → ok | failed | fallback. The action
 * calls the "orders" integration unless it names a url or another integration.
 */
function callFlow(action: Record<string, unknown>, okMessage = 'OK {{variables.order.status}} / {{variables.response.id}}') {
  const target = 'url' in action || 'integration' in action ? {} : { integration: 'orders' };
  return {
    name: 'Orders flow',
    integrations: { orders: { base_url: 'http://placeholder.invalid', headers: { 'X-Api-Token': 'tok-{{variables.order_id}}' } } },
    states: {
      ask: { message: 'Order?', save_input_as: 'order_id', transitions: { default: 'call' } },
      call: { message: 'Looking…', actions: [{ type: 'API_CALL', ...target, ...action }], transitions: { default: 'fallback' } },
      ok: { message: okMessage },
      failed: { message: 'Failed: {{variables.response.detail}}' },
      fallback: { message: 'Fallback' },
    },
  };
}

async function run(flow: unknown, input: string, options: ConversationOptions = {}): Promise<TurnResult> {
  const conversation = createConversation(flow, {
    chatbotId: 'bot-1',
    userId: 'user-1',
    contactName: 'Zuhura',
    integrations: { orders: { baseUrl: `${backend.url}/`, headers: { 'X-Api-Token': 'tok-{{variables.order_id}}' } } },
    ...options,
  });
  await conversation.start();
  return conversation.handle({ message: input });
}

describe('engine: API_CALL', () => {
  it('GETs integration base URL + path, encodes variables in the path, saves the JSON and takes success_transition', async () => {
    const result = await run(callFlow({ path: '/orders/{{variables.order_id}}?x=1', save_to: 'order', success_transition: 'ok', failure_transition: 'failed' }), '12/3 a');
    assert.deepEqual(texts(result), ['Looking…', 'OK shipped / A1']);
    const request = lastRequest();
    assert.equal(request.method, 'GET');
    assert.equal(request.path, '/orders/12%2F3%20a?x=1');
    assert.equal(request.body, '');
    assert.equal(apiTrace(result).status, 200);
  });

  it('sends the documented X-Sarufi-* headers, the integration headers and Accept', async () => {
    await run(callFlow({ path: '/orders/1', success_transition: 'ok' }), '77');
    const { headers } = lastRequest();
    assert.equal(headers['x-sarufi-user-id'], 'user-1');
    assert.equal(headers['x-sarufi-chatbot-id'], 'bot-1');
    assert.equal(headers['x-sarufi-channel'], 'api');
    assert.equal(headers['x-sarufi-state'], 'call');
    assert.equal(headers['x-sarufi-flow-name'], 'Orders flow');
    assert.equal(headers['x-sarufi-user-name'], 'Zuhura');
    assert.equal(headers['x-api-token'], 'tok-77');
    assert.equal(headers.accept, 'application/json');
  });

  it('percent-encodes header values that are not ASCII', async () => {
    await run(callFlow({ path: '/orders/1', success_transition: 'ok' }), '1', { contactName: 'Zuhura Ñ' });
    assert.equal(lastRequest().headers['x-sarufi-user-name'], 'Zuhura%20%C3%91');
  });

  it('POSTs the default body {message, variables} when the action has no body', async () => {
    await run(callFlow({ path: '/orders', method: 'post', success_transition: 'ok' }), '55');
    const request = lastRequest();
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body), {
      message: { type: 'text', text: '55' },
      variables: { contact_name: 'Zuhura', ask: '55', order_id: '55' },
    });
  });

  it('merges a declared body on top of the automatic {message, variables} body: declared fields win, a whole placeholder keeps its type', async () => {
    await run(
      callFlow({
        path: '/orders',
        method: 'PUT',
        body: { id: '{{variables.order_id}}', message: 'declared', note: 'for {{variables.contact_name}}', tags: ['{{variables.missing}}'] },
        success_transition: 'ok',
      }),
      '9',
    );
    assert.deepEqual(JSON.parse(lastRequest().body), {
      message: 'declared',
      variables: { contact_name: 'Zuhura', ask: '9', order_id: '9' },
      id: '9',
      note: 'for Zuhura',
      tags: [null],
    });
  });

  it('sends no body on GET and DELETE, even when the action declares one', async () => {
    for (const method of ['GET', 'DELETE']) {
      await run(callFlow({ path: '/orders/1', method, body: { ignored: true }, success_transition: 'ok' }), '1');
      const request = lastRequest();
      assert.equal(request.method, method);
      assert.equal(request.body, '');
      assert.equal(request.headers['content-type'], undefined);
    }
  });

  it('takes failure_transition on a 4xx, with the body in the built-in response', async () => {
    const result = await run(callFlow({ path: '/orders/404', save_to: 'order', success_transition: 'ok', failure_transition: 'failed' }), '404');
    assert.deepEqual(texts(result).at(-1), 'Failed: Order 404 not found.');
    assert.equal(apiTrace(result).ok, false);
    assert.equal(apiTrace(result).status, 404);
  });

  it("falls back to the state's default when the outcome's transition is missing", async () => {
    const result = await run(callFlow({ path: '/boom', success_transition: 'ok' }), '1');
    assert.deepEqual(texts(result), ['Looking…', 'Fallback']);
    assert.equal(result.current_state, 'fallback');
  });

  it('fails on a timeout (timeout_ms) and takes failure_transition', async () => {
    const result = await run(callFlow({ path: '/slow', timeout_ms: 80, success_transition: 'ok', failure_transition: 'failed' }), '1');
    assert.equal(result.current_state, 'failed');
    assert.match(apiTrace(result).error ?? '', /Timed out after 80 ms/);
  });

  it('uses apiTimeoutMs when the action sets no timeout_ms', async () => {
    const result = await run(callFlow({ path: '/slow', success_transition: 'ok', failure_transition: 'failed' }), '1', { apiTimeoutMs: 50 });
    assert.equal(result.current_state, 'failed');
  });

  it('fails on a network error (nothing listening) and takes failure_transition', async () => {
    const port = await closedPort();
    const result = await run(callFlow({ url: `http://127.0.0.1:${port}/x`, success_transition: 'ok', failure_transition: 'failed' }), '1');
    assert.equal(result.current_state, 'failed');
    assert.match(apiTrace(result).error ?? '', /^Network error/);
  });

  it('calls a legacy url (encoding the variables inside it) and stores a text answer as text', async () => {
    const result = await run(callFlow({ url: `${backend.url}/text?q={{variables.order_id}}`, success_transition: 'ok' }, 'Got {{variables.response}}'), 'a&b');
    assert.equal(lastRequest().path, '/text?q=a%26b');
    assert.deepEqual(texts(result).at(-1), 'Got plain words');
  });

  it(`reports the wait it applied: a default over ${MAX_API_TIMEOUT_MS} ms is capped there`, async () => {
    const timedOut: typeof fetch = () => Promise.reject(new DOMException('The operation timed out.', 'TimeoutError'));
    const result = await run(callFlow({ path: '/orders/1', failure_transition: 'failed' }), '1', { apiTimeoutMs: MAX_API_TIMEOUT_MS * 10, fetch: timedOut });
    assert.equal(apiTrace(result).error, `Timed out after ${MAX_API_TIMEOUT_MS} ms.`);
  });

  it(`takes failure_transition for an answer nested deeper than ${MAX_JSON_DEPTH} levels, and says so`, async () => {
    const result = await run(callFlow({ path: `/deep/${MAX_JSON_DEPTH + 1}`, save_to: 'order', success_transition: 'ok', failure_transition: 'failed' }), '1');
    assert.equal(result.current_state, 'failed');
    assert.match(apiTrace(result).error ?? '', new RegExp(`nests deeper than ${MAX_JSON_DEPTH} levels`));
  });

  it(`keeps an answer nested exactly ${MAX_JSON_DEPTH} levels`, async () => {
    const result = await run(callFlow({ path: `/deep/${MAX_JSON_DEPTH}`, save_to: 'order', success_transition: 'ok', failure_transition: 'failed' }), '1');
    assert.equal(result.current_state, 'ok');
  });

  it('a conversation whose API_CALL got an answer 100000 levels deep can still be snapshotted', async () => {
    const conversation = createConversation(callFlow({ path: '/deep/100000', save_to: 'order', success_transition: 'ok', failure_transition: 'failed' }), {
      integrations: { orders: { baseUrl: backend.url } },
    });
    await conversation.start();
    await conversation.handle({ message: '1' });
    assert.equal(conversation.snapshot().current, 'failed');
  });

  it('offsetBeyondDepth counts brackets outside strings only, escaped quotes included', () => {
    const text = '{"a": [1, {"b": "[[[{{{"}], "c": "\\"}';
    assert.equal(offsetBeyondDepth(text, 2), text.indexOf('{"b"'), 'the third level opens at {"b"');
    assert.equal(offsetBeyondDepth(text, 3), -1);
    assert.equal(offsetBeyondDepth('["\\"[[["]', 0), 0);
    assert.equal(offsetBeyondDepth('["\\"[[["]', 1), -1);
    assert.equal(offsetBeyondDepth('"[[["', 0), -1);
  });

  it('fails (does not throw) for an integration without a base URL', async () => {
    const result = await run(callFlow({ integration: 'nowhere', path: '/x', success_transition: 'ok', failure_transition: 'failed' }), '1');
    assert.equal(result.current_state, 'failed');
    assert.match(apiTrace(result).error ?? '', /Unknown integration 'nowhere'/);
  });

  it("an API_CALL with neither transition follows the state's default at once, on success and on failure", async () => {
    for (const path of ['/orders/1', '/boom']) {
      const result = await run(callFlow({ path, save_to: 'order' }), '1');
      assert.equal(result.current_state, 'fallback', path);
      assert.deepEqual(texts(result), ['Looking…', 'Fallback'], path);
    }
  });

  it('an API_CALL with neither transition in a state without default stays: the next action runs and the state waits', async () => {
    const conversation = createConversation({
      s: {
        message: 'Waiting',
        actions: [
          { type: 'API_CALL', url: `${backend.url}/orders/1`, save_to: 'order' },
          { type: 'SEND_MESSAGE', message: 'Got {{variables.order.status}}' },
        ],
      },
    });
    const result = await conversation.start();
    assert.deepEqual(texts(result), ['Got shipped', 'Waiting']);
    assert.equal(result.current_state, 's');
  });

  it("fire_and_forget moves to the state's default at once, while the backend still holds the answer", async () => {
    held = new Promise((resolve) => {
      release = resolve;
    });
    const before = backend.requests.length;
    const conversation = createConversation(callFlow({ path: '/hold', method: 'POST', fire_and_forget: true }), {
      integrations: { orders: { baseUrl: backend.url } },
    });
    await conversation.start();
    // Were handle() waiting for the call, it would never resolve: the backend holds the answer.
    const result = await conversation.handle({ message: '1' });
    assert.deepEqual(texts(result), ['Looking…', 'Fallback']);
    assert.equal(result.current_state, 'fallback');
    release();
    await conversation.idle();
    assert.equal(backend.requests.length, before + 1);
    assert.equal(lastRequest().path, '/hold');
  });

  it('fire_and_forget ignores errors: nothing listening changes neither response nor the route', async () => {
    const port = await closedPort();
    const conversation = createConversation(
      {
        s: {
          message: 'Sent',
          actions: [{ type: 'API_CALL', url: `http://127.0.0.1:${port}/events`, method: 'POST', fire_and_forget: true }],
          transitions: { default: 'next' },
        },
        next: { message: 'Next {{variables.response}}' },
      },
      { variables: { response: 'before' } },
    );
    const result = await conversation.start();
    await conversation.idle();
    assert.deepEqual(texts(result), ['Sent', 'Next before']);
    assert.equal(conversation.variables.response, 'before');
  });

  it('fire_and_forget does not wait, route or save; idle() waits for it', async () => {
    held = new Promise((resolve) => {
      release = resolve;
    });
    const before = backend.requests.length;
    const conversation = createConversation({
      s: {
        message: 'Sent',
        actions: [{ type: 'API_CALL', url: `${backend.url}/hold`, method: 'POST', body: { e: 1 }, fire_and_forget: true, save_to: 'x', success_transition: 'nowhere' }],
      },
    });
    // Were start() waiting for the call, it would never resolve: the backend holds the answer.
    const result = await conversation.start();
    assert.deepEqual(texts(result), ['Sent']);
    assert.equal(apiTrace(result).fireAndForget, true);
    let idle = false;
    const settled = conversation.idle().then(() => {
      idle = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(idle, false, 'idle() waits while the call is pending');
    release();
    await settled;
    assert.equal(conversation.variables.x, undefined);
    assert.equal(backend.requests.length, before + 1);
    assert.deepEqual(JSON.parse(lastRequest().body), { message: { type: 'text', text: '' }, variables: { contact_name: 'Sandbox user' }, e: 1 });
  });
});
