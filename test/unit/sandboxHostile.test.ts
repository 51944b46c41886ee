// Requests a hostile page or client could send the sandbox: unreadable targets, foreign Host
// headers (DNS rebinding), bodies nested too deep to echo back.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { CreateSessionResponse } from '../../src/sarufi/types.js';
import { randomSandboxKey, SANDBOX_API_KEY } from '../../src/sandbox/sandboxKeys.js';
import { chatbotIdOf, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';
import type { TestSandbox } from './sandboxTestKit.js';

const echoFlow = { name: 'Echo', states: { listen: { message: 'Say something', transitions: { default: 'listen' } } } };

/** Sends raw bytes and resolves with the status line of the answer (or '' when the socket closes without one). */
function rawStatusLine(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\r\n')) {
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
  });
}

/** GET with a chosen Host header, which fetch does not let a caller set. */
function statusWithHost(t: TestSandbox, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port: t.sandbox.port,
        path: '/api/dev/v1/me',
        headers: { Host: hostHeader, Authorization: `Bearer ${t.sandbox.apiKey}` },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

after(removeTempDirs);

describe('sandbox against hostile requests', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ 'echo.flow.json': echoFlow });
  });
  after(() => t.close());

  it('answers 400 to an unreadable absolute-form target and keeps serving', async () => {
    const status = await rawStatusLine(t.sandbox.port, 'GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.equal(status, 'HTTP/1.1 400 Bad Request');
    assert.equal((await t.api('GET', '/me')).status, 200);
  });

  it('answers 421 to a Host header naming another machine, and serves loopback names with any port', async () => {
    assert.equal(await statusWithHost(t, 'evil.example'), 421);
    assert.equal(await statusWithHost(t, 'evil.localhost:8787'), 421);
    assert.equal(await statusWithHost(t, `127.0.0.1:${t.sandbox.port}`), 200);
    assert.equal(await statusWithHost(t, `localhost:${t.sandbox.port}`), 200);
    assert.equal(await statusWithHost(t, '[::1]:1234'), 200);
  });

  it('answers a plain 422 without echoing a message body nested 300,000 deep', async () => {
    const id = chatbotIdOf(t.sandbox, 'echo.flow.json');
    const created = await t.api('POST', `/chatbots/${id}/chat/sessions`);
    const sessionId = (created.body as CreateSessionResponse).session_id;
    const rawBody = `{"message":${'['.repeat(300_000)}${']'.repeat(300_000)}}`;
    const answer = await t.api('POST', `/chatbots/${id}/chat/sessions/${sessionId}/messages`, { rawBody });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body, {
      detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON nested deeper than 64 levels', input: {}, ctx: { max_depth: 64 } }],
    });
    assert.ok(answer.text.length < 200, 'the input is not echoed');
  });
});

describe('sandbox keys', () => {
  it('a random key is new on every call and is not the public default', () => {
    const first = randomSandboxKey();
    assert.notEqual(first, randomSandboxKey());
    assert.notEqual(first, SANDBOX_API_KEY);
    assert.match(first, /^sk-sandbox-[0-9a-f]{32}$/);
  });
});
