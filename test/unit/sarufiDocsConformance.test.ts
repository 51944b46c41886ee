// The examples of Sarufi's own docs (test/fixtures/sarufi-docs, see its manifest.json), run through
// the HTTP sandbox against a recording loopback backend, checked against what each page says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CreateSessionResponse, SendMessageResponse, ValidationResult } from '../../src/sarufi/types.js';
import { chatbotIdOf, removeTempDirs, sendJson, startRecordingServer, startTestSandbox } from './sandboxTestKit.js';
import type { RecordedRequest, RecordingServer, TestSandbox } from './sandboxTestKit.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'sarufi-docs');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { fixtures: Record<string, { page: string }> };

function fixtureText(file: string): string {
  assert.ok(manifest.fixtures[file], `${file} is in the manifest`);
  return readFileSync(join(FIXTURES, file), 'utf8');
}

function fixture(file: string): Record<string, unknown> {
  return JSON.parse(fixtureText(file)) as Record<string, unknown>;
}

/** The backend's answers, by route; /events holds its answer until the test releases it. */
let backend: RecordingServer;
let releaseEvents: () => void = () => undefined;
let eventsHeld = Promise.resolve();
let eventArrived: Promise<RecordedRequest>;
let eventSeen: (request: RecordedRequest) => void = () => undefined;

function expectEvent(): void {
  eventsHeld = new Promise((resolve) => {
    releaseEvents = resolve;
  });
  eventArrived = new Promise((resolve) => {
    eventSeen = resolve;
  });
}

before(async () => {
  backend = await startRecordingServer(async (request, response) => {
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /orders/1042') {
      sendJson(response, 200, { status: 'in_transit', eta: '2026-06-01', carrier: 'DHL' });
    } else if (route === 'POST /tickets') {
      sendJson(response, 201, { id: 'T-7', reference: 'REF-7' });
    } else if (route === 'GET /profile') {
      sendJson(response, 200, { name: 'Amani', address: { city: 'Arusha' }, orders: [{ id: 'O-1' }, { id: 'O-2' }] });
    } else if (request.method === 'DELETE') {
      response.writeHead(204).end();
    } else if (route === 'POST /events') {
      eventSeen(request);
      await eventsHeld;
      sendJson(response, 200, {});
    } else if (request.method === 'PATCH') {
      sendJson(response, 200, { ok: true });
    } else {
      sendJson(response, 404, { detail: `No route ${route}` });
    }
  });
});

after(async () => {
  await backend.close();
  await removeTempDirs();
});

interface Harness {
  /**
   * Variables the example reads: asked for first, each by a state of that name (the answer is
   * stored under it). Without any, a `start` state asks for one message, so the example's actions
   * run on a user's message rather than on the greeting; `[]` starts at the example's first state.
   */
  collect?: string[];
  /** Messages for states the example names but does not define (default: "reached <name>"). */
  stubs?: Record<string, string>;
}

/**
 * Completes an example into a runnable flow: states that collect the variables it reads, then its
 * own states, then a stub for each state it names but does not define (`done` for a wrapped action).
 */
function completeFlow(states: Record<string, unknown>, harness: Harness): Record<string, unknown> {
  const collect = harness.collect ?? ['start'];
  const first = Object.keys(states)[0] ?? '';
  const asking = Object.fromEntries(collect.map((name, index) => [name, { message: `${name}?`, transitions: { default: collect[index + 1] ?? first } }]));
  const named = new Set(JSON.stringify(states).match(/"(?:default|success_transition|failure_transition)":\s*"([^"]+)"/g)?.map((field) => field.replace(/^.*"([^"]+)"$/, '$1')));
  const stubs = Object.fromEntries(
    [...named, ...Object.keys(harness.stubs ?? {})]
      .filter((name) => !(name in states))
      .map((name) => [name, { message: harness.stubs?.[name] ?? `reached ${name}` }]),
  );
  return { initial_state: collect[0] ?? first, states: { ...asking, ...states, ...stubs } };
}

/** One action of a page, in a state that moves to `done` by default. */
function actionState(action: Record<string, unknown>): Record<string, unknown> {
  return { run: { message: 'running', actions: [action], transitions: { default: 'done' } } };
}

interface Chat {
  t: TestSandbox;
  botId: string;
  say(message: string): Promise<SendMessageResponse>;
}

const open: Chat[] = [];
after(async () => {
  await Promise.all(open.map((chat) => chat.t.close()));
});

async function chatWith(flow: Record<string, unknown>): Promise<Chat> {
  const t = await startTestSandbox({
    'docs.flow.json': flow,
    'sarufi.sandbox.json': { integrations: { my_backend: { baseUrl: backend.url }, analytics: { baseUrl: backend.url } } },
  });
  const botId = chatbotIdOf(t.sandbox, 'docs.flow.json');
  const created = await t.api('POST', `/chatbots/${botId}/chat/sessions`);
  assert.equal(created.status, 201, created.text);
  const sessionId = (created.body as CreateSessionResponse).session_id;
  const chat: Chat = {
    t,
    botId,
    say: async (message) => {
      const reply = await t.api('POST', `/chatbots/${botId}/chat/sessions/${sessionId}/messages`, { body: { message } });
      assert.equal(reply.status, 200, reply.text);
      return reply.body as SendMessageResponse;
    },
  };
  open.push(chat);
  return chat;
}

/** Answers the collecting states in order; returns the reply to the last answer. */
async function answer(chat: Chat, values: string[]): Promise<SendMessageResponse> {
  let reply: SendMessageResponse | undefined;
  for (const value of values) {
    reply = await chat.say(value);
  }
  assert.ok(reply);
  return reply;
}

function texts(reply: SendMessageResponse): string[] {
  return reply.messages.map((message) => ('text' in message ? message.text : message.type));
}

function lastRequest(): RecordedRequest {
  const request = backend.requests.at(-1);
  assert.ok(request);
  return request;
}

function jsonBody(request: RecordedRequest): Record<string, unknown> {
  return JSON.parse(request.body) as Record<string, unknown>;
}

describe('Sarufi docs conformance: api-call.mdx', () => {
  it('api-call-1: GET integration + path, the response saved as order, 2xx to success_transition', async () => {
    const chat = await chatWith(completeFlow(fixture('api-call-1.json'), { collect: ['order_id'], stubs: { show_status: 'Status: {{variables.order.status}}' } }));
    const reply = await answer(chat, ['1042']);
    assert.equal(reply.current_state, 'show_status');
    assert.deepEqual(texts(reply), ['Looking that up for you...', 'Status: in_transit']);
    const request = lastRequest();
    assert.deepEqual([request.method, request.path, request.body], ['GET', '/orders/1042', '']);
  });

  it('api-call-2: path, headers and body take variables; the PATCH body is the automatic one with body merged on top; neither transition follows default', async () => {
    const collect = ['user_id', 'order_id', 'tenant_id', 'new_status'];
    const chat = await chatWith(completeFlow(actionState(fixture('api-call-2.json')), { collect }));
    const reply = await answer(chat, ['u-9', '1042', 'acme', 'shipped']);
    assert.equal(reply.current_state, 'done');
    const request = lastRequest();
    assert.deepEqual([request.method, request.path, request.headers['x-tenant']], ['PATCH', '/users/u-9/orders/1042', 'acme']);
    const body = jsonBody(request);
    assert.deepEqual(body.message, { type: 'text', text: 'shipped' });
    assert.equal(body.status, 'shipped');
    assert.deepEqual(body.variables, { contact_name: 'Sandbox user', user_id: 'u-9', order_id: '1042', tenant_id: 'acme', new_status: 'shipped' });
  });

  it('api-call-3: {{variables.order.status}}, .eta and .carrier resolve to the fields of the saved response', async () => {
    const stubs = { show_status: '{{variables.order.status}} | {{variables.order.eta}} | {{variables.order.carrier}}' };
    const chat = await chatWith(completeFlow(actionState(fixture('api-call-3.json')), { collect: ['order_id'], stubs }));
    const reply = await answer(chat, ['1042']);
    assert.deepEqual(texts(reply), ['running', 'in_transit | 2026-06-01 | DHL']);
  });

  it("api-call-4: the POST carries the user's message and all variables (read as body['variables']) plus the body fields; {{variables.ticket.id}} after success", async () => {
    const stubs = { ticket_created: 'Ticket {{variables.ticket.id}}' };
    const chat = await chatWith(completeFlow(actionState(fixture('api-call-4.json')), { collect: ['issue_type', 'description'], stubs }));
    const reply = await answer(chat, ['billing', 'Charged twice']);
    assert.equal(reply.current_state, 'ticket_created');
    assert.deepEqual(texts(reply).at(-1), 'Ticket T-7');
    const body = jsonBody(lastRequest()) as { variables: Record<string, unknown> } & Record<string, unknown>;
    assert.deepEqual([body.variables.issue_type, body.variables.description], ['billing', 'Charged twice']);
    assert.deepEqual([body.issue_type, body.description, body.priority], ['billing', 'Charged twice', 'normal']);
    assert.deepEqual(body.message, { type: 'text', text: 'Charged twice' });
  });

  it('api-call-5: a PATCH with a body, routed to success_transition', async () => {
    const chat = await chatWith(completeFlow(actionState(fixture('api-call-5.json')), { collect: ['user_id', 'notification_choice'] }));
    const reply = await answer(chat, ['u-9', 'sms']);
    assert.equal(reply.current_state, 'preference_saved');
    const request = lastRequest();
    assert.deepEqual([request.method, request.path, jsonBody(request).notifications], ['PATCH', '/users/u-9/preferences', 'sms']);
  });

  it('api-call-6: DELETE sends no body; the X-Sarufi-* headers say who calls', async () => {
    const chat = await chatWith(completeFlow(actionState(fixture('api-call-6.json')), { collect: ['subscription_id'] }));
    const reply = await answer(chat, ['sub-3']);
    assert.equal(reply.current_state, 'cancellation_confirmed');
    const request = lastRequest();
    assert.deepEqual([request.method, request.path, request.body], ['DELETE', '/subscriptions/sub-3', '']);
    assert.equal(request.headers['x-sarufi-chatbot-id'], chat.botId);
    assert.equal(request.headers['x-sarufi-state'], 'run');
  });

  it('api-call-7: fire_and_forget sends the request, and the conversation moves on before the backend answers', async () => {
    expectEvent();
    const chat = await chatWith(completeFlow(actionState(fixture('api-call-7.json')), {}));
    const reply = await chat.say('hi');
    // The backend is still holding its answer to /events.
    assert.equal(reply.current_state, 'done');
    const event = await eventArrived;
    releaseEvents();
    const body = jsonBody(event);
    assert.deepEqual([body.event, body.flow], ['flow_completed', 'onboarding']);
    assert.deepEqual(body.message, { type: 'text', text: 'hi' });
  });

  it('api-call-8: save_to names the response; dotted and bracket paths reach into it', async () => {
    const action = { type: 'API_CALL', integration: 'my_backend', path: '/profile', ...fixture('api-call-8.json') };
    const stubs = { done: '{{variables.profile.name}} / {{variables.profile.address.city}} / {{variables.profile.orders[0].id}}' };
    const chat = await chatWith(completeFlow(actionState(action), { stubs }));
    assert.deepEqual(texts(await chat.say('hi')), ['running', 'Amani / Arusha / O-1']);
  });

  it('api-call-9: a POST without a body sends exactly the keys of the documented auto-injected body', async () => {
    const documentedKeys = [...fixtureText('api-call-9.txt').matchAll(/^ {2}"(\w+)"/gm)].map((match) => match[1]);
    assert.deepEqual(documentedKeys, ['message', 'variables']);
    const chat = await chatWith(completeFlow(actionState({ type: 'API_CALL', integration: 'my_backend', path: '/tickets', method: 'POST' }), {}));
    await chat.say('Hello');
    const body = jsonBody(lastRequest());
    assert.deepEqual(Object.keys(body), documentedKeys);
    assert.deepEqual(body.message, { type: 'text', text: 'Hello' });
  });
});

describe('Sarufi docs conformance: how-flows-work.mdx', () => {
  it('how-flows-work-1: default leads on, the action runs before the message renders; order_id is never set (the answer is stored as greet_user)', async () => {
    const chat = await chatWith(completeFlow(fixture('how-flows-work-1.json'), { collect: [], stubs: { order_error: 'Error for {{variables.greet_user}}' } }));
    const validation = (await chat.t.api('POST', `/chatbots/${chat.botId}/flows/${await fileFlowId(chat)}/validate`)).body as ValidationResult;
    assert.ok(validation.warnings.some((warning) => /Variable 'order_id' is never set/.test(warning.message)));
    const reply = await chat.say('1042');
    const request = lastRequest();
    assert.deepEqual([request.method, request.path], ['GET', '/orders/']);
    assert.equal(reply.current_state, 'order_error');
    assert.deepEqual(texts(reply), ['Looking that up for you...', 'Error for 1042']);
  });
});

/** The id of the flow that the chatbot's file holds (the first one listed). */
async function fileFlowId(chat: Chat): Promise<string> {
  const list = (await chat.t.api('GET', `/chatbots/${chat.botId}/flows`)).body as { items: { id: string }[] };
  const id = list.items[0]?.id;
  assert.ok(id);
  return id;
}

describe('Sarufi docs conformance: flows.mdx', () => {
  let chat: Chat;
  let created: Record<string, unknown>;
  before(async () => {
    chat = await chatWith(completeFlow(actionState({ type: 'SEND_MESSAGE', message: 'hi' }), {}));
    created = (await chat.t.api('POST', `/chatbots/${chat.botId}/flows`, { body: fixture('flows-5.json') })).body as Record<string, unknown>;
  });

  const keys = (value: unknown) => Object.keys(value as Record<string, unknown>).sort();

  it('flows-1: the flow list has the documented fields', async () => {
    const list = (await chat.t.api('GET', `/chatbots/${chat.botId}/flows`)).body as { items: unknown[] };
    const documented = fixture('flows-1.json') as { items: unknown[] };
    assert.deepEqual(keys(list), keys(documented));
    assert.deepEqual(keys(list.items[0]), keys(documented.items[0]));
  });

  it('flows-5 → flows-2: creating a flow without "flow" gives a blank draft with (at least) the documented fields', () => {
    const documented = fixture('flows-2.json');
    assert.deepEqual(keys(documented).filter((key) => !(key in created)), []);
    assert.deepEqual([created.name, created.type, created.status, created.flow], [documented.name, documented.type, 'draft', {}]);
  });

  it('flows-6 → flows-3: PATCH {"states": []} is kept as sent; validating it reads an empty flow, not a malformed one', async () => {
    const path = `/chatbots/${chat.botId}/flows/${String(created.id)}`;
    const patched = await chat.t.api('PATCH', path, { body: fixture('flows-6.json') });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual((patched.body as { flow: unknown }).flow, { states: [] });
    const validation = (await chat.t.api('POST', `${path}/validate`)).body as ValidationResult;
    assert.deepEqual(keys(validation), keys(fixture('flows-3.json')));
    assert.deepEqual(validation.errors.map((issue) => issue.message), ['The flow has no states.']);
  });

  it('flows-4: publishing answers with the documented fields', async () => {
    const published = (await chat.t.api('POST', `/chatbots/${chat.botId}/flows/${await fileFlowId(chat)}/publish`)).body;
    assert.deepEqual(keys(published), keys(fixture('flows-4.json')));
    assert.equal((published as { status: string }).status, 'published');
  });
});
