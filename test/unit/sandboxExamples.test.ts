import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CreateSessionResponse, SendMessageResponse } from '../../src/sarufi/types.js';
import type { KnownMessage } from '../../src/flow/botMessages.js';
import { ACTION_TYPES } from '../../src/flow/flowTypes.js';
import { MESSAGE_TYPES } from '../../src/flow/botMessages.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { analyzeFlow, validateFlow } from '../../src/flow/validator.js';
import type { OrderStatusBackend } from '../../examples/order-status-backend.mjs';
import { apiFor } from './sandboxTestKit.js';
import type { Api } from './sandboxTestKit.js';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const FLOW_FILES = ['pizza-order.flow.json', 'support-bot.flow.json'];

async function readExample(name: string): Promise<unknown> {
  return JSON.parse(await readFile(join(EXAMPLES, name), 'utf8'));
}

function summary(message: KnownMessage): string {
  switch (message.type) {
    case 'text':
      return message.text;
    case 'buttons':
      return `${message.text} [${message.buttons.map((button) => button.id).join(',')}]`;
    case 'list':
      return `${message.text} [list:${message.sections.flatMap((section) => section.rows.map((row) => row.id)).join(',')}]`;
    default:
      return `<${message.type}>`;
  }
}

describe('examples: flow files', () => {
  it('validate with no errors and no warnings (the sandbox knows the "orders" integration)', async () => {
    const config = (await readExample('sarufi.sandbox.json')) as { integrations: Record<string, unknown> };
    for (const name of FLOW_FILES) {
      const result = validateFlow(await readExample(name), { knownIntegrations: Object.keys(config.integrations) });
      assert.deepEqual(result, { valid: true, errors: [], warnings: [] }, name);
    }
  });

  it('use every message type and every action between them, and https media only', async () => {
    const messageTypes = new Set<string>();
    const actionTypes = new Set<string>();
    for (const name of FLOW_FILES) {
      const model = analyzeFlow(await readExample(name)).model;
      assert.ok(model);
      for (const state of model.states.values()) {
        const placed = [...state.messages, ...state.actions.flatMap((action) => (action.type === 'SEND_MESSAGE' ? action.messages : []))];
        for (const { message } of placed) {
          messageTypes.add(message.type);
          if ('media_url' in message) {
            assert.match(message.media_url, /^https:\/\//);
          }
        }
        for (const action of state.actions) {
          actionTypes.add(action.type);
        }
      }
    }
    assert.deepEqual([...messageTypes].sort(), [...MESSAGE_TYPES].sort());
    assert.deepEqual([...actionTypes].sort(), [...ACTION_TYPES].sort());
  });
});

describe('examples: clicked through over HTTP', () => {
  let backend: OrderStatusBackend;
  let sandbox: RunningSandbox;
  let api: Api;

  before(async () => {
    const { startOrderStatusBackend } = await import('../../examples/order-status-backend.mjs');
    backend = await startOrderStatusBackend({ port: 0 });
    // The examples' sarufi.sandbox.json says port 8788; the test's backend took a free port.
    sandbox = await startSandbox({ flowDirs: [EXAMPLES], integrations: { orders: { baseUrl: backend.url } } });
    api = apiFor(sandbox.baseUrl, sandbox.apiKey);
  });

  after(async () => {
    await sandbox.close();
    await backend.close();
  });

  function botNamed(name: string): string {
    const bot = sandbox.chatbots().find((candidate) => candidate.name === name);
    assert.ok(bot, name);
    assert.equal(bot.problem, null);
    return bot.id;
  }

  async function open(chatbotId: string): Promise<{ sessionId: string; greeting: string[]; say: (message: string, buttonId?: string) => Promise<SendMessageResponse> }> {
    const created = await api('POST', `/chatbots/${chatbotId}/chat/sessions`);
    assert.equal(created.status, 201);
    const session = created.body as CreateSessionResponse;
    return {
      sessionId: session.session_id,
      greeting: (session.messages as KnownMessage[]).map(summary),
      say: async (message, buttonId) => {
        const response = await api('POST', `/chatbots/${chatbotId}/chat/sessions/${session.session_id}/messages`, {
          body: buttonId === undefined ? { message } : { message, message_type: 'button', button_id: buttonId },
        });
        assert.equal(response.status, 200, response.text);
        return response.body as SendMessageResponse;
      },
    };
  }

  const said = (reply: SendMessageResponse) => (reply.messages as KnownMessage[]).map(summary);

  it('Pizza Bahari: order a pizza from the list menu to the receipt; a message after it gets the receipt state\'s last words again (no 410)', async () => {
    const chatbotId = botNamed('Pizza Bahari');
    const chat = await open(chatbotId);
    assert.deepEqual(chat.greeting, ['<image>', 'Karibu Pizza Bahari, Sandbox user! 🍕 Welcome!', 'Ungependa nini? What would you like? [order,menu_video,hours]']);
    assert.deepEqual(said(await chat.say('Agiza / Order', 'order')), [
      'Chagua pizza yako. Pick your pizza: [list:margherita,pepperoni,veggie,mishkaki,kuku_pilipili,samaki]',
    ]);
    assert.deepEqual(said(await chat.say('Kuku Pilipili', 'kuku_pilipili')), ['Kuku Pilipili: ukubwa gani? Which size? [small,medium,large]']);
    const size = await chat.say('Kubwa / Large', 'large');
    assert.equal(size.current_state, 'ask_quantity');
    const wrong = await chat.say('kumi');
    assert.deepEqual(said(wrong), ['Tafadhali andika namba kutoka 1 hadi 9. Please type a number from 1 to 9.', 'Ngapi? How many? (1-9)']);
    await chat.say('6');
    const confirm = await chat.say('Mikocheni');
    assert.deepEqual(said(confirm), [
      'Oda kubwa! 🎉 Big order: a free 1.5 L soda is on us.',
      'Oda yako / Your order:\n6 × Kuku Pilipili (Kubwa / Large)\nKwenda / To: Mikocheni\nThibitisha? Confirm? [confirm,cancel]',
    ]);
    const done = await chat.say('Ndiyo / Confirm', 'confirm');
    assert.deepEqual(said(done), [
      'Asante Sandbox user! Oda yako imepokelewa. Thank you, your order is in the oven.',
      '<document>',
      '<audio>',
      'Itafika baada ya dakika 45. It arrives in about 45 minutes. Karibu tena!',
    ]);
    assert.equal(done.current_state, 'order_placed');
    const after = await chat.say('asante');
    assert.equal(after.current_state, 'order_placed');
    assert.deepEqual(said(after), ['<document>', '<audio>', 'Itafika baada ya dakika 45. It arrives in about 45 minutes. Karibu tena!']);
  });

  it('Pizza Bahari: the video, the opening hours, a small order typed in Swahili, and a cancel', async () => {
    const chat = await open(botNamed('Pizza Bahari'));
    assert.deepEqual(said(await chat.say('Video ya menyu', 'menu_video')), ['<video>', 'Tayari kuagiza? Ready to order? [order,back]']);
    assert.deepEqual(said(await chat.say('Rudi / Back', 'back')), ['Ungependa nini? What would you like? [order,menu_video,hours]']);
    assert.match(said(await chat.say('saa ngapi mko wazi?'))[0] ?? '', /^Tuko wazi kila siku/);
    assert.deepEqual(said(await chat.say('habari')), ['Samahani, sijaelewa. Sorry, I didn\'t get that: please tap a button.', 'Ungependa nini? What would you like? [order,menu_video,hours]']);
    await chat.say('Nataka pizza');
    assert.match(said(await chat.say('sushi'))[0] ?? '', /^Samahani, hiyo haipo kwenye menyu/);
    await chat.say('margherita');
    await chat.say('Ndogo / Small', 'small');
    await chat.say('2');
    const confirm = await chat.say('Sinza');
    assert.equal(confirm.current_state, 'confirm_order');
    assert.equal(said(confirm).length, 1, 'no bulk offer for 2');
    assert.deepEqual(said(await chat.say('hapana')), ['Sawa, oda imeghairiwa. OK, the order is cancelled. Karibu tena, come back anytime!']);
  });

  it('Duka Support: a delivered order, a problem report that opens a ticket, and the closing event', async () => {
    const chatbotId = botNamed('Duka Support');
    const chat = await open(chatbotId);
    assert.deepEqual(chat.greeting, ["Habari Sandbox user! I am Duka's support bot. How can I help? [track,question]"]);
    await chat.say('Track an order', 'track');
    assert.deepEqual(said(await chat.say('#10')), ['That does not look like an order number.', 'Please send your order number (4 digits, e.g. 1042).']);
    const found = await chat.say('1042');
    assert.deepEqual(said(found), [
      'Looking that up for you… ⏳',
      'Order #1042 (Pizza Bahari (L) x2) was delivered on 2026-07-14 13:05. Is everything OK? [report,done]',
    ]);
    const lookup = backend.requests.find((request) => request.path === '/orders/1042');
    assert.ok(lookup);
    assert.equal(lookup.headers['x-sarufi-chatbot-id'], chatbotId);
    assert.equal(lookup.headers['x-sarufi-user-id'], chat.sessionId);
    assert.equal(lookup.headers['x-sarufi-state'], 'fetch_order');
    assert.equal(lookup.headers['x-sarufi-flow-name'], 'Duka Support');

    await chat.say('Report a problem', 'report');
    const filed = await chat.say('The box was crushed');
    assert.deepEqual(said(filed), ['Ticket T-0001 is open. Our team replies within 24 hours.', 'Asante! Thanks for contacting Duka. Karibu tena.']);
    const ticket = backend.requests.find((request) => request.path === '/tickets');
    const ticketBody = ticket?.body as Record<string, unknown> & { variables: Record<string, unknown> };
    assert.deepEqual([ticketBody.order_id, ticketBody.problem, ticketBody.customer], ['1042', 'The box was crushed', 'Sandbox user']);
    assert.deepEqual(ticketBody.message, { type: 'text', text: 'The box was crushed' });
    assert.equal(ticketBody.variables.describe_problem, 'The box was crushed');

    // The flow posts its event without waiting for the answer: wait for the request itself.
    const event = await backend.requestTo('/events');
    const eventBody = event.body as Record<string, unknown>;
    assert.deepEqual([eventBody.event, eventBody.order_id], ['conversation_finished', '1042']);
  });

  it('Duka Support: an order on its way, with "Notify me" posting the default body', async () => {
    const chat = await open(botNamed('Duka Support'));
    await chat.say('track');
    assert.match(said(await chat.say('1043'))[1] ?? '', /^Order #1043 \(Kuku Pilipili \(M\) x1\) is on its way: today 19:30, Mikocheni\./);
    const subscribed = await chat.say('Notify me', 'notify');
    assert.deepEqual(said(subscribed)[0], 'Done: we will message you when the rider is close. 🛵');
    const post = backend.requests.find((request) => request.path === '/orders/1043/subscribe');
    assert.deepEqual((post?.body as { message: unknown }).message, { type: 'text', text: 'Notify me' });
    assert.equal((post?.body as { variables: { order: { status: string } } }).variables.order.status, 'in_transit');
  });

  it('Duka Support: an unknown order, then a question for the LLM agent', async () => {
    const chat = await open(botNamed('Duka Support'));
    await chat.say('Track an order', 'track');
    const missing = await chat.say('9999');
    assert.equal(missing.current_state, 'order_error');
    assert.equal(said(missing)[1], 'Sorry, that did not work. Order 9999 not found. [retry,question]');
    await chat.say('Ask a question', 'question');
    const agent = await chat.say('Do you deliver to Sinza?');
    assert.equal(agent.current_state, 'agent');
    assert.ok((said(agent)[0] ?? '').startsWith("[sandbox: LLM_AGENT 'Duka Support Agent' has no model here]"));
    assert.match(said(agent)[0] ?? '', /Do you deliver to Sinza\?/);
    assert.equal((await chat.say('Main menu', 'menu')).current_state, 'start');
  });

  it('Duka Support: a cancelled order routes through the second CONDITION', async () => {
    const chat = await open(botNamed('Duka Support'));
    await chat.say('oda');
    const reply = await chat.say('1044');
    assert.equal(reply.current_state, 'cancelled_order');
  });
});
