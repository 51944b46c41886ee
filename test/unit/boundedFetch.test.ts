import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBoundedFetch, MAX_API_ANSWER_BYTES } from '../../src/flow/boundedFetch.js';
import { createConversation } from '../../src/flow/engine.js';
import { sendJson, startRecordingServer } from './sandboxTestKit.js';
import type { RecordingServer } from './sandboxTestKit.js';

let backend: RecordingServer;

before(async () => {
  backend = await startRecordingServer(async (request, response) => {
    const redirect = /^\/hop\/(\d+)$/.exec(request.path);
    if (redirect) {
      const left = Number(redirect[1]);
      response.writeHead(302, { Location: left === 0 ? '/landed' : `/hop/${left - 1}` });
      response.end();
    } else if (request.path === '/huge') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      // No Content-Length: the limit must hold while the body streams.
      response.write('"');
      response.write('x'.repeat(MAX_API_ANSWER_BYTES));
      response.end('"');
    } else if (request.path === '/hang') {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      response.end();
    } else {
      sendJson(response, 200, { path: request.path, method: request.method });
    }
  });
});

after(() => backend.close());

describe('API_CALL bounds (boundedFetch)', () => {
  it('hands a redirect back unfollowed, even when the caller asks fetch to follow it', async () => {
    const before = backend.requests.length;
    const response = await createBoundedFetch()(`${backend.url}/hop/0`, { method: 'POST', body: '{}', redirect: 'follow' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), '/landed');
    assert.deepEqual(backend.requests.slice(before).map((request) => request.path), ['/hop/0']);
  });

  it(`fails an answer over ${MAX_API_ANSWER_BYTES} bytes while it streams, naming the limit`, async () => {
    const response = await createBoundedFetch()(`${backend.url}/huge`);
    await assert.rejects(response.text(), new RegExp(`larger than ${MAX_API_ANSWER_BYTES} bytes`));
  });

  it('stops a call at its longest wait even when the caller gave no signal', async () => {
    // /hang never answers: any rejection at all is the longest wait ending the call.
    await assert.rejects(createBoundedFetch(undefined, { maxCallMs: 100 })(`${backend.url}/hang`), { name: 'TimeoutError' });
  });

  it('an API_CALL whose answer is too large takes its failure_transition, with the reason (not a network error) in the trace', async () => {
    const conversation = createConversation({
      states: {
        ask: { message: 'Go?', transitions: { default: 'call' } },
        call: {
          actions: [{ type: 'API_CALL', url: `${backend.url}/huge`, method: 'GET', success_transition: 'ok', failure_transition: 'failed' }],
        },
        ok: { message: 'ok' },
        failed: { message: 'failed' },
      },
    });
    await conversation.start();
    const turn = await conversation.handle({ message: 'go' });
    assert.equal(turn.current_state, 'failed');
    const call = turn.trace.find((event) => event.type === 'api_call');
    assert.match(call?.type === 'api_call' ? (call.error ?? '') : '', new RegExp(`^The answer is larger than ${MAX_API_ANSWER_BYTES} bytes`));
  });
});
