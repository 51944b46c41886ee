// An API_CALL's backend that redirects elsewhere must not receive the integration's secrets there.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { performApiCall } from '../../src/flow/apiCall.js';
import type { ApiCallContext } from '../../src/flow/apiCall.js';
import { createConversation } from '../../src/flow/engine.js';
import type { TurnResult } from '../../src/flow/engine.js';
import type { ApiCallAction } from '../../src/flow/flowTypes.js';
import { MAX_REDIRECTS } from '../../src/sarufi/redirects.js';
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

describe("API_CALL redirects through the engine's own fetch", () => {
  let origin: RecordingServer;
  let elsewhere: RecordingServer;
  before(async () => {
    elsewhere = await startRecordingServer((_request, response) => sendJson(response, 200, { ok: true }));
    origin = await startRecordingServer((request, response) => {
      const hop = /^\/hop\/(\d+)$/.exec(request.path);
      const location =
        request.path === '/away'
          ? `${elsewhere.url}/landed`
          : request.path === '/file'
            ? 'file:///etc/passwd'
            : request.path === '/here-303'
              ? '/landed'
            : hop
              ? Number(hop[1]) === 0
                ? '/landed'
                : `/hop/${Number(hop[1]) - 1}`
              : null;
      if (location === null) {
        sendJson(response, 200, { ok: true });
      } else {
        response.writeHead(request.path === '/here-303' || hop ? 303 : 307, { Location: location });
        response.end();
      }
    });
  });
  after(async () => {
    await origin.close();
    await elsewhere.close();
  });

  /** One API_CALL to the orders integration at `path`, run by a Conversation given no fetch of its own. */
  async function turnCalling(path: string): Promise<TurnResult> {
    const conversation = createConversation(
      {
        states: {
          ask: { message: 'Go?', transitions: { default: 'call' } },
          call: {
            actions: [
              {
                type: 'API_CALL',
                integration: 'orders',
                path,
                method: 'POST',
                headers: { 'X-Flow-Token': 'flow-secret' },
                success_transition: 'ok',
                failure_transition: 'failed',
              },
            ],
          },
          ok: { message: 'ok' },
          failed: { message: 'failed' },
        },
      },
      { integrations: { orders: { baseUrl: origin.url, headers: { 'X-Api-Key': 'integration-secret' } } } },
    );
    await conversation.start();
    return conversation.handle({ message: 'go' });
  }

  function callError(turn: TurnResult): string {
    const call = turn.trace.find((event) => event.type === 'api_call');
    return call?.type === 'api_call' ? (call.error ?? '') : '';
  }

  it('another origin receives neither the integration key nor the flow header', async () => {
    const turn = await turnCalling('/away');
    assert.equal(turn.current_state, 'ok');
    const landed = elsewhere.requests.at(-1);
    assert.equal(landed?.path, '/landed');
    assert.equal(landed?.headers['x-api-key'], undefined);
    assert.equal(landed?.headers['x-flow-token'], undefined);
  });

  it('the same origin receives both, and a 303 goes on as a GET without the body or its Content-Type', async () => {
    const turn = await turnCalling('/here-303');
    assert.equal(turn.current_state, 'ok');
    const landed = origin.requests.at(-1);
    assert.deepEqual([landed?.path, landed?.method, landed?.body], ['/landed', 'GET', '']);
    assert.equal(landed?.headers['x-api-key'], 'integration-secret');
    assert.equal(landed?.headers['x-flow-token'], 'flow-secret');
    assert.equal(landed?.headers['content-type'], undefined);
  });

  it(`follows ${MAX_REDIRECTS} redirects and fails on the next, naming the limit in its own words`, async () => {
    assert.equal((await turnCalling(`/hop/${MAX_REDIRECTS - 1}`)).current_state, 'ok');
    const turn = await turnCalling(`/hop/${MAX_REDIRECTS}`);
    assert.equal(turn.current_state, 'failed');
    assert.match(callError(turn), new RegExp(`^More than ${MAX_REDIRECTS} redirects`));
  });

  it('does not follow a redirect to a scheme other than http(s)', async () => {
    const turn = await turnCalling('/file');
    assert.equal(turn.current_state, 'failed');
    assert.match(callError(turn), /^A redirect to file: is not followed/);
  });
});
