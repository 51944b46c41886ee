// The local sandbox beside the extension host: its own process, and what a chat panel says when
// that process dies (the host starts it again; the chat goes on in a new session where it stood).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SarufiExtensionApi } from '../../../src/extension.js';
import type { OpenedChat } from '../../../src/host/chatPanel.js';
import type { DividerEntry, TurnEntry } from '../../../src/chat/transcript.js';
import { closeAllEditors, extensionApi, panelOf, waitFor } from '../support.js';

suite('The sandbox in a process of its own', () => {
  let api: SarufiExtensionApi;

  suiteSetup(async () => {
    api = await extensionApi();
    await vscode.workspace.getConfiguration('sarufi').update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('sarufi').update('environment', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('a sandbox chat runs in another process; when it is killed the chat goes on in a new session of the restarted sandbox, from where it stood, and says so in one line', async () => {
    const pizza = (await api.sandbox.chatbots()).find((bot) => bot.name === 'Pizza Bahari');
    assert.ok(pizza, 'the examples folder has the pizza flow');
    const pid = await api.sandbox.pid();
    assert.ok(pid !== undefined && pid !== process.pid, `the sandbox runs outside the extension host (pid ${pid})`);

    // The command returns plain data (panel id, chatbot); the test-mode exports hold the live panel.
    const panel = panelOf(api, await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: pizza.id }));
    await panel.waitForEntry((entry) => entry.kind === 'turn');
    assert.equal(await panel.send('Agiza / Order', 'order'), true);
    assert.equal(panel.transcript.session.status, 'open');
    const before = panel.transcript.entries.length;
    const sessionBefore = panel.transcript.session.sessionId;

    process.kill(pid, 'SIGKILL');
    const notice = (await panel.waitForEntry((entry) => entry.kind === 'divider' && /local sandbox stopped/.test(entry.text), 20_000)) as DividerEntry;
    assert.equal(
      notice.text,
      "The local sandbox stopped (it was stopped by SIGKILL) and was started again, so its session was lost: this chat goes on in a new session from 'choose_pizza', with its variables.",
    );
    assert.ok(panel.transcript.entries.length > before, 'the transcript so far is kept');
    const restartedPid = await api.sandbox.pid();
    assert.ok(restartedPid !== undefined && restartedPid !== pid, 'a new sandbox process runs');
    await waitFor(() => panel.transcript.session.status === 'open' && panel.transcript.session.sessionId !== sessionBefore, 'the new session');
    // The pizza list of the turn before the crash: the new session stands in choose_pizza.
    assert.equal(await panel.send('Margherita', 'margherita'), true, 'the new session answers');
    assert.equal((panel.transcript.entries.at(-1) as TurnEntry).currentState, 'choose_size');
  });
});
