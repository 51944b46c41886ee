import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreateSessionResponse, SendMessageResponse } from '../../src/sarufi/types.js';
import { MAX_API_ANSWER_BYTES } from '../../src/flow/boundedFetch.js';
import { createConversation } from '../../src/flow/engine.js';
import type { ConversationOptions, TurnResult } from '../../src/flow/engine.js';
import { chatbotIdOf, closedPort, removeTempDirs, sendJson, startRecordingServer, startTestSandbox } from './sandboxTestKit.js';
import type { RecordingServer } from './sandboxTestKit.js';

const agentFlow = {
  ask: { message: 'Ask me', transitions: { default: 'agent' } },
  agent: {
    actions: [
      {
        type: 'LLM_AGENT',
        name: 'Order Assistant',
        system_prompt: 'You help with orders.',
        tools: [{ name: 'mcp', collection: 'orders_mcp', enabled: true }],
      },
    ],
    transitions: { default: 'agent' },
  },
};

let model: RecordingServer;
/** Another origin, where the model's /moved redirects. */
let elsewhere: RecordingServer;

before(async () => {
  elsewhere = await startRecordingServer((_request, response) => sendJson(response, 200, { choices: [{ message: { role: 'assistant', content: 'From elsewhere' } }] }));
  // A fake OpenAI-compatible server: /v1 answers, /broken fails, /empty has no choices, /moved
  // redirects to another origin, /huge answers more than the bounded fetch keeps.
  model = await startRecordingServer((request, response) => {
    if (request.path.startsWith('/moved')) {
      response.writeHead(307, { Location: `${elsewhere.url}/v1/chat/completions` });
      response.end();
    } else if (request.path.startsWith('/huge')) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(`{"choices": [{"message": {"content": "${'x'.repeat(MAX_API_ANSWER_BYTES)}"}}]}`);
    } else if (request.path.startsWith('/broken')) {
      sendJson(response, 503, { error: 'overloaded' });
    } else if (request.path.startsWith('/empty')) {
      sendJson(response, 200, { choices: [] });
    } else {
      const asked = JSON.parse(request.body) as { messages: { content: string }[] };
      sendJson(response, 200, { choices: [{ message: { role: 'assistant', content: `Model says: ${asked.messages.at(-1)?.content ?? ''}` } }] });
    }
  });
});

after(async () => {
  await model.close();
  await elsewhere.close();
  await removeTempDirs();
});

async function ask(text: string, options: ConversationOptions): Promise<TurnResult> {
  const conversation = createConversation(agentFlow, options);
  await conversation.start();
  return conversation.handle({ message: text });
}

function onlyText(result: TurnResult): string {
  assert.equal(result.messages.length, 1);
  const [message] = result.messages;
  assert.ok(message && message.type === 'text');
  return message.text;
}

describe('engine: LLM_AGENT with a chat-completions endpoint', () => {
  it("POSTs {model, messages: [system_prompt, the user's message]} to <baseUrl>/chat/completions and answers with the model's text", async () => {
    const result = await ask('Where is 1042?', { llm: { baseUrl: `${model.url}/v1/`, model: 'tiny', headers: { Authorization: 'Bearer local' } } });
    assert.equal(onlyText(result), 'Model says: Where is 1042?');
    const request = model.requests.at(-1);
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, 'Bearer local');
    assert.deepEqual(JSON.parse(request.body), {
      model: 'tiny',
      messages: [
        { role: 'system', content: 'You help with orders.' },
        { role: 'user', content: 'Where is 1042?' },
      ],
    });
  });

  it('answers with a labelled text naming the failure when the endpoint fails, is unreachable or has no answer', async () => {
    const port = await closedPort();
    const cases: [string, RegExp][] = [
      [`${model.url}/broken`, /got no answer from .*\/broken: HTTP 503/],
      [`${model.url}/empty`, /no choices\[0\]\.message\.content/],
      [`http://127.0.0.1:${port}`, /got no answer from http:\/\/127\.0\.0\.1/],
    ];
    for (const [baseUrl, why] of cases) {
      const text = onlyText(await ask('Hello?', { llm: { baseUrl, model: 'tiny' } }));
      assert.ok(text.startsWith("[sandbox: LLM_AGENT 'Order Assistant' got no answer from"), text);
      assert.match(text, why);
      assert.match(text, /Your message was: "Hello\?"/);
    }
  });

  it("a redirect to another origin reaches it without llm.headers (the engine's own fetch)", async () => {
    const result = await ask('Hi', { llm: { baseUrl: `${model.url}/moved`, model: 'tiny', headers: { Authorization: 'Bearer local', 'X-Api-Key': 'llm-secret' } } });
    assert.equal(onlyText(result), 'From elsewhere');
    const landed = elsewhere.requests.at(-1);
    assert.equal(landed?.path, '/v1/chat/completions');
    assert.equal(landed?.headers['x-api-key'], undefined);
    assert.equal(landed?.headers.authorization, undefined);
  });

  it(`an answer over ${MAX_API_ANSWER_BYTES} bytes becomes a labelled failure naming the limit`, async () => {
    const result = await ask('Hi', { llm: { baseUrl: `${model.url}/huge`, model: 'tiny' } });
    assert.match(onlyText(result), new RegExp(`^\\[sandbox: LLM_AGENT 'Order Assistant' got no answer from .*larger than ${MAX_API_ANSWER_BYTES} bytes`));
  });

  it('the HTTP sandbox asks the "llm" endpoint named in sarufi.sandbox.json', async () => {
    const t = await startTestSandbox({
      'agent.flow.json': agentFlow,
      'sarufi.sandbox.json': { llm: { baseUrl: `${model.url}/v1`, model: 'tiny' } },
    });
    try {
      const botId = chatbotIdOf(t.sandbox, 'agent.flow.json');
      const session = (await t.api('POST', `/chatbots/${botId}/chat/sessions`)).body as CreateSessionResponse;
      const reply = await t.api('POST', `/chatbots/${botId}/chat/sessions/${session.session_id}/messages`, { body: { message: 'Mambo?' } });
      assert.equal(reply.status, 200);
      assert.deepEqual((reply.body as SendMessageResponse).messages, [{ type: 'text', text: 'Model says: Mambo?' }]);
    } finally {
      await t.close();
    }
  });

  it('a broken "llm" entry in sarufi.sandbox.json is logged, and the agent answers with its stand-in', async () => {
    const t = await startTestSandbox({ 'agent.flow.json': agentFlow, 'sarufi.sandbox.json': { llm: { baseUrl: 'ftp://x' } } });
    try {
      assert.ok(t.logs.some((line) => /sarufi\.sandbox\.json: llm: 'llm' needs "baseUrl"/.test(line)), t.logs.join('\n'));
      const botId = chatbotIdOf(t.sandbox, 'agent.flow.json');
      const session = (await t.api('POST', `/chatbots/${botId}/chat/sessions`)).body as CreateSessionResponse;
      const reply = await t.api('POST', `/chatbots/${botId}/chat/sessions/${session.session_id}/messages`, { body: { message: 'Mambo?' } });
      const [message] = (reply.body as SendMessageResponse).messages;
      assert.match(message && 'text' in message ? message.text : '', /^\[sandbox: LLM_AGENT 'Order Assistant' has no model here\]/);
    } finally {
      await t.close();
    }
  });
});
