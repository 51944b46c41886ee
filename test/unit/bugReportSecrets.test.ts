// The secrets a sandbox chat's traces may carry never reach an exported bug report: a chat through
// a flow that puts a token in a URL path (percent-encoded), jwt and signature headers, calls a
// backend whose answer is form-encoded (`access_token=…`) and one whose URL carries credentials.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Transcript, TurnEntry } from '../../src/chat/transcript.js';
import { buildBugReport } from '../../src/conversationTests/bugReport.js';
import { SarufiClient } from '../../src/sarufi/client.js';
import { endpoints } from '../../src/sarufi/endpoints.js';
import type { SandboxSessionRequest } from '../../src/sarufi/sandboxExtensions.js';
import { closedPort, removeTempDirs, startRecordingServer, startTestSandbox } from './sandboxTestKit.js';
import type { RecordingServer, TestSandbox } from './sandboxTestKit.js';

const SECRETS = ['ab/cd+ef==SECRETTOK', 'eyJhbGciOiJIUzI1NiJ9.jwtbody', 'sha256=feedbeef0123', 'gho_16C7e42F292c6912E7710c838347Ae178B4a', 'Sup3rS3cretPw'];

let backend: RecordingServer;
let t: TestSandbox;

before(async () => {
  backend = await startRecordingServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
    response.end(`access_token=${SECRETS[3]}&scope=repo&token_type=bearer`);
  });
  const dead = await closedPort();
  t = await startTestSandbox({
    'bot.flow.json': {
      name: 'Leaky bot',
      states: {
        start: {
          message: 'Done.',
          actions: [
            {
              type: 'API_CALL',
              url: `${backend.url}/files/{{variables.api_token}}/orders`,
              headers: { 'X-JWT': '{{variables.jwt}}', 'X-Signature': '{{variables.signature}}' },
              save_to: 'login',
            },
            { type: 'API_CALL', url: `http://admin:${SECRETS[4]}@127.0.0.1:${dead}/orders`, save_to: 'orders' },
          ],
        },
      },
    },
  });
});

after(async () => {
  await t.close();
  await backend.close();
  await removeTempDirs();
});

async function recordChat(): Promise<Transcript> {
  const bot = t.sandbox.chatbots()[0];
  assert.ok(bot);
  const client = new SarufiClient({ baseUrl: t.sandbox.baseUrl, apiKey: t.sandbox.apiKey });
  const request: SandboxSessionRequest = { start: { kind: 'state', state: 'start', variables: { api_token: SECRETS[0] ?? '', jwt: SECRETS[1] ?? '', signature: SECRETS[2] ?? '' } } };
  const created = await client.call(endpoints.createSession(bot.id, request));
  const entry: TurnEntry = {
    kind: 'turn', id: 'g', sessionId: created.data.session_id, messages: created.data.messages, currentState: null,
    messagesCount: null, at: '2026-12-01T10:00:00.000Z', durationMs: 1, status: 201, exchange: created.exchange,
  };
  return {
    version: 1,
    session: { chatbotId: bot.id, chatbotName: 'Leaky bot', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: t.sandbox.baseUrl, sessionId: entry.sessionId, createdAt: null, messagesCount: null, expiresAt: null, trail: [], status: 'open' },
    entries: [entry],
  };
}

describe('bug report secrets', () => {
  it('carries none of the secrets the sandbox answered with (a token percent-encoded in a path, jwt and signature headers, a form-encoded answer, URL credentials), while the calls stay readable', async () => {
    const transcript = await recordChat();
    const responseText = (transcript.entries[0] as TurnEntry).exchange.responseText;
    assert.match(responseText, /"type":"api_call"/, 'the greeting carries the trace of both calls');
    assert.equal(backend.requests.at(-1)?.path, `/files/${encodeURIComponent(SECRETS[0] ?? '')}/orders`, 'the token went out percent-encoded in the path');
    const report = await buildBugReport({ transcript, flow: null, mocks: null, secrets: [t.sandbox.apiKey] });
    // The session request the author sent (its start variables, and its curl) is theirs to replay; everything the sandbox answered is checked.
    const parsed = JSON.parse(report) as { requests: unknown; transcript: { entries: { exchange: { requestBody?: unknown } }[] } };
    const answered = JSON.stringify({ ...parsed, requests: [], transcript: { ...parsed.transcript, entries: parsed.transcript.entries.map((item) => ({ ...item, exchange: { ...item.exchange, requestBody: null } })) } });
    for (const secret of SECRETS) {
      for (const spelled of [secret, encodeURIComponent(secret), JSON.stringify(encodeURIComponent(secret)).slice(1, -1)]) {
        assert.ok(!answered.includes(spelled), `${spelled} is in the report`);
      }
    }
    assert.ok(!answered.includes('admin:'), 'the URL credentials are masked whole');
    assert.match(answered, /scope=repo/, 'the rest of the answer stays readable');
    assert.match(answered, /127\.0\.0\.1:\d+\/orders/, 'the failing call still names where it went');
  });
});
