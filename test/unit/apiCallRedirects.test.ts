// An API_CALL's backend that redirects elsewhere must not receive the integration's secrets there.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { performApiCall } from '../../src/flow/apiCall.js';
import type { ApiCallContext } from '../../src/flow/apiCall.js';
import type { ApiCallAction } from '../../src/flow/flowTypes.js';
import { sendJson, startRecordingServer } from './sandboxTestKit.js';
import type { RecordingServer } from './sandboxTestKit.js';

const SECRET_HEADERS = { 'X-Api-Key': 'integration-secret', Authorization: 'Bearer integration-token' };

function callTo(path: string): ApiCallAction {
  return {
    type: 'API_CALL',
    path: 'states.s.actions[0]',
    target: { kind: 'integration', integration: 'orders', path },
    method: 'POST',
    headers: { 'X-Flow-Token': 'flow-secret' },
    body: { order: 1 },
    saveTo: null,
    successTransition: null,
    failureTransition: null,
    timeoutMs: null,
    fireAndForget: false,
  };
}

describe('API_CALL redirects', () => {
  let origin: RecordingServer;
  let elsewhere: RecordingServer;
  let context: ApiCallContext;
  before(async () => {
    elsewhere = await startRecordingServer((_request, response) => sendJson(response, 200, { ok: true }));
    origin = await startRecordingServer((request, response) => {
      const location = request.path === '/away' ? `${elsewhere.url}/landed` : '/landed';
      if (request.path === '/landed') {
        sendJson(response, 200, { ok: true });
      } else {
        response.writeHead(307, { Location: location });
        response.end();
      }
    });
    context = {
      variables: {},
      lastInput: '',
      state: 's',
      flowName: 'Orders',
      chatbotId: 'bot',
      userId: 'user',
      userName: 'Zuhura',
      channel: 'api',
      integrations: { orders: { baseUrl: origin.url, headers: SECRET_HEADERS } },
      fetch: (input, init) => globalThis.fetch(input, init),
      defaultTimeoutMs: 5000,
    };
  });
  after(async () => {
    await origin.close();
    await elsewhere.close();
  });

  it('a redirect to another origin reaches it without the integration or flow headers', async () => {
    const outcome = await performApiCall(callTo('/away'), context);
    assert.equal(outcome.status, 200);
    const landed = elsewhere.requests.at(-1);
    assert.equal(landed?.path, '/landed');
    assert.equal(landed?.headers['x-api-key'], undefined);
    assert.equal(landed?.headers.authorization, undefined);
    assert.equal(landed?.headers['x-flow-token'], undefined);
    // A 307 keeps the method and the body: the automatic one with the declared field merged on top.
    assert.deepEqual(JSON.parse(landed?.body ?? ''), { message: { type: 'text', text: '' }, variables: {}, order: 1 });
  });

  it('a redirect within the origin keeps them', async () => {
    await performApiCall(callTo('/here'), context);
    const landed = origin.requests.at(-1);
    assert.equal(landed?.path, '/landed');
    assert.equal(landed?.headers['x-api-key'], 'integration-secret');
    assert.equal(landed?.headers['x-flow-token'], 'flow-secret');
  });
});
