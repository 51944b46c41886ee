import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isValid } from 'ulid';
import type {
  Chatbot,
  ChatbotStats,
  ConversationList,
  ConversationMessageList,
  Conversation,
  CreateSessionResponse,
  ErrorBody,
  Flow,
  FlowList,
  MeResponse,
  Page,
  ChatbotSummary,
  PublishResult,
  SendMessageResponse,
  ValidationResult,
} from '../../src/sarufi/types.js';
import { SANDBOX_API_KEY } from '../../src/sandbox/sandboxKeys.js';
import { chatbotIdOf, fakeClock, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';
import type { TestSandbox } from './sandboxTestKit.js';

const orderFlow = {
  name: 'Order bot',
  description: 'Takes orders',
  states: {
    greet: {
      message: { type: 'buttons', text: 'Karibu!', buttons: [{ id: 'order', title: 'Order' }] },
      transitions: { buttons: { order: 'ask' }, default: 'greet' },
    },
    ask: { message: 'How many?', save_input_as: 'qty', transitions: { regex: { '^\\d+$': 'done' }, default: 'ask' } },
    done: { message: 'Ordered {{variables.qty}}. Bye!' },
  },
};

const clock = fakeClock();
let t: TestSandbox;
let botId: string;

before(async () => {
  t = await startTestSandbox({ 'order.flow.json': orderFlow, 'nested/plain.flow.json': { only: { message: 'Hi' } } }, { clock: clock.now });
  botId = chatbotIdOf(t.sandbox, 'order.flow.json');
});

after(async () => {
  await t.close();
  await removeTempDirs();
});

async function newSession(): Promise<CreateSessionResponse> {
  const response = await t.api('POST', `/chatbots/${botId}/chat/sessions`);
  assert.equal(response.status, 201);
  return response.body as CreateSessionResponse;
}

async function send(sessionId: string, body: Record<string, unknown>): Promise<SendMessageResponse> {
  const response = await t.api('POST', `/chatbots/${botId}/chat/sessions/${sessionId}/messages`, { body });
  assert.equal(response.status, 200, response.text);
  return response.body as SendMessageResponse;
}

describe('sandbox server: workspace and chatbots', () => {
  it('serves under /api/dev/v1 on 127.0.0.1 with the documented default key', () => {
    assert.match(t.sandbox.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/dev\/v1$/);
    assert.equal(t.sandbox.apiKey, SANDBOX_API_KEY);
    assert.equal(SANDBOX_API_KEY, 'sk-sandbox-local');
  });

  it('GET /me names the local workspace and shows the key only redacted', async () => {
    const response = await t.api('GET', '/me');
    assert.equal(response.status, 200);
    const me = response.body as MeResponse;
    assert.equal(me.workspace.name, 'Local sandbox');
    assert.equal(me.workspace.plan, 'sandbox');
    assert.ok(isValid(me.workspace.id));
    assert.equal(me.api_key.key, 'sk-…ocal');
    assert.ok(!response.text.includes(SANDBOX_API_KEY));
    assert.equal(response.headers.get('content-type'), 'application/json');
  });

  it('lists one chatbot per flow file, named by the file\'s "name" or its file name', async () => {
    const response = await t.api('GET', '/chatbots');
    const page = response.body as Page<ChatbotSummary>;
    assert.equal(page.total, 2);
    assert.equal(page.next_cursor, null);
    assert.deepEqual(page.items.map((item) => item.name), ['Order bot', 'plain']);
    const first = page.items[0];
    assert.ok(first && isValid(first.id) && first.is_active);
    assert.equal(first.description, 'Takes orders');
  });

  it('GET /chatbots/{id} and /stats', async () => {
    const chatbot = (await t.api('GET', `/chatbots/${botId}`)).body as Chatbot;
    assert.equal(chatbot.id, botId);
    assert.equal(chatbot.category, 'general');
    assert.ok(isValid(chatbot.workspace_id));
    assert.equal(chatbot.webhook_secret, undefined, 'no secret in a reply');
    const before = ((await t.api('GET', `/chatbots/${botId}/stats`)).body as ChatbotStats).stats;
    const session = await newSession();
    await send(session.session_id, { message: 'Order', button_id: 'order' });
    const stats = ((await t.api('GET', `/chatbots/${botId}/stats`)).body as ChatbotStats).stats;
    assert.equal(stats.total_conversations, before.total_conversations + 1);
    assert.equal(stats.total_messages, before.total_messages + 3, 'greeting + user message + answer');
    assert.equal(stats.active_users_7d, before.active_users_7d + 1);
  });

  it('creates, renames and deletes a chatbot in memory', async () => {
    const created = await t.api('POST', '/chatbots', { body: { name: 'Scratch', description: 'tmp' } });
    assert.equal(created.status, 201);
    const id = (created.body as Chatbot).id;
    assert.ok(isValid(id));
    const patched = await t.api('PATCH', `/chatbots/${id}`, { body: { name: 'Scratch 2' } });
    assert.equal((patched.body as Chatbot).name, 'Scratch 2');
    assert.equal((patched.body as Chatbot).description, 'tmp');
    const deleted = await t.api('DELETE', `/chatbots/${id}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    assert.equal((await t.api('GET', `/chatbots/${id}`)).status, 404);
  });
});

describe('sandbox server: chatbot pagination', () => {
  let many: TestSandbox;
  before(async () => {
    const files: Record<string, unknown> = {};
    for (let index = 0; index < 40; index += 1) {
      files[`bot-${String(index).padStart(2, '0')}.flow.json`] = { s: { message: 'x' } };
    }
    many = await startTestSandbox(files);
  });
  after(() => many.close());

  it('pages with an opaque cursor, 29 by default', async () => {
    const first = (await many.api('GET', '/chatbots')).body as Page<ChatbotSummary>;
    assert.equal(first.items.length, 29);
    assert.equal(first.total, 40);
    assert.ok(first.next_cursor);
    const second = (await many.api('GET', `/chatbots?cursor=${encodeURIComponent(first.next_cursor)}`)).body as Page<ChatbotSummary>;
    assert.equal(second.items.length, 11);
    assert.equal(second.next_cursor, null);
    const names = [...first.items, ...second.items].map((item) => item.name);
    assert.equal(new Set(names).size, 40, 'no chatbot twice, none missing');
  });

  it('honours ?limit up to 37', async () => {
    const page = (await many.api('GET', '/chatbots?limit=37')).body as Page<ChatbotSummary>;
    assert.equal(page.items.length, 37);
    const small = (await many.api('GET', '/chatbots?limit=5')).body as Page<ChatbotSummary>;
    assert.equal(small.items.length, 5);
  });

  it('answers 422 with a FastAPI-style list detail for a bad limit or cursor', async () => {
    for (const [query, type] of [
      ['limit=38', 'less_than_equal'],
      ['limit=0', 'greater_than_equal'],
      ['limit=ten', 'int_parsing'],
      ['cursor=garbage', 'value_error'],
    ] as const) {
      const response = await many.api('GET', `/chatbots?${query}`);
      assert.equal(response.status, 422, query);
      const detail = (response.body as ErrorBody).detail;
      assert.ok(Array.isArray(detail), query);
      assert.equal(detail[0]?.type, type);
      assert.equal(detail[0]?.loc[0], 'query');
      assert.equal(typeof detail[0]?.msg, 'string');
    }
  });
});

describe('sandbox server: Chat API', () => {
  it('creates a session (201, channel api, ULID id) with the greeting', async () => {
    const session = await newSession();
    assert.ok(isValid(session.session_id));
    assert.equal(session.channel, 'api');
    assert.equal(session.created_at, new Date(clock.now()).toISOString());
    assert.deepEqual(session.messages, [{ type: 'buttons', text: 'Karibu!', buttons: [{ id: 'order', title: 'Order' }] }]);
  });

  it('sends messages: button click, then text; answers with current_state and counts', async () => {
    const session = await newSession();
    const clicked = await send(session.session_id, { message: 'Order', message_type: 'button', button_id: 'order' });
    assert.deepEqual(clicked.messages, [{ type: 'text', text: 'How many?' }]);
    assert.equal(clicked.current_state, 'ask');
    assert.equal(clicked.messages_count, 1);
    assert.equal(clicked.session_id, session.session_id);
    assert.ok(!Number.isNaN(Date.parse(clicked.timestamp)));
    const again = await send(session.session_id, { message: 'many', button_id: null });
    assert.equal(again.current_state, 'ask');
    const done = await send(session.session_id, { message: '3' });
    assert.deepEqual(done.messages, [{ type: 'text', text: 'Ordered 3. Bye!' }]);
    assert.equal(done.current_state, 'done');
  });

  it('keeps sessions isolated from one another', async () => {
    const a = await newSession();
    const b = await newSession();
    await send(a.session_id, { message: 'Order', button_id: 'order' });
    const reply = await send(b.session_id, { message: 'hello' });
    assert.equal(reply.current_state, 'greet');
  });
});

describe('sandbox server: Flows API', () => {
  const draft = { states: { a: { message: 'Draft A', transitions: { default: 'b' } }, b: { message: 'Draft B' } } };

  it("lists the file's flow as the published conversation flow, with a stable id", async () => {
    const list = (await t.api('GET', `/chatbots/${botId}/flows`)).body as FlowList;
    assert.equal(list.total, 1);
    const [flow] = list.items;
    assert.ok(flow && isValid(flow.id));
    assert.deepEqual({ ...flow, id: '', created_at: '' }, { id: '', chatbot_id: botId, name: 'Order bot', type: 'conversation', status: 'published', created_at: '' });
    const full = (await t.api('GET', `/chatbots/${botId}/flows/${flow.id}`)).body as Flow;
    assert.deepEqual(full.flow, orderFlow);
    assert.ok(full.published_at);
  });

  it('creates a draft, patches it, validates it, publishes it; new sessions then run it', async () => {
    const created = await t.api('POST', `/chatbots/${botId}/flows`, { body: { name: 'New', type: 'conversation', flow: { a: { transitions: { default: 'x' } } } } });
    assert.equal(created.status, 201);
    const flow = created.body as Flow;
    assert.equal(flow.status, 'draft');
    assert.ok(isValid(flow.id));

    const invalid = (await t.api('POST', `/chatbots/${botId}/flows/${flow.id}/validate`)).body as ValidationResult;
    assert.equal(invalid.valid, false);
    assert.equal(invalid.errors[0]?.path, 'states.a.transitions.default');
    const refused = await t.api('POST', `/chatbots/${botId}/flows/${flow.id}/publish`);
    assert.equal(refused.status, 422);
    assert.match((refused.body as { detail: string }).detail, /cannot be published; first: states\.a\.transitions\.default/);

    const patched = await t.api('PATCH', `/chatbots/${botId}/flows/${flow.id}`, { body: { name: 'Renamed', flow: draft } });
    assert.equal((patched.body as Flow).name, 'Renamed');
    assert.deepEqual((patched.body as Flow).flow, draft);
    assert.equal((patched.body as Flow).status, 'draft', 'PATCH does not publish');
    const valid = (await t.api('POST', `/chatbots/${botId}/flows/${flow.id}/validate`)).body as ValidationResult;
    assert.deepEqual(valid, { valid: true, errors: [], warnings: [] });

    const published = await t.api('POST', `/chatbots/${botId}/flows/${flow.id}/publish`);
    assert.equal(published.status, 200);
    assert.equal((published.body as PublishResult).status, 'published');
    const statuses = ((await t.api('GET', `/chatbots/${botId}/flows`)).body as FlowList).items.map((item) => `${item.name}:${item.status}`).sort();
    assert.deepEqual(statuses, ['Order bot:draft', 'Renamed:published'], 'one published flow per chatbot');
    assert.deepEqual((await newSession()).messages, [{ type: 'text', text: 'Draft A' }]);

    // Back to the file's flow, so the other tests see the order bot again.
    const fileFlow = ((await t.api('GET', `/chatbots/${botId}/flows`)).body as FlowList).items.find((item) => item.name === 'Order bot');
    assert.equal((await t.api('POST', `/chatbots/${botId}/flows/${fileFlow?.id}/publish`)).status, 200);
    assert.equal((await t.api('DELETE', `/chatbots/${botId}/flows/${flow.id}`)).status, 204);
    assert.equal((await t.api('GET', `/chatbots/${botId}/flows/${flow.id}`)).status, 404);
    assert.equal(((await newSession()).messages[0] as { text: string }).text, 'Karibu!');
  });

  it('validates request bodies with 422 lists', async () => {
    const response = await t.api('POST', `/chatbots/${botId}/flows`, { body: { type: 'sms', flow: [] } });
    assert.equal(response.status, 422);
    const detail = (response.body as ErrorBody).detail;
    assert.ok(Array.isArray(detail));
    assert.deepEqual(detail.map((issue) => `${issue.loc.join('.')}:${issue.type}`), ['body.name:missing', 'body.type:enum', 'body.flow:dict_type']);
  });

  it('does not check meta (WhatsApp UI) flows, and says so', async () => {
    const flow = (await t.api('POST', `/chatbots/${botId}/flows`, { body: { name: 'Form', type: 'meta', flow: { screens: [] } } })).body as Flow;
    const result = (await t.api('POST', `/chatbots/${botId}/flows/${flow.id}/validate`)).body as ValidationResult;
    assert.equal(result.valid, true);
    assert.match(result.warnings[0]?.message ?? '', /does not check or run WhatsApp UI \(meta\) flows/);
    assert.equal((await t.api('DELETE', `/chatbots/${botId}/flows/${flow.id}`)).status, 204);
  });
});

describe('sandbox server: Conversations API', () => {
  let other: TestSandbox;
  const otherClock = fakeClock(Date.UTC(2026, 0, 10, 8));
  let id: string;
  const sessions: string[] = [];

  before(async () => {
    other = await startTestSandbox({ 'order.flow.json': orderFlow }, { clock: otherClock.now });
    id = chatbotIdOf(other.sandbox, 'order.flow.json');
    const create = async () => {
      const created = await other.api('POST', `/chatbots/${id}/chat/sessions`);
      sessions.push((created.body as CreateSessionResponse).session_id);
    };
    // The first session orders, then falls silent for 31 minutes (CLOSED); the two created
    // after that, a minute apart, stay ACTIVE.
    await create();
    const first = sessions[0] ?? '';
    await other.api('POST', `/chatbots/${id}/chat/sessions/${first}/messages`, { body: { message: 'Order', button_id: 'order' } });
    await other.api('POST', `/chatbots/${id}/chat/sessions/${first}/messages`, { body: { message: '2' } });
    otherClock.advance(31 * 60_000);
    await create();
    otherClock.advance(60_000);
    await create();
  });
  after(() => other.close());

  it('lists sessions newest first with the documented fields', async () => {
    const list = (await other.api('GET', `/chatbots/${id}/conversations`)).body as ConversationList;
    assert.equal(list.count, 3);
    assert.equal(list.next_cursor, null);
    assert.deepEqual(list.conversations.map((conversation) => conversation.id), [...sessions].reverse());
    const closed = list.conversations.find((conversation) => conversation.id === sessions[0]);
    assert.ok(closed);
    assert.equal(closed.status, 'CLOSED');
    assert.equal(closed.channel, 'api');
    assert.equal(closed.chatbot_id, id);
    assert.equal(closed.user_phone, null);
    assert.equal(closed.contact_name, 'Sandbox user');
    assert.equal(closed.last_message_preview, 'Ordered 2. Bye!');
    assert.equal(closed.unread_count, 0);
    assert.ok(closed.last_message_id && isValid(closed.last_message_id));
  });

  it('filters by status, channel and time', async () => {
    const get = async (query: string) => ((await other.api('GET', `/chatbots/${id}/conversations?${query}`)).body as ConversationList).conversations.map((c) => c.id);
    assert.deepEqual(await get('status=CLOSED'), [sessions[0]]);
    assert.deepEqual(await get('status=active'), [sessions[2], sessions[1]]);
    assert.deepEqual(await get('channel=whatsapp'), []);
    assert.equal((await get('channel=api')).length, 3);
    const secondCreated = new Date(Date.UTC(2026, 0, 10, 8, 31)).toISOString();
    assert.deepEqual(await get(`start_time=${secondCreated}`), [sessions[2], sessions[1]]);
    assert.deepEqual(await get(`end_time=${secondCreated}`), [sessions[1], sessions[0]]);
    assert.equal((await other.api('GET', `/chatbots/${id}/conversations?status=DONE`)).status, 422);
    assert.equal((await other.api('GET', `/chatbots/${id}/conversations?start_time=yesterday`)).status, 422);
  });

  it('pages conversations (limit max 67) with next_cursor', async () => {
    const first = (await other.api('GET', `/chatbots/${id}/conversations?limit=2`)).body as ConversationList;
    assert.equal(first.conversations.length, 2);
    assert.equal(first.count, 3);
    assert.ok(first.next_cursor);
    const rest = (await other.api('GET', `/chatbots/${id}/conversations?limit=2&cursor=${first.next_cursor}`)).body as ConversationList;
    assert.deepEqual(rest.conversations.map((c) => c.id), [sessions[0]]);
    assert.equal(rest.next_cursor, null);
    assert.equal((await other.api('GET', `/chatbots/${id}/conversations?limit=67`)).status, 200);
    assert.equal((await other.api('GET', `/chatbots/${id}/conversations?limit=68`)).status, 422);
  });

  it('gets one conversation and its messages oldest first, each user message with the answer', async () => {
    const one = (await other.api('GET', `/chatbots/${id}/conversations/${sessions[0]}`)).body as Conversation;
    assert.equal(one.id, sessions[0]);
    const list = (await other.api('GET', `/chatbots/${id}/conversations/${sessions[0]}/messages`)).body as ConversationMessageList;
    assert.equal(list.count, 3);
    const [greeting, click, answer] = list.messages;
    assert.equal(greeting?.message, null);
    assert.equal(greeting?.response?.text, 'Karibu!');
    assert.deepEqual(click?.message, { type: 'button', text: 'Order', button_id: 'order' });
    assert.equal(click?.message_type, 'button');
    assert.deepEqual(click?.response?.messages, [{ type: 'text', text: 'How many?' }]);
    assert.deepEqual(answer?.message, { type: 'text', text: '2' });
    assert.equal(answer?.responder, 'BOT');
    assert.equal(answer?.conversation_id, sessions[0]);
    const paged = (await other.api('GET', `/chatbots/${id}/conversations/${sessions[0]}/messages?limit=2`)).body as ConversationMessageList;
    assert.equal(paged.messages.length, 2);
    assert.ok(paged.next_cursor);
  });
});
