import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { forkSandbox } from '../../src/sandbox/sandboxProcess.js';
import { apiFor, makeFlowDir, removeTempDirs } from './sandboxTestKit.js';

after(removeTempDirs);

const helloFlow = { states: { start: { message: 'Hello from a child process', transitions: { default: 'start' } } } };

describe('sandbox process', () => {
  it('serves the Chat API from a child process of its own, and close() ends that process', async () => {
    const dir = await makeFlowDir({ 'hello.flow.json': helloFlow });
    const sandbox = await forkSandbox({ flowDirs: [dir] });
    const pid = sandbox.pid;
    assert.ok(pid !== undefined && pid !== process.pid);
    const chatbot = sandbox.chatbots().find((candidate) => candidate.file?.endsWith('hello.flow.json'));
    assert.ok(chatbot);
    const created = await apiFor(sandbox.baseUrl, sandbox.apiKey)('POST', `/chatbots/${chatbot.id}/chat/sessions`, { body: {} });
    assert.equal(created.status, 201);
    assert.deepEqual((created.body as { messages: unknown[] }).messages, [{ type: 'text', text: 'Hello from a child process' }]);

    await sandbox.close();
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  });

  it('reports an exit it did not ask for, with the signal that ended the process', async () => {
    const dir = await makeFlowDir({ 'hello.flow.json': helloFlow });
    const sandbox = await forkSandbox({ flowDirs: [dir] });
    const reason = new Promise<string>((resolve) => sandbox.onUnexpectedExit(resolve));
    process.kill(sandbox.pid ?? 0, 'SIGKILL');
    assert.equal(await reason, 'it was stopped by SIGKILL');
    await sandbox.close();
  });

  it('reload() brings the chatbots of a flow file written after the start', async () => {
    const dir = await makeFlowDir({ 'hello.flow.json': helloFlow });
    const sandbox = await forkSandbox({ flowDirs: [dir] });
    try {
      await writeFile(join(dir, 'later.flow.json'), JSON.stringify(helloFlow));
      await sandbox.reload();
      assert.ok(sandbox.chatbots().some((chatbot) => chatbot.file?.endsWith('later.flow.json')));
    } finally {
      await sandbox.close();
    }
  });
});
