// Every endpoint sends the documented method, path, query and body, and reads the documented answer.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SarufiClient } from '../../src/sarufi/client.js';
import { endpoints } from '../../src/sarufi/endpoints.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import { startFakeServer } from './clientFakeServer.js';
import type { FakeServer } from './clientFakeServer.js';
import {
  API_KEY,
  chatbot,
  conversation,
  conversationMessage,
  flow,
  flowSummary,
  me,
  reply,
  session,
} from './clientFixtures.js';

describe('SarufiClient endpoints', () => {
  let server: FakeServer;
  let client: SarufiClient;
  let exchanges: Exchange[];

  before(async () => {
    server = await startFakeServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    exchanges = [];
    // The trailing slash must not produce "//me".
    client = new SarufiClient({ baseUrl: `${server.baseUrl}/`, apiKey: API_KEY, onExchange: (e) => exchanges.push(e) });
  });

  function last(): FakeServer['requests'][number] {
    const request = server.requests.at(-1);
    assert.ok(request, 'no request reached the server');
    return request;
  }

  it('me() sends GET /me with the bearer key and JSON accept header', async () => {
    server.queue({ json: me });
    const data = await client.me();
    assert.equal(data.workspace.name, 'Acme');
    const request = last();
    assert.equal(request.method, 'GET');
    assert.equal(request.path, '/me');
    assert.equal(request.headers.authorization, `Bearer ${API_KEY}`);
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.headers['content-type'], undefined, 'no content-type without a body');
    assert.equal(request.bodyText, '');
  });

  it('listChatbots() passes limit and cursor as query and leaves out what is not given', async () => {
    server.queue({ json: { items: [chatbot], next_cursor: 'c2', total: 3 } }, { json: { items: [], next_cursor: null, total: 3 } });
    const page = await client.listChatbots({ limit: 2, cursor: 'c1' });
    assert.equal(last().path, '/chatbots');
    assert.deepEqual(last().query, { limit: '2', cursor: 'c1' });
    assert.equal(page.next_cursor, 'c2');
    assert.equal(page.items[0].name, 'Order bot');
    await client.listChatbots();
    assert.deepEqual(last().query, {});
  });

  it('allChatbots() follows next_cursor until it is null', async () => {
    server.queue(
      { json: { items: [{ ...chatbot, id: 'a' }, { ...chatbot, id: 'b' }], next_cursor: 'p2', total: 3 } },
      { json: { items: [{ ...chatbot, id: 'c' }], next_cursor: null, total: 3 } },
    );
    const ids: string[] = [];
    for await (const bot of client.allChatbots({ limit: 2 })) {
      ids.push(bot.id);
    }
    assert.deepEqual(ids, ['a', 'b', 'c']);
    assert.deepEqual(
      server.requests.map((r) => r.query),
      [{ limit: '2' }, { limit: '2', cursor: 'p2' }],
    );
  });

  it('allChatbots() stops with a bad-response error when the server repeats a cursor', async () => {
    server.handler = () => ({ json: { items: [chatbot], next_cursor: 'same', total: 99 } });
    try {
      await assert.rejects(
        async () => {
          for await (const bot of client.allChatbots()) {
            assert.equal(bot.id, chatbot.id);
          }
        },
        { name: 'SarufiError', kind: 'bad-response' },
      );
      assert.equal(server.requests.length, 2);
    } finally {
      server.handler = () => ({ json: {} });
    }
  });

  it('getChatbot() and getChatbotStats() hit the chatbot and its stats', async () => {
    server.queue({ json: chatbot }, { json: { ...chatbot, stats: { total_conversations: 4, total_messages: 9, active_users_7d: 2 } } });
    assert.equal((await client.getChatbot(chatbot.id)).id, chatbot.id);
    assert.equal(last().path, `/chatbots/${chatbot.id}`);
    const stats = await client.getChatbotStats(chatbot.id);
    assert.equal(stats.stats.total_messages, 9);
    assert.equal(last().path, `/chatbots/${chatbot.id}/stats`);
  });

  it('createSession() POSTs with no body and normalises the greeting', async () => {
    server.queue({ status: 201, json: session() });
    const created = await client.createSession('bot1');
    const request = last();
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/chatbots/bot1/chat/sessions');
    assert.equal(request.bodyText, '');
    assert.equal(request.headers['content-type'], undefined);
    assert.equal(created.session_id, '01JSESSION0000000000000000');
    assert.deepEqual(created.messages, [{ type: 'text', text: 'Hello' }]);
  });

  it('sendMessage() sends a text message with message_type text', async () => {
    server.queue({ json: reply() });
    const answer = await client.sendMessage('bot1', 'sess1', { message: 'order 42' });
    const request = last();
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/chatbots/bot1/chat/sessions/sess1/messages');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, { message: 'order 42', message_type: 'text' });
    assert.equal(answer.current_state, 'fetch_order');
    assert.equal(answer.messages_count, 1);
  });

  it('sendMessage() with a button_id sends message_type button, whatever type was asked', async () => {
    server.queue({ json: reply() });
    await client.sendMessage('bot1', 'sess1', { message: 'Track', button_id: 'b1', message_type: 'text' });
    assert.deepEqual(last().body, { message: 'Track', message_type: 'button', button_id: 'b1' });
  });

  it('call() returns the data together with the exchange of that very call', async () => {
    server.queue({ json: reply(), headers: { 'x-request-id': 'r-1' } });
    const { data, exchange } = await client.call(endpoints.sendMessage('bot1', 'sess1', { message: 'hi' }));
    assert.equal(data.session_id, '01JSESSION0000000000000000');
    assert.equal(exchange.method, 'POST');
    assert.equal(exchange.url, `${server.baseUrl}/chatbots/bot1/chat/sessions/sess1/messages`);
    assert.equal(exchange.status, 200);
    assert.equal(exchange.requestHeaders.authorization, 'Bearer •••');
    assert.equal(exchange.requestHeaders['content-type'], 'application/json');
    assert.deepEqual(exchange.requestBody, { message: 'hi', message_type: 'text' });
    assert.equal(exchange.responseHeaders['x-request-id'], 'r-1');
    assert.equal(exchange.responseText, JSON.stringify(reply()));
    assert.deepEqual(exchange.responseJson, reply());
    assert.ok(!Number.isNaN(Date.parse(exchange.startedAt)), 'startedAt is a date');
    assert.match(exchange.startedAt, /^\d{4}-\d{2}-\d{2}T.*Z$/);
    assert.ok(exchange.durationMs >= 0);
    assert.equal(exchange.attempt, 1);
    assert.deepEqual(exchanges, [exchange], 'onExchange saw the same record');
  });

  it('the data can be changed without changing the exchange record', async () => {
    server.queue({ json: reply() });
    const { data, exchange } = await client.call(endpoints.sendMessage('bot1', 'sess1', { message: 'hi' }));
    data.session_id = 'changed';
    assert.equal((exchange.responseJson as { session_id: string }).session_id, '01JSESSION0000000000000000');
  });

  it('flows: list, get, create, update (PATCH), validate, publish, delete', async () => {
    server.queue(
      { json: { items: [flowSummary], total: 1 } },
      { json: flow },
      { status: 201, json: flow },
      { json: { ...flow, name: 'Renamed' } },
      { json: { valid: false, errors: [{ path: 'states.a', message: 'Unknown state' }], warnings: [] } },
      { json: { id: flow.id, status: 'published', published_at: '2026-05-01T11:00:00Z' } },
      { status: 204 },
    );
    const list = await client.listFlows('bot1');
    assert.equal(list.total, 1);
    const got = await client.getFlow('bot1', 'f1');
    assert.deepEqual(got.flow, flow.flow);
    await client.createFlow('bot1', { name: 'Main', type: 'conversation', flow: flow.flow });
    const updated = await client.updateFlow('bot1', 'f1', { name: 'Renamed' });
    assert.equal(updated.name, 'Renamed');
    const validation = await client.validateFlow('bot1', 'f1');
    assert.deepEqual(validation.errors, [{ path: 'states.a', message: 'Unknown state' }]);
    const published = await client.publishFlow('bot1', 'f1');
    assert.equal(published.status, 'published');
    assert.equal(await client.deleteFlow('bot1', 'f1'), undefined);

    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      [
        'GET /chatbots/bot1/flows',
        'GET /chatbots/bot1/flows/f1',
        'POST /chatbots/bot1/flows',
        'PATCH /chatbots/bot1/flows/f1',
        'POST /chatbots/bot1/flows/f1/validate',
        'POST /chatbots/bot1/flows/f1/publish',
        'DELETE /chatbots/bot1/flows/f1',
      ],
    );
    assert.deepEqual(server.requests[2].body, { name: 'Main', type: 'conversation', flow: flow.flow });
    assert.deepEqual(server.requests[3].body, { name: 'Renamed' });
    assert.equal(server.requests[4].bodyText, '', 'validate sends no body');
  });

  it('listConversations() sends every filter as query', async () => {
    server.queue({ json: { count: 1, conversations: [conversation], next_cursor: null } });
    const list = await client.listConversations('bot1', {
      status: 'ACTIVE',
      channel: 'api',
      start_time: '2026-05-01T00:00:00Z',
      end_time: '2026-05-02T00:00:00Z',
      limit: 10,
      cursor: 'abc',
    });
    assert.equal(last().path, '/chatbots/bot1/conversations');
    assert.deepEqual(last().query, {
      status: 'ACTIVE',
      channel: 'api',
      start_time: '2026-05-01T00:00:00Z',
      end_time: '2026-05-02T00:00:00Z',
      limit: '10',
      cursor: 'abc',
    });
    assert.equal(list.conversations[0].id, conversation.id);
  });

  it('listConversations() reads the older items/total shape as count/conversations', async () => {
    server.queue({ json: { items: [{ ...conversation, current_state: 'greet', session_data: { a: 1 } }], total: 7 } });
    const list = await client.listConversations('bot1');
    assert.equal(list.count, 7);
    assert.equal(list.next_cursor, null);
    assert.equal(list.conversations.length, 1);
    assert.equal(list.conversations[0].current_state, 'greet');
  });

  it('allConversations() and allConversationMessages() walk every page', async () => {
    server.queue(
      { json: { count: 2, conversations: [{ ...conversation, id: 'c1' }], next_cursor: 'n1' } },
      { json: { count: 2, conversations: [{ ...conversation, id: 'c2' }], next_cursor: null } },
      { json: { count: 2, messages: [{ ...conversationMessage, id: 'm1' }], next_cursor: 'n2' } },
      { json: { items: [{ ...conversationMessage, id: 'm2' }], total: 2 } },
    );
    const conversations: string[] = [];
    for await (const item of client.allConversations('bot1', { channel: 'api', limit: 1 })) {
      conversations.push(item.id);
    }
    const messages: string[] = [];
    for await (const item of client.allConversationMessages('bot1', 'c1', { limit: 1 })) {
      messages.push(item.id);
    }
    assert.deepEqual(conversations, ['c1', 'c2']);
    assert.deepEqual(messages, ['m1', 'm2']);
    assert.deepEqual(
      server.requests.map((r) => [r.path, r.query]),
      [
        ['/chatbots/bot1/conversations', { channel: 'api', limit: '1' }],
        ['/chatbots/bot1/conversations', { channel: 'api', limit: '1', cursor: 'n1' }],
        ['/chatbots/bot1/conversations/c1/messages', { limit: '1' }],
        ['/chatbots/bot1/conversations/c1/messages', { limit: '1', cursor: 'n2' }],
      ],
    );
  });

  it('getConversation() and listConversationMessages() hit the conversation paths', async () => {
    server.queue({ json: conversation }, { json: { count: 1, messages: [conversationMessage], next_cursor: null } });
    assert.equal((await client.getConversation('bot1', 'c1')).id, conversation.id);
    assert.equal(last().path, '/chatbots/bot1/conversations/c1');
    const page = await client.listConversationMessages('bot1', 'c1', { cursor: 'x' });
    assert.equal(page.messages[0].responder, 'BOT');
    assert.equal(last().path, '/chatbots/bot1/conversations/c1/messages');
    assert.deepEqual(last().query, { cursor: 'x' });
  });

  it('path segments are URL-encoded, so an id cannot change the path', async () => {
    server.queue({ json: { ...flow, id: 'f/1' } }, { json: reply() });
    await client.getFlow('bot 1/x', 'f/1?x=#y');
    assert.equal(last().path, '/chatbots/bot%201%2Fx/flows/f%2F1%3Fx%3D%23y');
    assert.deepEqual(last().query, {});
    await client.sendMessage('ü', 's%1', { message: 'hi' });
    assert.equal(last().path, '/chatbots/%C3%BC/chat/sessions/s%251/messages');
  });
});
