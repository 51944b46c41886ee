// The local sandbox beside the extension host: its own process, and what a chat panel says when
// that process dies (the host starts it again; the panel offers a new session in one click).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SarufiExtensionApi } from '../../../src/extension.js';
import type { OpenedChat } from '../../../src/host/chatPanel.js';
import type { ErrorEntry } from '../../../src/chat/transcript.js';
import { activateExtension, closeAllEditors, panelOf, withTimeout } from '../support.js';

suite('The sandbox in a process of its own', () => {
  let api: SarufiExtensionApi;

  suiteSetup(async () => {
    api = (await activateExtension()).exports as SarufiExtensionApi;
    await vscode.workspace.getConfiguration('sarufi').update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('sarufi').update('environment', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('a sandbox chat runs in another process; when it is killed the panel says so in words, and a new session talks to the restarted sandbox', async () => {
    const pizza = (await api.sandbox.chatbots()).find((bot) => bot.name === 'Pizza Bahari');
    assert.ok(pizza, 'the examples folder has the pizza flow');
    const pid = await api.sandbox.pid();
    assert.ok(pid !== undefined && pid !== process.pid, `the sandbox runs outside the extension host (pid ${pid})`);

    // The command resolves with what it opened, not the panel itself (see OpenedChat).
    const panel = panelOf(api, await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: pizza.id }));
    await panel.waitForEntry((entry) => entry.kind === 'turn');
    assert.equal(panel.transcript.session.status, 'open');
    const before = panel.transcript.entries.length;

    process.kill(pid, 'SIGKILL');
    const notice = (await panel.waitForEntry((entry) => entry.kind === 'error' && /local sandbox stopped/.test(entry.message), 20_000)) as ErrorEntry;
    assert.match(notice.message, /^The local sandbox stopped \(it was stopped by SIGKILL\) and was started again, so this session is gone\. The transcript above is kept; start a new session to go on\.$/);
    assert.equal(notice.remedy, 'new-session');
    assert.ok(panel.transcript.entries.length > before, 'the transcript so far is kept');
    const restartedPid = await api.sandbox.pid();
    assert.ok(restartedPid !== undefined && restartedPid !== pid, 'a new sandbox process runs');

    await withTimeout(panel.restartSession('New session started'), 20_000, 'a new session');
    assert.equal(panel.transcript.session.status, 'open');
    assert.equal(await panel.send('Hours'), true, 'the new session answers');
  });
});
