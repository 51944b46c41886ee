import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Conversation, CreateSessionResponse, ErrorBody, SendMessageResponse } from '../../src/sarufi/types.js';
import { SESSION_IDLE_MS } from '../../src/sarufi/endpoints.js';
import { apiFor, chatbotIdOf, fakeClock, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';
import type { ApiResponse, TestSandbox } from './sandboxTestKit.js';

const echoFlow = {
  name: 'Echo',
  states: {
    listen: { message: 'Say something', save_input_as: 'said', transitions: { keywords: { bye: 'bye' }, default: 'echo' } },
    echo: { message: 'You said: {{variables.said}}', transitions: { always: 'listen' } },
    bye: { message: 'Bye' },
  },
};

function detailOf(response: ApiResponse): ErrorBody['detail'] {
  return (response.body as ErrorBody).detail;
}

after(removeTempDirs);

describe('sandbox errors', () => {
  const clock = fakeClock();
  let t: TestSandbox;
  let botId: string;

  before(async () => {
    t = await startTestSandbox(
      {
        'echo.flow.json': echoFlow,
        'broken.flow.json': { a: { transitions: { default: 'missing' } } },
        'notjson.flow.json': '{ "a": ',
        'oneshot.flow.json': { only: { message: 'This bot only says hello.' } },
      },
      { clock: clock.now },
    );
    botId = chatbotIdOf(t.sandbox, 'echo.flow.json');
  });
  after(() => t.close());

  async function session(): Promise<string> {
    const response = await t.api('POST', `/chatbots/${botId}/chat/sessions`);
    assert.equal(response.status, 201);
    return (response.body as CreateSessionResponse).session_id;
  }

  const say = (sessionId: string, body: unknown) => t.api('POST', `/chatbots/${botId}/chat/sessions/${sessionId}/messages`, { body });

  it('401 for a missing, wrong or malformed key, on every endpoint', async () => {
    for (const key of [null, 'sk-wrong', '']) {
      for (const [method, path] of [
        ['GET', '/me'],
        ['GET', '/chatbots'],
        ['POST', `/chatbots/${botId}/chat/sessions`],
      ] as const) {
        const response = await t.api(method, path, { key });
        assert.equal(response.status, 401, `${method} ${path} with ${String(key)}`);
        assert.deepEqual(response.body, { detail: 'Invalid or expired API key.' });
      }
    }
    const basic = await fetch(`${t.sandbox.baseUrl}/me`, { headers: { Authorization: `Basic ${t.sandbox.apiKey}` } });
    assert.equal(basic.status, 401);
  });

  it('404 for an unknown chatbot, session, flow, conversation or route', async () => {
    const ghost = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
    const sessionId = await session();
    for (const path of [
      `/chatbots/${ghost}`,
      `/chatbots/${ghost}/stats`,
      `/chatbots/${ghost}/chat/sessions`,
      `/chatbots/${botId}/flows/${ghost}`,
      `/chatbots/${botId}/conversations/${ghost}`,
      `/chatbots/${botId}/conversations/${ghost}/messages`,
      '/nope',
      '/chatbots/a/b/c/d/e/f',
    ]) {
      const method = path.endsWith('/chat/sessions') ? 'POST' : 'GET';
      const response = await t.api(method, path);
      assert.equal(response.status, 404, path);
      assert.equal(typeof detailOf(response), 'string');
    }
    const unknownSession = await say(ghost, { message: 'hi' });
    assert.equal(unknownSession.status, 404);
    assert.deepEqual(unknownSession.body, { detail: 'Session not found.' });
    const wrongBot = await t.api('POST', `/chatbots/${ghost}/chat/sessions/${sessionId}/messages`, { body: { message: 'hi' } });
    assert.deepEqual(wrongBot.body, { detail: 'Chatbot not found.' });
    const outside = await fetch(t.sandbox.baseUrl.replace('/api/dev/v1', '/api/v2/chatbots'));
    assert.equal(outside.status, 404);
  });

  it('405 with Allow for a wrong method on a known path', async () => {
    const response = await t.api('DELETE', '/me');
    assert.equal(response.status, 405);
    assert.deepEqual(response.body, { detail: 'Method Not Allowed' });
    assert.equal(response.headers.get('allow'), 'GET');
    assert.equal((await t.api('PUT', `/chatbots/${botId}`)).headers.get('allow'), 'GET, PATCH, DELETE');
    assert.equal((await t.api('GET', `/chatbots/${botId}/chat/sessions`)).status, 405);
  });

  it('400 on session create when the chatbot has no published flow, saying why', async () => {
    const created = await t.api('POST', '/chatbots', { body: { name: 'Empty' } });
    const emptyId = (created.body as { id: string }).id;
    const empty = await t.api('POST', `/chatbots/${emptyId}/chat/sessions`);
    assert.equal(empty.status, 400);
    assert.equal(detailOf(empty), 'This chatbot has no published flow.');

    const broken = await t.api('POST', `/chatbots/${chatbotIdOf(t.sandbox, 'broken.flow.json')}/chat/sessions`);
    assert.equal(broken.status, 400);
    assert.match(String(detailOf(broken)), /no published flow\. broken\.flow\.json has errors: states\.a\.transitions\.default: Unknown state 'missing'/);

    const notJson = await t.api('POST', `/chatbots/${chatbotIdOf(t.sandbox, 'notjson.flow.json')}/chat/sessions`);
    assert.equal(notJson.status, 400);
    assert.match(String(detailOf(notJson)), /notjson\.flow\.json is not valid JSON/);
  });

  it('no 410 after a state with no way out: the session stays ACTIVE and the state answers again', async () => {
    const sessionId = await session();
    const last = await say(sessionId, { message: 'bye' });
    assert.equal(last.status, 200);
    const again = await say(sessionId, { message: 'hello?' });
    assert.equal(again.status, 200);
    assert.deepEqual((again.body as SendMessageResponse).messages, [{ type: 'text', text: 'Bye' }]);
    assert.equal((again.body as SendMessageResponse).current_state, 'bye');
    const conversation = (await t.api('GET', `/chatbots/${botId}/conversations/${sessionId}`)).body as Conversation;
    assert.equal(conversation.status, 'ACTIVE');
  });

  it('no 410 when the initial state has no way out: every message gets its greeting again', async () => {
    const id = chatbotIdOf(t.sandbox, 'oneshot.flow.json');
    const created = await t.api('POST', `/chatbots/${id}/chat/sessions`);
    assert.equal(created.status, 201);
    const sessionId = (created.body as CreateSessionResponse).session_id;
    const reply = await t.api('POST', `/chatbots/${id}/chat/sessions/${sessionId}/messages`, { body: { message: 'hi' } });
    assert.equal(reply.status, 200);
    assert.deepEqual((reply.body as SendMessageResponse).messages, [{ type: 'text', text: 'This bot only says hello.' }]);
  });

  it('410 after 30 minutes without a message (injected clock); each message restarts the 30 minutes', async () => {
    const sessionId = await session();
    clock.advance(SESSION_IDLE_MS - 1000);
    assert.equal((await say(sessionId, { message: 'still here' })).status, 200);
    clock.advance(SESSION_IDLE_MS - 1000);
    assert.equal((await say(sessionId, { message: 'still here' })).status, 200);
    clock.advance(SESSION_IDLE_MS);
    const expired = await say(sessionId, { message: 'hello?' });
    assert.equal(expired.status, 410);
    assert.match(String(detailOf(expired)), /expired after 30 minutes without a message/);
    const conversation = (await t.api('GET', `/chatbots/${botId}/conversations/${sessionId}`)).body as Conversation;
    assert.equal(conversation.status, 'CLOSED');
    const transcript = await t.api('GET', `/chatbots/${botId}/conversations/${sessionId}/messages`);
    assert.equal(transcript.status, 200, 'the transcript stays readable');
  });

  it('422 with FastAPI-style details for a bad message body', async () => {
    const sessionId = await session();
    const cases: [unknown, string, string][] = [
      [{}, 'body.message', 'missing'],
      [{ message: 42 }, 'body.message', 'string_type'],
      [{ message: 'x'.repeat(4097) }, 'body.message', 'string_too_long'],
      [{ message: 'x', message_type: 'voice' }, 'body.message_type', 'enum'],
      [{ message: 'x', button_id: 7 }, 'body.button_id', 'string_type'],
      [['x'], 'body', 'model_attributes_type'],
    ];
    for (const [body, loc, type] of cases) {
      const response = await say(sessionId, body);
      assert.equal(response.status, 422, JSON.stringify(body).slice(0, 40));
      const detail = detailOf(response);
      assert.ok(Array.isArray(detail));
      assert.equal(detail[0]?.loc.join('.'), loc);
      assert.equal(detail[0]?.type, type);
    }
    assert.equal((await say(sessionId, { message: '🍕'.repeat(4096) })).status, 200, '4096 characters is allowed');
  });

  it('422 for a body that is not JSON, or missing', async () => {
    const sessionId = await session();
    const path = `/chatbots/${botId}/chat/sessions/${sessionId}/messages`;
    const notJson = await t.api('POST', path, { rawBody: '{"message": "hi"' });
    assert.equal(notJson.status, 422);
    assert.equal((detailOf(notJson) as { type: string }[])[0]?.type, 'json_invalid');
    const empty = await t.api('POST', path, { rawBody: '' });
    assert.equal(empty.status, 422);
    assert.equal((detailOf(empty) as { type: string }[])[0]?.type, 'missing');
  });
});

describe('sandbox rate limits', () => {
  const clock = fakeClock();
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ 'echo.flow.json': echoFlow }, { clock: clock.now, rateLimits: true });
  });
  after(() => t.close());

  it('reads: 1 per second, then 429 with Retry-After and a detail', async () => {
    assert.equal((await t.api('GET', '/me')).status, 200);
    const limited = await t.api('GET', '/chatbots');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.match(String(detailOf(limited)), /Rate limit exceeded: .*reads to 1 request per second/);
    clock.advance(1000);
    assert.equal((await t.api('GET', '/chatbots')).status, 200);
  });

  it('writes: 1 per 2 seconds, counted apart from reads', async () => {
    clock.advance(5000);
    const id = chatbotIdOf(t.sandbox, 'echo.flow.json');
    assert.equal((await t.api('POST', `/chatbots/${id}/chat/sessions`)).status, 201);
    assert.equal((await t.api('GET', '/me')).status, 200, 'a read is still allowed');
    const limited = await t.api('POST', `/chatbots/${id}/chat/sessions`);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    clock.advance(1500);
    assert.equal((await t.api('POST', `/chatbots/${id}/chat/sessions`)).headers.get('retry-after'), '1');
    clock.advance(500);
    assert.equal((await t.api('POST', `/chatbots/${id}/chat/sessions`)).status, 201);
  });

  it('is off unless asked for', async () => {
    const free = await startTestSandbox({ 'echo.flow.json': echoFlow });
    try {
      const statuses = await Promise.all([1, 2, 3].map(() => free.api('GET', '/me').then((response) => response.status)));
      assert.deepEqual(statuses, [200, 200, 200]);
    } finally {
      await free.close();
    }
  });
});

describe('sandbox faults', () => {
  async function withFaults(kinds: ('500' | 'malformed' | 'drop')[], check: (t: TestSandbox) => Promise<void>): Promise<void> {
    const t = await startTestSandbox({ 'echo.flow.json': echoFlow }, { faults: { rate: 1, kinds, seed: 7 } });
    try {
      await check(t);
    } finally {
      await t.close();
    }
  }

  it('500: a server error with a detail', async () => {
    await withFaults(['500'], async (t) => {
      const response = await t.api('GET', '/me');
      assert.equal(response.status, 500);
      assert.match(String(detailOf(response)), /\[Sandbox fault\]/);
    });
  });

  it('malformed: truncated JSON or an HTML page, never a readable body', async () => {
    await withFaults(['malformed'], async (t) => {
      const styles = new Set<string>();
      for (let index = 0; index < 8; index += 1) {
        const response = await t.api('GET', '/chatbots');
        assert.equal(response.body, undefined, 'not parseable as JSON');
        styles.add(response.headers.get('content-type') ?? '');
        if (response.status === 200) {
          assert.equal(response.headers.get('content-type'), 'application/json');
        } else {
          assert.equal(response.status, 502);
          assert.match(response.text, /<html>/);
        }
      }
      assert.equal(styles.size, 2, 'both kinds of malformed body happen');
    });
  });

  it('drop: the connection closes without an answer', async () => {
    await withFaults(['drop'], async (t) => {
      await assert.rejects(fetch(`${t.sandbox.baseUrl}/me`, { headers: { Authorization: `Bearer ${t.sandbox.apiKey}` } }), TypeError);
    });
  });

  it('only hits authenticated requests, and never at rate 0', async () => {
    await withFaults(['500'], async (t) => {
      assert.equal((await t.api('GET', '/me', { key: null })).status, 401);
    });
    const calm = await startTestSandbox({ 'echo.flow.json': echoFlow }, { faults: { rate: 0, kinds: ['500'] } });
    try {
      assert.equal((await calm.api('GET', '/me')).status, 200);
    } finally {
      await calm.close();
    }
  });
});

describe('sandbox secrets and latency', () => {
  it('never puts the API key in a response body or a log line, even when a user types it', async () => {
    const key = 'sk-live-0123456789abcdef';
    const t = await startTestSandbox({ 'echo.flow.json': echoFlow }, { apiKey: key });
    try {
      const api = apiFor(t.sandbox.baseUrl, key);
      const id = chatbotIdOf(t.sandbox, 'echo.flow.json');
      const texts: string[] = [];
      const record = async (response: Promise<ApiResponse>) => {
        const resolved = await response;
        texts.push(resolved.text);
        return resolved;
      };
      await record(api('GET', '/me'));
      await record(api('GET', '/chatbots'));
      const created = await record(api('POST', `/chatbots/${id}/chat/sessions`));
      const sessionId = (created.body as CreateSessionResponse).session_id;
      const echoed = await record(api('POST', `/chatbots/${id}/chat/sessions/${sessionId}/messages`, { body: { message: `my key is ${key}` } }));
      assert.equal(echoed.status, 200);
      await record(api('GET', `/chatbots/${id}/conversations/${sessionId}/messages`));
      await record(api('GET', `/me?key=${key}`));
      await record(api('GET', '/me', { key: `${key}x` }));
      assert.ok(texts.every((text) => !text.includes(key)), 'no body holds the key');
      assert.match(texts[3] ?? '', /my key is sk-…cdef/);
      assert.ok(t.logs.length >= texts.length);
      assert.ok(t.logs.every((line) => !line.includes(key)), 'no log line holds the key');
    } finally {
      await t.close();
    }
  });

  it('adds latencyMs before answering', async () => {
    const t = await startTestSandbox({ 'echo.flow.json': echoFlow }, { latencyMs: 120 });
    try {
      const started = performance.now();
      assert.equal((await t.api('GET', '/me')).status, 200);
      assert.ok(performance.now() - started >= 115);
    } finally {
      await t.close();
    }
  });
});
