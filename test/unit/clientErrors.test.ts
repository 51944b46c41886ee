// Every failure is one SarufiError with a kind, the service's detail, and a message in plain words
// that says what happened and what to do; refused requests send nothing at all.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { checkBaseUrl } from '../../src/sarufi/baseUrl.js';
import { SarufiClient } from '../../src/sarufi/client.js';
import { endpoints } from '../../src/sarufi/endpoints.js';
import { flattenDetail, SarufiError } from '../../src/sarufi/errors.js';
import type { SarufiErrorKind } from '../../src/sarufi/errors.js';
import { isLoopbackHost } from '../../src/sarufi/loopback.js';
import { startFakeServer } from './clientFakeServer.js';
import type { FakeServer } from './clientFakeServer.js';
import { API_KEY, reply, session } from './clientFixtures.js';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

/** Runs a call that must fail and returns its SarufiError. */
async function failure(promise: Promise<unknown>): Promise<SarufiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SarufiError, `expected a SarufiError, got ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

function expectKind(error: SarufiError, kind: SarufiErrorKind, status?: number): void {
  assert.equal(error.kind, kind, error.message);
  assert.equal(error.status, status);
  assert.equal(error.name, 'SarufiError');
}

describe('SarufiError from HTTP answers', () => {
  let server: FakeServer;
  let client: SarufiClient;

  before(async () => {
    server = await startFakeServer();
    client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY });
  });
  after(() => server.close());

  it('401 says the key was rejected and how to set a new one', async () => {
    server.queue({ status: 401, json: { detail: 'Invalid or expired API key.' } });
    const error = await failure(client.me());
    expectKind(error, 'auth', 401);
    assert.equal(error.detail, 'Invalid or expired API key.');
    assert.equal(
      error.message,
      'Sarufi rejected the API key (401: Invalid or expired API key.). Set a new key with "Sarufi: Set API Key".',
    );
  });

  it('400 on session creation points at publishing a flow', async () => {
    server.queue({ status: 400, json: { detail: 'No published flow for this chatbot.' } });
    const error = await failure(client.createSession('bot'));
    expectKind(error, 'bad-request', 400);
    assert.match(error.message, /^Sarufi could not start a chat session \(400: No published flow for this chatbot\.\)/);
    assert.match(error.message, /publish one, then start the chat again/);
  });

  it('403 says access was refused and to check the key', async () => {
    server.queue({ status: 403, json: { detail: 'Not your chatbot.' } });
    const error = await failure(client.getChatbot('bot'));
    expectKind(error, 'forbidden', 403);
    assert.match(error.message, /refused to let this API key load the chatbot \(403: Not your chatbot\.\)/);
    assert.match(error.message, /"Sarufi: Set API Key"/);
  });

  it('404 on a chatbot is not-found and suggests refreshing', async () => {
    server.queue({ status: 404, json: { detail: 'Chatbot not found.' } });
    const error = await failure(client.getChatbot('bot'));
    expectKind(error, 'not-found', 404);
    assert.match(error.message, /could not load the chatbot: not found \(404: Chatbot not found\.\).*refresh/);
  });

  it('404 on a chat message means the session ended, like 410', async () => {
    server.queue({ status: 404, json: { detail: 'Session not found.' } });
    const error = await failure(client.sendMessage('bot', 'sess', { message: 'hi' }));
    expectKind(error, 'session-closed', 404);
    assert.match(error.message, /Start a new session/);
  });

  it('410 gives the service\'s reason, says to start a new session, and that the transcript stays', async () => {
    server.queue({ status: 410, json: { detail: 'Session closed.' } });
    const error = await failure(client.sendMessage('bot', 'sess', { message: 'hi' }));
    expectKind(error, 'session-closed', 410);
    assert.equal(error.message, 'Sarufi closed the chat session (410): Session closed. Start a new session to go on. The transcript so far stays readable.');
    assert.equal(error.exchange?.status, 410, 'the error carries the exchange of that call');
    assert.equal(error.exchange?.responseText, '{"detail":"Session closed."}');
  });

  it('a 410 whose reason already says to start a new session says it once', async () => {
    const reason = "This session is closed: the conversation reached its end state 'done'. Start a new session.";
    server.queue({ status: 410, json: { detail: reason } });
    const error = await failure(client.sendMessage('bot', 'sess', { message: 'hi' }));
    assert.equal(error.message, `Sarufi closed the chat session (410): ${reason} The transcript so far stays readable.`);
    assert.equal(error.message.match(/new session/gi)?.length, 1);
  });

  it('409 is a conflict', async () => {
    server.queue({ status: 409, json: { detail: 'Name taken.' } });
    const error = await failure(client.createFlow('bot', { name: 'x', type: 'conversation' }));
    expectKind(error, 'conflict', 409);
    assert.match(error.message, /could not create the flow because of a conflict \(409: Name taken\.\)\. Refresh and try again\./);
  });

  it('422 lists of {loc, msg, type} are flattened to readable text', async () => {
    server.queue({
      status: 422,
      json: {
        detail: [
          { loc: ['body', 'message'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['body', 'button_id', 0], msg: 'str type expected', type: 'type_error.str' },
        ],
      },
    });
    const error = await failure(client.sendMessage('bot', 'sess', { message: 'hi' }));
    expectKind(error, 'validation', 422);
    assert.equal(error.detail, 'body.message: field required; body.button_id.0: str type expected');
    assert.match(error.message, /\(422: body\.message: field required; body\.button_id\.0: str type expected\)/);
  });

  it('flattenDetail() reads strings, lists of loc/msg, plain strings in lists, and anything else as JSON', () => {
    assert.equal(flattenDetail('plain'), 'plain');
    assert.equal(flattenDetail([{ loc: ['query', 'limit'], msg: 'too big', type: 'x' }, 'other']), 'query.limit: too big; other');
    assert.equal(flattenDetail([{ msg: 'no loc' }]), 'no loc');
    assert.equal(flattenDetail({ code: 1 }), '{"code":1}');
    assert.equal(flattenDetail(undefined), '');
  });

  it('500 says the problem is on Sarufi side', async () => {
    server.queue({ status: 500, json: { detail: 'Message processing failed.' } });
    const error = await failure(client.sendMessage('bot', 'sess', { message: 'hi' }));
    expectKind(error, 'server', 500);
    assert.match(error.message, /failed to send the message \(500: Message processing failed\.\)\. This is a problem on Sarufi's side/);
  });

  it('an error with an empty body still names its status', async () => {
    server.queue({ status: 503 });
    const error = await failure(client.me());
    expectKind(error, 'server', 503);
    assert.equal(error.detail, '');
    assert.match(error.message, /failed to check the API key \(503\)\./);
  });

  it('an HTML page is a bad-response that quotes the start of the body', async () => {
    const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(500)}</body></html>`;
    server.queue({ status: 502, text: page, headers: { 'content-type': 'text/html' } });
    const error = await failure(client.listChatbots());
    expectKind(error, 'bad-response', 502);
    assert.match(error.message, /with an HTML page instead of JSON \(502\): "<!DOCTYPE html><html><head><title>502 Bad Gateway<\/title><\/head><body>x+…"/);
    assert.ok(error.message.includes(`"${page.slice(0, 80)}…"`), 'quotes the first 80 characters');
    assert.ok(!error.message.includes(page.slice(0, 81)), 'and no more');
    assert.match(error.message, /\/api\/dev\/v1/);
  });

  it('a 200 with HTML (a wrong base URL) is a bad-response', async () => {
    server.queue({ text: '<html><body>Sarufi dashboard</body></html>', headers: { 'content-type': 'text/html' } });
    const error = await failure(client.me());
    expectKind(error, 'bad-response', 200);
    assert.match(error.message, /"<html><body>Sarufi dashboard<\/body><\/html>"/);
  });

  it('malformed JSON is a bad-response', async () => {
    server.queue({ text: '{"session_id": "s", "messages": [', headers: { 'content-type': 'application/json' } });
    const error = await failure(client.sendMessage('bot', 'sess', { message: 'hi' }));
    expectKind(error, 'bad-response', 200);
    assert.match(error.message, /text that is not valid JSON \(200\): "\{"session_id": "s", "messages": \["/);
    assert.equal(error.exchange?.responseJson, undefined);
    assert.equal(error.exchange?.responseText, '{"session_id": "s", "messages": [');
  });

  it('a 2xx JSON answer of the wrong shape is a bad-response naming what is wrong', async () => {
    server.queue({ json: [] }, { json: { items: 'nope' } }, { status: 201, json: { messages: [] } }, { json: { valid: 'yes' } });
    const notObject = await failure(client.me());
    expectKind(notObject, 'bad-response', 200);
    assert.match(notObject.message, /did not have the expected shape \(the answer should be an object but is a list\)/);
    assert.match((await failure(client.listChatbots())).message, /\(items should be a list\)/);
    assert.match((await failure(client.createSession('bot'))).message, /\(session_id is missing\)/);
    assert.match((await failure(client.validateFlow('b', 'f'))).message, /\(valid should be true or false\)/);
  });

  it('an empty 2xx body where an answer is expected is a bad-response', async () => {
    server.queue({ status: 200 });
    const error = await failure(client.me());
    expectKind(error, 'bad-response', 200);
    assert.match(error.message, /with an empty body instead of JSON/);
  });
});

describe('SarufiError without an answer', () => {
  let server: FakeServer;

  before(async () => {
    server = await startFakeServer();
  });
  after(() => server.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  it('a refused connection is a network error naming the host', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new SarufiClient({ baseUrl: `http://127.0.0.1:${port}/api/dev/v1`, apiKey: API_KEY });
    const error = await failure(client.me());
    expectKind(error, 'network', undefined);
    assert.equal(
      error.message,
      `Could not reach 127.0.0.1:${port} to check the API key (connection refused). Check the base URL setting and your network connection.`,
    );
    assert.equal(error.exchange?.status, null);
    assert.equal(error.exchange?.error, 'connection refused');
  });

  it('a dropped connection is a network error', async () => {
    server.queue({ destroy: true });
    const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY });
    const error = await failure(client.sendMessage('bot', 'sess', { message: 'hi' }));
    expectKind(error, 'network', undefined);
    assert.match(error.message, /^Could not reach 127\.0\.0\.1:\d+ to send the message \(the connection closed before an answer arrived\)/);
    assert.equal(server.requests.length, 1);
  });

  it('a slow answer is a timeout after timeoutMs', async () => {
    server.queue({ delayMs: 1500, json: session() });
    const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY, timeoutMs: 150 });
    const error = await failure(client.createSession('bot'));
    // The answer would have come (after 1.5 s): a timeout error means the client gave up first.
    expectKind(error, 'timeout', undefined);
    assert.equal(error.message, 'Sarufi did not answer within 150 ms when asked to start a chat session. Check your connection and try again.');
    assert.equal(error.exchange?.status, null);
  });

  it('aborting an in-flight call rejects it as cancelled', async () => {
    server.queue({ delayMs: 1500, json: reply() });
    const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(client.sendMessage('bot', 'sess', { message: 'hi' }, { signal: controller.signal }));
    // The answer would have come (after 1.5 s): cancelled means the abort ended the call first.
    expectKind(error, 'cancelled', undefined);
    assert.match(error.message, /^Cancelled: the request to send the message was stopped before Sarufi answered\./);
  });

  it('an already aborted signal sends nothing', async () => {
    const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY });
    const error = await failure(client.me({ signal: AbortSignal.abort() }));
    expectKind(error, 'cancelled', undefined);
    assert.equal(server.requests.length, 0);
  });
});

describe('requests refused before anything is sent', () => {
  let server: FakeServer;
  let client: SarufiClient;

  before(async () => {
    server = await startFakeServer(() => ({ json: reply() }));
    client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY });
  });
  after(() => server.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  it('an empty or whitespace-only message', async () => {
    for (const message of ['', '   \n\t ']) {
      const error = await failure(client.sendMessage('bot', 'sess', { message }));
      expectKind(error, 'refused', undefined);
      assert.equal(error.message, 'The message is empty, so nothing was sent. Type some text and send again.');
      assert.equal(error.exchange, undefined);
    }
    assert.equal(server.requests.length, 0);
  });

  it('a message of 4,097 characters, saying how many it has', async () => {
    const error = await failure(client.sendMessage('bot', 'sess', { message: 'a'.repeat(4097) }));
    expectKind(error, 'refused', undefined);
    assert.equal(
      error.message,
      'The message has 4,097 characters; Sarufi accepts at most 4,096, so nothing was sent. Shorten it and send again.',
    );
    assert.equal(server.requests.length, 0);
  });

  it('4,096 characters are accepted, counting an emoji as one character', async () => {
    await client.sendMessage('bot', 'sess', { message: 'a'.repeat(4096) });
    await client.sendMessage('bot', 'sess', { message: '😀'.repeat(4096) });
    assert.equal(server.requests.length, 2);
    const error = await failure(client.sendMessage('bot', 'sess', { message: '😀'.repeat(4097) }));
    assert.match(error.message, /has 4,097 characters/);
  });

  it('an empty id, or "." and ".." that would climb the path', async () => {
    for (const call of [client.getChatbot(''), client.getFlow('bot', '  '), client.getConversation('bot', '..'), client.sendMessage('.', 's', { message: 'hi' })]) {
      const error = await failure(call);
      expectKind(error, 'refused', undefined);
      assert.match(error.message, /^Cannot .+: the (chatbot|flow|conversation) id is (empty|"\.\.?", which is not an id)\. Pick one from the list and try again\.$/);
    }
    assert.equal(server.requests.length, 0);
  });

  it('a plain-http base URL on a remote host: the key never travels in clear', async () => {
    const sent: string[] = [];
    const remote = new SarufiClient({
      baseUrl: 'http://developers.sarufi.io/api/dev/v1',
      apiKey: API_KEY,
      fetch: async (input) => {
        sent.push(String(input));
        return new Response('{}');
      },
    });
    const error = await failure(remote.me());
    expectKind(error, 'refused', undefined);
    assert.match(error.message, /^Refusing to send the API key to developers\.sarufi\.io over plain http: the key never travels in clear\. Use an https:\/\/ base URL/);
    assert.deepEqual(sent, []);
  });

  it('http is allowed for loopback hosts, https anywhere; other schemes and junk are refused', () => {
    for (const ok of ['http://localhost:8080/api', 'http://127.0.0.1:1/x', 'http://127.9.8.7', 'http://[::1]:3000/', 'https://developers.sarufi.io/api/dev/v1/']) {
      const checked = checkBaseUrl(ok);
      assert.ok(!(checked instanceof SarufiError), `${ok} should be accepted`);
      assert.ok(!checked.url.endsWith('/'), 'trailing slash stripped');
    }
    for (const bad of ['http://localhost./api', 'http://evil.localhost/api', 'http://10.0.0.1/api', 'http://128.0.0.1', 'ftp://localhost/x', 'not a url', '', 'https://u:p@sarufi.io/api', 'https://sarufi.io/api?x=1']) {
      const checked = checkBaseUrl(bad);
      assert.ok(checked instanceof SarufiError && checked.kind === 'refused', `${bad} should be refused`);
    }
  });

  it('isLoopbackHost() knows exactly localhost, 127.0.0.0/8 and ::1 only, not localhost. or *.localhost', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.255.0.3', '[::1]', '::1', '[::ffff:7f00:1]']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['localhost.', 'evil.localhost', 'app.localhost', '127.0.0.1.', 'localhost.example.com', '128.0.0.1', '10.0.0.1', '[::2]', 'sarufi.io', '1270.0.0.1']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  it('a missing API key is refused with a way to set one', async () => {
    const keyless = new SarufiClient({ baseUrl: server.baseUrl, apiKey: '  ' });
    const error = await failure(keyless.me());
    expectKind(error, 'auth', undefined);
    assert.match(error.message, /No Sarufi API key is set, so nothing was sent\. Set one with "Sarufi: Set API Key"\./);
    assert.equal(server.requests.length, 0);
  });

  it('call() refuses the same way as the named methods', async () => {
    const error = await failure(client.call(endpoints.sendMessage('bot', 'sess', { message: ' ' })));
    expectKind(error, 'refused', undefined);
    assert.equal(server.requests.length, 0);
  });

  it('no promise rejection went unhandled in this file', () => {
    assert.deepEqual(unhandled, []);
  });
});
