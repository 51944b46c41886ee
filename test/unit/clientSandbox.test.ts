// The client against the project's own local sandbox (src/sandbox): every answer the sandbox gives
// reads without a shape error, a button click goes through, and with rate limits on at both ends
// no 429 reaches the caller.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SarufiClient } from '../../src/sarufi/client.js';
import type { Exchange } from '../../src/sarufi/exchange.js';
import { startSandbox } from '../../src/sandbox/server.js';

const FLOW = {
  name: 'Contract bot',
  description: 'A two-state flow for the client tests',
  greet: {
    initial: true,
    message: { type: 'buttons', text: 'Pick one', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] },
    transitions: { buttons: { yes: 'done', no: 'done' }, default: 'greet' },
  },
  done: { message: 'Thanks!', transitions: { default: 'greet' } },
};

describe('SarufiClient against the local sandbox', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sarufi-client-'));
    await writeFile(path.join(dir, 'contract.flow.json'), JSON.stringify(FLOW));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads every kind of answer the sandbox gives', async () => {
    const sandbox = await startSandbox({ flowDirs: [dir] });
    try {
      const client = new SarufiClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey });
      assert.equal(client.rateLimit, undefined, 'loopback: no pacing by default');
      const me = await client.me();
      assert.equal(typeof me.workspace.name, 'string');
      const bots: string[] = [];
      for await (const bot of client.allChatbots()) {
        bots.push(bot.name);
      }
      assert.deepEqual(bots, ['Contract bot']);
      const botId = (await client.listChatbots()).items[0].id;
      await client.getChatbot(botId);
      await client.getChatbotStats(botId);
      const flows = await client.listFlows(botId);
      const flowId = flows.items[0].id;
      await client.getFlow(botId, flowId);
      assert.equal(typeof (await client.validateFlow(botId, flowId)).valid, 'boolean');

      const created = await client.createSession(botId);
      assert.equal(created.messages[0].type, 'buttons');
      const answer = await client.sendMessage(botId, created.session_id, { message: 'Yes', button_id: 'yes' });
      assert.equal(answer.current_state, 'done');
      assert.deepEqual(answer.messages[0], { type: 'text', text: 'Thanks!' });

      const conversations = await client.listConversations(botId, { channel: 'api' });
      assert.ok(conversations.conversations.length >= 1);
      const conversationId = conversations.conversations[0].id;
      await client.getConversation(botId, conversationId);
      const messages: string[] = [];
      for await (const message of client.allConversationMessages(botId, conversationId)) {
        messages.push(message.id);
      }
      assert.ok(messages.length >= 1);

      await assert.rejects(client.sendMessage(botId, 'no-such-session', { message: 'hi' }), { kind: 'session-closed' });
      const wrongKey = new SarufiClient({ baseUrl: sandbox.baseUrl, apiKey: 'sk-not-the-sandbox-key' });
      await assert.rejects(wrongKey.me(), { kind: 'auth', status: 401 });
    } finally {
      await sandbox.close();
    }
  });

  it('with the sandbox enforcing the limits and the client pacing, no 429 reaches the caller', async () => {
    const sandbox = await startSandbox({ flowDirs: [dir], rateLimits: true });
    try {
      const exchanges: Exchange[] = [];
      const client = new SarufiClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, rateLimit: true, onExchange: (e) => exchanges.push(e) });
      const botId = sandbox.chatbots()[0].id;
      // Two reads and two writes: the second of each kind has to wait for its slot.
      const [, bots, created] = await Promise.all([client.me(), client.listChatbots(), client.createSession(botId)]);
      assert.equal(bots.items[0].id, botId);
      const answer = await client.sendMessage(botId, created.session_id, { message: 'No', button_id: 'no' });
      assert.equal(answer.current_state, 'done');
      const statuses = exchanges.map((e) => e.status);
      assert.equal(statuses.filter((s) => s === 429).length, 0, `statuses: ${statuses.join(', ')}`);
    } finally {
      await sandbox.close();
    }
  });
});
