import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MAX_FLOW_FILE_BYTES } from '../../src/sandbox/catalog.js';
import { scanFlowFolders } from '../../src/sandbox/flowFiles.js';
import { MAX_JSON_DEPTH } from '../../src/flow/jsonDepth.js';
import { MAX_BODY_BYTES } from '../../src/sandbox/httpKit.js';
import { MAX_HEADER_BYTES } from '../../src/sandbox/serverLimits.js';
import { chatbotIdOf, makeFlowDir, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';

after(removeTempDirs);

const echoFlow = { states: { listen: { message: 'Say something', transitions: { default: 'listen' } } } };

/** Opens a raw TCP connection to the sandbox, for clients that misbehave on purpose. */
function rawSocket(baseUrl: string): Promise<Socket> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server wrote, once it closed the connection; null if it still holds it after `withinMs`. */
function untilClosed(socket: Socket, withinMs = 3000): Promise<string | null> {
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, withinMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

describe('sandbox limits at the HTTP edge', () => {
  it(`a body over ${MAX_BODY_BYTES} bytes is refused with 413 and the limit in the detail`, async () => {
    const t = await startTestSandbox({ 'echo.flow.json': echoFlow });
    try {
      const chatbotId = chatbotIdOf(t.sandbox, 'echo.flow.json');
      const response = await t.api('POST', `/chatbots/${chatbotId}/chat/sessions/x/messages`, { rawBody: `{"message": "${'a'.repeat(MAX_BODY_BYTES)}"}` });
      assert.equal(response.status, 413);
      assert.equal((response.body as { detail: string }).detail, `Request body too large: the sandbox accepts at most ${MAX_BODY_BYTES} bytes.`);
    } finally {
      await t.close();
    }
  });

  it(`a request head over ${MAX_HEADER_BYTES} bytes is answered 431`, async () => {
    const t = await startTestSandbox({ 'echo.flow.json': echoFlow });
    try {
      const response = await fetch(`${t.sandbox.baseUrl}/me`, { headers: { 'X-Padding': 'p'.repeat(MAX_HEADER_BYTES) } });
      assert.equal(response.status, 431);
    } finally {
      await t.close();
    }
  });

  it(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is a 422 that says so; ${MAX_JSON_DEPTH} levels are read`, async () => {
    const t = await startTestSandbox({ 'echo.flow.json': echoFlow });
    try {
      const chatbotId = chatbotIdOf(t.sandbox, 'echo.flow.json');
      const created = await t.api('POST', `/chatbots/${chatbotId}/chat/sessions`, { body: {} });
      const path = `/chatbots/${chatbotId}/chat/sessions/${(created.body as { session_id: string }).session_id}/messages`;
      const nested = (levels: number) => `{"message": "hi", "extra": ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
      const deep = await t.api('POST', path, { rawBody: nested(MAX_JSON_DEPTH + 1) });
      assert.equal(deep.status, 422);
      assert.equal((deep.body as { detail: { msg: string }[] }).detail[0]?.msg, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
      assert.equal((await t.api('POST', path, { rawBody: nested(MAX_JSON_DEPTH) })).status, 200);
    } finally {
      await t.close();
    }
  });

  it('a client that sends half a request head gets 408 and is disconnected once headersTimeout passes', async () => {
    const t = await startTestSandbox({ 'echo.flow.json': echoFlow }, { timeouts: { headersTimeoutMs: 200, requestTimeoutMs: 400 } });
    try {
      const socket = await rawSocket(t.sandbox.baseUrl);
      const closed = untilClosed(socket);
      socket.write('GET /api/dev/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      assert.match((await closed) ?? 'still connected after 3 s', /^HTTP\/1\.1 408 /);
    } finally {
      await t.close();
    }
  });

  it('a kept-alive connection left idle is closed once keepAliveTimeout passes', async () => {
    const t = await startTestSandbox({ 'echo.flow.json': echoFlow }, { timeouts: { keepAliveTimeoutMs: 150 } });
    try {
      const socket = await rawSocket(t.sandbox.baseUrl);
      const closed = untilClosed(socket);
      socket.write('GET /api/dev/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk-sandbox-local\r\n\r\n');
      const text = await closed;
      assert.notEqual(text, null, 'the server still held the idle connection after 3 s');
      assert.match(text ?? '', /^HTTP\/1\.1 200 /);
    } finally {
      await t.close();
    }
  });

  it('past the bound of live sessions, opening one more closes the one idle the longest, which then answers 410', async () => {
    const t = await startTestSandbox({ 'echo.flow.json': echoFlow }, { maxLiveSessions: 2 });
    try {
      const chatbotId = chatbotIdOf(t.sandbox, 'echo.flow.json');
      const open = async () => ((await t.api('POST', `/chatbots/${chatbotId}/chat/sessions`, { body: {} })).body as { session_id: string }).session_id;
      const say = (sessionId: string) => t.api('POST', `/chatbots/${chatbotId}/chat/sessions/${sessionId}/messages`, { body: { message: 'hi' } });
      const first = await open();
      const second = await open();
      assert.equal((await say(first)).status, 200, 'the first is now the more recently active');
      await open();
      const evicted = await say(second);
      assert.equal(evicted.status, 410);
      assert.match((evicted.body as { detail: string }).detail, /closed to make room: the sandbox keeps at most 500 live sessions/);
      assert.equal((await say(first)).status, 200);
    } finally {
      await t.close();
    }
  });
});

describe('sandbox limits on flow folders', () => {
  it(`a flow file over ${MAX_FLOW_FILE_BYTES} bytes is not read, and its chatbot says why`, async () => {
    const big = { ...echoFlow, padding: 'x'.repeat(MAX_FLOW_FILE_BYTES) };
    const t = await startTestSandbox({ 'big.flow.json': big });
    try {
      const chatbot = t.sandbox.chatbots().find((candidate) => candidate.file?.endsWith('big.flow.json'));
      assert.match(chatbot?.problem ?? '', new RegExp(`big\\.flow\\.json is \\d+ bytes, larger than the ${MAX_FLOW_FILE_BYTES} bytes`));
    } finally {
      await t.close();
    }
  });

  it('symbolic links are followed, and a link back up the tree ends the walk instead of looping', async () => {
    const dir = await makeFlowDir({ 'flows/a.flow.json': echoFlow });
    await mkdir(join(dir, 'flows', 'deeper'));
    await symlink(dir, join(dir, 'flows', 'deeper', 'back-to-top'));
    await symlink(join(dir, 'flows'), join(dir, 'loop'));
    await writeFile(join(dir, 'outside.flow.json'), JSON.stringify(echoFlow));
    await symlink(join(dir, 'outside.flow.json'), join(dir, 'flows', 'linked.flow.json'));
    const scan = await scanFlowFolders([join(dir, 'flows')]);
    assert.deepEqual(scan.flowFiles.map((ref) => ref.rel), ['a.flow.json', 'deeper/back-to-top/outside.flow.json', 'linked.flow.json']);
  });
});

