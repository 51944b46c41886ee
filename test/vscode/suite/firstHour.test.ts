// What a new author meets in the first hour with the local sandbox, in a real VS Code: the
// Workspace view tells the sandbox's address and key, the address survives a restart, and Copy
// as curl gives a command that works as pasted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { TurnEntry } from '../../../src/chat/transcript.js';
import type { SarufiExtensionApi } from '../../../src/extension.js';
import type { OpenedChat } from '../../../src/host/chatPanel.js';
import { OPEN_PANELS_KEY } from '../../../src/host/chatPanels.js';
import { closeAllEditors, extensionApi, panelOf, waitFor, withTimeout } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

suite('The first hour with the local sandbox', () => {
  let api: SarufiExtensionApi;

  suiteSetup(async () => {
    api = await extensionApi();
    await vscode.workspace.getConfiguration('sarufi').update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('sarufi').update('environment', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('the Workspace view shows the sandbox URL and key whole, and whether Sarufi has a key, with Set API Key; no "Workspace: Local sandbox sandbox"', async () => {
    const { baseUrl, apiKey } = await api.sandbox.ensure();
    const items = await api.views.workspace.getChildren();
    const labels = items.map(labelOf);
    const url = items.find((item) => labelOf(item) === 'Sandbox URL');
    const key = items.find((item) => labelOf(item) === 'Sandbox key');
    assert.equal(url?.description, baseUrl, labels.join(' | '));
    assert.equal(key?.description, apiKey);
    assert.equal(url?.command?.command, 'sarufi.copyValue', 'a click copies the URL');
    assert.deepEqual(url?.command?.arguments, [baseUrl, 'Sandbox URL']);
    const sarufi = items.find((item) => labelOf(item) === 'Sarufi: no API key');
    assert.equal(sarufi?.command?.command, 'sarufi.setApiKey', 'the row without a key leads to Set API Key');
    assert.equal(sarufi?.contextValue, 'noApiKey');
    assert.ok(!labels.some((label) => label.startsWith('Workspace:')), labels.join(' | '));
  });

  test('the local sandbox keeps its port and key when it starts again, so a copied address keeps working', async () => {
    const before = await api.sandbox.ensure();
    const pid = await api.sandbox.pid();
    await api.sandbox.restart();
    const after = await api.sandbox.ensure();
    assert.notEqual(await api.sandbox.pid(), pid, 'a new process');
    assert.deepEqual(after, before);
  });

  test('Copy as curl of a sandbox chat carries the sandbox key, and the command answers as pasted into a shell', async () => {
    const chatbots = await api.sandbox.chatbots();
    const pizza = chatbots.find((bot) => bot.name === 'Pizza Bahari');
    assert.ok(pizza);
    const opened = await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: pizza.id });
    const panel = panelOf(api, opened);
    await withTimeout(panel.whenReady(), 20_000, 'the chat page to say ready');
    await panel.waitForEntry((entry) => entry.kind === 'turn');
    assert.equal(await panel.send('Agiza / Order', 'order'), true);
    const turn = panel.transcript.entries.at(-1) as TurnEntry;
    const curl = await panel.curlCommand(turn.id);
    assert.ok(curl?.withSandboxKey);
    const { apiKey } = await api.sandbox.ensure();
    assert.ok(curl.command.includes(`Authorization: Bearer ${apiKey}`), curl.command);
    assert.ok(!curl.command.includes('$SARUFI_API_KEY'));
    // Pasted as it is: the same button again, in the same session.
    const answer = JSON.parse(execFileSync('sh', ['-c', `${curl.command} --silent --show-error`], { encoding: 'utf8', timeout: 15_000 })) as { current_state?: string };
    assert.equal(answer.current_state, turn.currentState);
  });

  test('tabs say what each panel is: a preview, a fork by its turn, and after Persona… a chat as that persona', async () => {
    const panel = api.panels.all().at(-1);
    assert.ok(panel);
    const turn = panel.transcript.entries.at(-1) as TurnEntry;
    const fork = api.panels.fork(panel, turn.id);
    assert.equal(fork.panel.title, 'Pizza Bahari (fork of turn 1)');
    await withTimeout(fork.whenReady(), 20_000, 'the fork to say ready');
    await fork.setPersona({ contactName: 'Asha' });
    await waitFor(() => fork.panel.title === 'Pizza Bahari as Asha', `the fork's tab to name the persona's chat, not the fork (it reads "${fork.panel.title}")`);
    assert.equal(fork.transcript.origin?.kind, 'chat');

    const opened = await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.previewFlow', vscode.Uri.file(`${EXAMPLES}/pizza-order.flow.json`));
    assert.equal(panelOf(api, opened).panel.title, 'Preview: Pizza Bahari');
  });

  test("Open Flow on a sandbox chatbot's flow opens the workspace file itself, with no Validate on Sarufi or Publish", async () => {
    const chatbots = await api.views.chatbots.getChildren();
    const pizza = chatbots.find((node) => node.kind === 'chatbot' && node.chatbot.name === 'Pizza Bahari');
    assert.ok(pizza);
    const flow = (await api.views.chatbots.getChildren(pizza)).find((node) => node.kind === 'flow');
    assert.ok(flow);
    const item = api.views.chatbots.getTreeItem(flow);
    assert.equal(item.contextValue, 'sandboxFlow', 'not flow.published: the Sarufi-only actions are not offered');
    assert.equal(item.description, 'workspace file');
    assert.ok(item.command);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(item.command.command, ...(item.command.arguments ?? []));
    assert.equal(editor?.document.uri.scheme, 'file');
    assert.equal(editor?.document.uri.fsPath, vscode.Uri.file(`${EXAMPLES}/pizza-order.flow.json`).fsPath);
  });

  test('the words say what happened and offer the next step: Clear API Key with none stored, Export Bug Report with no chat (Start Chat), an exported transcript (Open)', async () => {
    const window = vscode.window as { showInformationMessage: (...args: unknown[]) => Thenable<unknown>; showSaveDialog: (...args: unknown[]) => Thenable<unknown> };
    const shown: { message: string; items: unknown[] }[] = [];
    const realInfo = window.showInformationMessage;
    const realSave = window.showSaveDialog;
    // The extension calls the same API object: its notifications are recorded here, and answered with nothing.
    window.showInformationMessage = (message: unknown, ...items: unknown[]) => {
      shown.push({ message: String(message), items });
      return Promise.resolve(undefined);
    };
    const target = vscode.Uri.joinPath(vscode.Uri.file(EXAMPLES), `tmp-first-hour-${process.pid}.md`);
    window.showSaveDialog = () => Promise.resolve(target);
    try {
      assert.equal(await vscode.commands.executeCommand('sarufi.clearApiKey'), false);
      assert.match(shown.at(-1)?.message ?? '', /^No API key is stored for .*: there was nothing to clear\.$/);

      await closeAllEditors();
      await waitFor(() => api.panels.all().length === 0, 'every chat panel to close');
      await vscode.commands.executeCommand('sarufi.exportBugReport');
      assert.equal(shown.at(-1)?.message, 'Open a chat first: a bug report is made from a chat panel.');
      assert.deepEqual(shown.at(-1)?.items, ['Start Chat']);

      const chatbots = await api.sandbox.chatbots();
      const pizza = chatbots.find((bot) => bot.name === 'Pizza Bahari');
      assert.ok(pizza);
      const panel = panelOf(api, await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: pizza.id }));
      await panel.waitForEntry((entry) => entry.kind === 'turn');
      await panel.exportTranscript('markdown');
      assert.match(shown.at(-1)?.message ?? '', /^Transcript exported to .*tmp-first-hour-\d+\.md\.$/);
      assert.deepEqual(shown.at(-1)?.items, ['Open']);
    } finally {
      window.showInformationMessage = realInfo;
      window.showSaveDialog = realSave;
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    }
  });

  test('a chat panel open before a reload that VS Code did not bring back is opened again, and its chat goes on from where it stood', async () => {
    // Alone on screen: other panels' view changes rewrite the list of open panels.
    await closeAllEditors();
    await waitFor(() => api.panels.all().length === 0, 'every chat panel to close');
    const chatbots = await api.sandbox.chatbots();
    const pizza = chatbots.find((bot) => bot.name === 'Pizza Bahari');
    assert.ok(pizza);
    const panel = panelOf(api, await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: pizza.id }));
    await panel.waitForEntry((entry) => entry.kind === 'turn');
    assert.equal(await panel.send('Agiza / Order', 'order'), true);
    await api.store.flush();
    const { panelId } = panel;
    const entries = panel.transcript.entries.length;
    // The window went away with the panel open, and the browser's workbench had not saved it.
    panel.panel.dispose();
    await waitFor(() => api.panels.get(panelId) === undefined, 'the panel to close');
    await api.sandbox.restart();
    await api.workspaceState.update(OPEN_PANELS_KEY, [{ panelId, viewColumn: vscode.ViewColumn.One }]);

    await api.panels.restoreMissing();
    const reopened = api.panels.get(panelId);
    assert.ok(reopened, `the panel is open again (remembered: ${JSON.stringify(api.workspaceState.get(OPEN_PANELS_KEY))}, stored: ${(await api.store.load(panelId)) !== undefined})`);
    assert.equal(reopened.panel.title, 'Pizza Bahari');
    await waitFor(() => reopened.transcript.entries.some((entry, index) => index >= entries && entry.kind === 'divider'), 'the chat to go on in a new session');
    const notice = reopened.transcript.entries.find((entry, index) => index >= entries && entry.kind === 'divider');
    assert.match(notice?.kind === 'divider' ? notice.text : '', /this chat goes on in a new session from 'choose_pizza'/);
    await waitFor(() => reopened.transcript.session.status === 'open', 'the new session');
    assert.equal(await reopened.send('Margherita', 'margherita'), true);
    assert.equal((reopened.transcript.entries.at(-1) as TurnEntry).currentState, 'choose_size');
  });
});
