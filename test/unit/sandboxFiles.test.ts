import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeTime, isValid } from 'ulid';
import type { ChatbotSummary, CreateSessionResponse, Flow, FlowList, Page, SendMessageResponse } from '../../src/sarufi/types.js';
import { STABLE_ID_EPOCH, stableId } from '../../src/sandbox/ids.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { apiFor, chatbotIdOf, makeFlowDir, removeTempDirs, sendJson, startRecordingServer, startTestSandbox, writeFiles } from './sandboxTestKit.js';
import type { Api } from './sandboxTestKit.js';

after(removeTempDirs);

const hello = (text: string, name?: string) => ({ ...(name ? { name } : {}), states: { s: { message: text } } });

async function greeting(api: Api, chatbotId: string): Promise<unknown> {
  const response = await api('POST', `/chatbots/${chatbotId}/chat/sessions`);
  assert.equal(response.status, 201, response.text);
  return (response.body as CreateSessionResponse).messages;
}

describe('sandbox flow files', () => {
  it('derives ULID-shaped ids from the path relative to the flow folder, the same on every run', () => {
    const id = stableId('chatbot', 'pizza-order.flow.json');
    assert.equal(id, '01HK153X00RKQTSNXT6HNY7PQ3', 'pinned: saved transcripts refer to it');
    assert.ok(isValid(id));
    assert.equal(decodeTime(id), STABLE_ID_EPOCH);
    assert.notEqual(stableId('flow', 'pizza-order.flow.json'), id);
    assert.notEqual(stableId('chatbot', 'sub/pizza-order.flow.json'), id);
  });

  it('keeps chatbot and flow ids across restarts', async () => {
    const dir = await makeFlowDir({ 'a.flow.json': hello('A'), 'deep/b.flow.json': hello('B') });
    const idsOfRun = async () => {
      const sandbox = await startSandbox({ flowDirs: [dir] });
      try {
        const api = apiFor(sandbox.baseUrl, sandbox.apiKey);
        const bots = ((await api('GET', '/chatbots')).body as Page<ChatbotSummary>).items;
        const flows = await Promise.all(bots.map(async (bot) => ((await api('GET', `/chatbots/${bot.id}/flows`)).body as FlowList).items[0]?.id));
        return { bots: bots.map((bot) => bot.id), flows };
      } finally {
        await sandbox.close();
      }
    };
    const first = await idsOfRun();
    const second = await idsOfRun();
    assert.equal(first.bots.length, 2);
    assert.deepEqual(second, first);
    assert.equal(first.bots[0], stableId('chatbot', 'a.flow.json'));
    assert.equal(first.bots[1], stableId('chatbot', 'deep/b.flow.json'));
  });

  it('picks up an edited file at once; running sessions keep the flow they started with', async () => {
    const t = await startTestSandbox({ 'bot.flow.json': { name: 'Old', states: { s: { message: 'Old', transitions: { default: 's' } } } } });
    try {
      const id = chatbotIdOf(t.sandbox, 'bot.flow.json');
      const running = (await t.api('POST', `/chatbots/${id}/chat/sessions`)).body as CreateSessionResponse;
      await writeFiles(t.dir, { 'bot.flow.json': { name: 'New name', states: { s: { message: 'New greeting', transitions: { default: 's' } } } } });
      assert.equal(((await t.api('GET', `/chatbots/${id}`)).body as { name: string }).name, 'New name');
      assert.deepEqual(await greeting(t.api, id), [{ type: 'text', text: 'New greeting' }]);
      const reply = (await t.api('POST', `/chatbots/${id}/chat/sessions/${running.session_id}/messages`, { body: { message: 'x' } })).body as SendMessageResponse;
      assert.deepEqual(reply.messages, [{ type: 'text', text: 'Old' }]);
    } finally {
      await t.close();
    }
  });

  it('an edit that breaks the flow unpublishes it (400 with the reason) until it is fixed', async () => {
    const t = await startTestSandbox({ 'bot.flow.json': hello('Fine') });
    try {
      const id = chatbotIdOf(t.sandbox, 'bot.flow.json');
      await writeFiles(t.dir, { 'bot.flow.json': '{"s": {"message": "oops", "transitions": {"default": "gone"}}}' });
      const refused = await t.api('POST', `/chatbots/${id}/chat/sessions`);
      assert.equal(refused.status, 400);
      assert.match(String((refused.body as { detail: string }).detail), /Unknown state 'gone'/);
      assert.equal(((await t.api('GET', `/chatbots/${id}/flows`)).body as FlowList).items[0]?.status, 'draft');
      assert.match(t.sandbox.chatbots()[0]?.problem ?? '', /bot\.flow\.json has errors/);
      await writeFiles(t.dir, { 'bot.flow.json': hello('Fixed!') });
      assert.deepEqual(await greeting(t.api, id), [{ type: 'text', text: 'Fixed!' }]);
    } finally {
      await t.close();
    }
  });

  it('reload() finds new files and forgets deleted ones', async () => {
    const t = await startTestSandbox({ 'a.flow.json': hello('A') });
    try {
      await writeFiles(t.dir, { 'b.flow.json': hello('B') });
      await rm(join(t.dir, 'a.flow.json'));
      await t.sandbox.reload();
      assert.deepEqual(t.sandbox.chatbots().map((bot) => bot.name), ['b']);
      assert.equal((await t.api('GET', `/chatbots/${stableId('chatbot', 'a.flow.json')}`)).status, 404);
    } finally {
      await t.close();
    }
  });

  it('skips node_modules and dot-folders, and files not named *.flow.json', async () => {
    const t = await startTestSandbox({
      'ok.flow.json': hello('ok'),
      'node_modules/pkg/x.flow.json': hello('no'),
      '.git/y.flow.json': hello('no'),
      'sub/.hidden/z.flow.json': hello('no'),
      'sub/kept.flow.json': hello('kept'),
      'flow.json': hello('no'),
      'other.json': hello('no'),
    });
    try {
      const found = t.sandbox.chatbots().map((bot) => bot.file?.slice(t.dir.length + 1));
      assert.deepEqual(found.sort(), ['ok.flow.json', 'sub/kept.flow.json']);
    } finally {
      await t.close();
    }
  });

  it('the disk wins over API edits of a file flow; a deleted file chatbot returns on reload()', async () => {
    const t = await startTestSandbox({ 'bot.flow.json': hello('Disk') });
    try {
      const id = chatbotIdOf(t.sandbox, 'bot.flow.json');
      const flowId = stableId('flow', 'bot.flow.json');
      await t.api('PATCH', `/chatbots/${id}/flows/${flowId}`, { body: { flow: hello('Memory') } });
      assert.deepEqual(((await t.api('GET', `/chatbots/${id}/flows/${flowId}`)).body as Flow).flow, hello('Memory'));
      assert.deepEqual(await greeting(t.api, id), [{ type: 'text', text: 'Disk' }], 'PATCH alone does not change the live flow');
      await writeFiles(t.dir, { 'bot.flow.json': hello('Disk 2') });
      assert.deepEqual(((await t.api('GET', `/chatbots/${id}/flows/${flowId}`)).body as Flow).flow, hello('Disk 2'));

      assert.equal((await t.api('DELETE', `/chatbots/${id}`)).status, 204);
      assert.equal((await t.api('GET', `/chatbots/${id}`)).status, 404);
      await t.sandbox.reload();
      assert.equal((await t.api('GET', `/chatbots/${id}`)).status, 200);
    } finally {
      await t.close();
    }
  });

  it('skips a second folder\'s file with the same relative path, and logs it', async () => {
    const first = await makeFlowDir({ 'same.flow.json': hello('first') });
    const second = await makeFlowDir({ 'same.flow.json': hello('second') });
    const logs: string[] = [];
    const sandbox = await startSandbox({ flowDirs: [first, second], log: (line) => logs.push(line) });
    try {
      assert.equal(sandbox.chatbots().length, 1);
      assert.deepEqual(await greeting(apiFor(sandbox.baseUrl, sandbox.apiKey), sandbox.chatbots()[0]?.id ?? ''), [{ type: 'text', text: 'first' }]);
      assert.ok(logs.some((line) => line.startsWith(`Skipped ${join(second, 'same.flow.json')}`)));
    } finally {
      await sandbox.close();
    }
  });
});

describe('sandbox integrations', () => {
  const callingFlow = {
    states: {
      s: {
        actions: [{ type: 'API_CALL', integration: 'svc', path: '/who', save_to: 'who', success_transition: 'ok', failure_transition: 'ko' }],
      },
      ok: { message: 'Reached {{variables.who.name}}' },
      ko: { message: 'Failed' },
    },
  };

  it('reads base URLs from sarufi.sandbox.json, and options override it', async () => {
    const a = await startRecordingServer((_request, response) => sendJson(response, 200, { name: 'A' }));
    const b = await startRecordingServer((_request, response) => sendJson(response, 200, { name: 'B' }));
    try {
      const files = { 'call.flow.json': callingFlow, 'sarufi.sandbox.json': { integrations: { svc: { baseUrl: a.url } } } };
      const fromConfig = await startTestSandbox(files);
      try {
        assert.deepEqual(await greeting(fromConfig.api, chatbotIdOf(fromConfig.sandbox, 'call.flow.json')), [{ type: 'text', text: 'Reached A' }]);
        assert.equal(a.requests[0]?.path, '/who');
      } finally {
        await fromConfig.close();
      }
      const overridden = await startTestSandbox(files, { integrations: { svc: { baseUrl: b.url } } });
      try {
        assert.deepEqual(await greeting(overridden.api, chatbotIdOf(overridden.sandbox, 'call.flow.json')), [{ type: 'text', text: 'Reached B' }]);
        assert.equal(b.requests.length, 1);
        assert.equal(b.requests[0]?.headers['x-sarufi-channel'], 'api');
      } finally {
        await overridden.close();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('finds sarufi.sandbox.json in subfolders too (a workspace root as flow folder); the deeper file wins', async () => {
    const a = await startRecordingServer((_request, response) => sendJson(response, 200, { name: 'A' }));
    const b = await startRecordingServer((_request, response) => sendJson(response, 200, { name: 'B' }));
    try {
      const t = await startTestSandbox({
        'sarufi.sandbox.json': { integrations: { svc: { baseUrl: a.url }, other: { baseUrl: a.url } } },
        'bots/sarufi.sandbox.json': { integrations: { svc: { base_url: b.url } } },
        'bots/call.flow.json': callingFlow,
        'node_modules/x/sarufi.sandbox.json': { integrations: { svc: { baseUrl: 'http://127.0.0.1:1' } } },
      });
      try {
        assert.deepEqual(await greeting(t.api, chatbotIdOf(t.sandbox, 'call.flow.json')), [{ type: 'text', text: 'Reached B' }]);
      } finally {
        await t.close();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('logs a broken sarufi.sandbox.json and warns about the missing integration on validate', async () => {
    const t = await startTestSandbox({ 'call.flow.json': callingFlow, 'sarufi.sandbox.json': '{ not json' });
    try {
      await t.sandbox.reload();
      await t.sandbox.reload();
      assert.equal(t.logs.filter((line) => /sarufi\.sandbox\.json: not JSON/.test(line)).length, 1, 'logged once, not on every walk');
      const id = chatbotIdOf(t.sandbox, 'call.flow.json');
      const result = (await t.api('POST', `/chatbots/${id}/flows/${stableId('flow', 'call.flow.json')}/validate`)).body as { warnings: { path: string }[] };
      assert.deepEqual(result.warnings.map((warning) => warning.path), ['states.s.actions[0].integration']);
      assert.deepEqual(await greeting(t.api, id), [{ type: 'text', text: 'Failed' }]);
    } finally {
      await t.close();
    }
  });
});

describe('sandbox lifecycle', () => {
  it('close() ends the server even with keep-alive connections, and can be called twice', async () => {
    const dir = await makeFlowDir({ 'a.flow.json': hello('A') });
    const sandbox = await startSandbox({ flowDirs: [dir], port: 0 });
    await fetch(`${sandbox.baseUrl}/me`);
    await sandbox.close();
    await sandbox.close();
    await assert.rejects(fetch(`${sandbox.baseUrl}/me`));
  });

  it('reports a port that is taken', async () => {
    const dir = await makeFlowDir({});
    const first = await startSandbox({ flowDirs: [dir] });
    try {
      await assert.rejects(startSandbox({ flowDirs: [dir], port: first.port }), /EADDRINUSE/);
    } finally {
      await first.close();
    }
  });

  it('starts with a missing flow folder (no chatbots) rather than failing', async () => {
    const sandbox = await startSandbox({ flowDirs: [join(await makeFlowDir({}), 'does-not-exist')] });
    try {
      assert.deepEqual(sandbox.chatbots(), []);
    } finally {
      await sandbox.close();
    }
  });
});

