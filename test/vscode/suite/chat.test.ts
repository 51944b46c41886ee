// The chat panel inside a real VS Code, against a real sandbox on loopback: the key set by
// argument, a chat started by argument, a turn, and a panel brought back by the serializer.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SANDBOX_API_KEY } from '../../../src/sandbox/sandboxKeys.js';
import { startSandbox } from '../../../src/sandbox/server.js';
import type { RunningSandbox } from '../../../src/sandbox/server.js';
import type { SarufiExtensionApi } from '../../../src/extension.js';
import type { OpenedChat } from '../../../src/host/chatPanel.js';
import type { TurnEntry } from '../../../src/chat/transcript.js';
import { disconnectCustomServer, extensionApi, panelOf, waitFor, withTimeout } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

suite('Chat panel against the sandbox', () => {
  let sandbox: RunningSandbox;
  let api: SarufiExtensionApi;
  let pizzaId: string;

  suiteSetup(async () => {
    sandbox = await startSandbox({ flowDirs: [EXAMPLES], apiKey: 'sk-test-vscode-5d1e9a' });
    const pizza = sandbox.chatbots().find((bot) => bot.name === 'Pizza Bahari');
    assert.ok(pizza, `the examples folder has the pizza flow; found ${sandbox.chatbots().map((b) => b.name).join(', ')}`);
    pizzaId = pizza.id;
    api = await extensionApi();
    const config = vscode.workspace.getConfiguration('sarufi');
    await config.update('customBaseUrl', sandbox.baseUrl, vscode.ConfigurationTarget.Global);
    await config.update('environment', 'custom', vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await disconnectCustomServer();
    await sandbox.close();
  });

  test('a rejected key is not stored', async () => {
    const workspace = await vscode.commands.executeCommand('sarufi.setApiKey', 'sk-wrong-key-0000');
    assert.equal(workspace, undefined);
  });

  test('Set API Key by argument checks the key with GET /me and names the workspace', async () => {
    const workspace = await vscode.commands.executeCommand<{ name: string } | undefined>('sarufi.setApiKey', 'sk-test-vscode-5d1e9a');
    assert.equal(workspace?.name, 'Local sandbox');
  });

  test('Start Chat by argument opens the chatbot on a new session with its greeting', async () => {
    const opened = await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: pizzaId });
    const panel = panelOf(api, opened);
    await withTimeout(panel.whenReady(), 20_000, 'the chat page to say ready');
    const greeting = (await panel.waitForEntry((entry) => entry.kind === 'turn')) as TurnEntry;
    assert.equal(panel.transcript.session.status, 'open');
    assert.ok(greeting.messages.some((m) => m.type === 'image'), 'the greeting shows the storefront image');
    assert.equal(panel.panel.title, 'Pizza Bahari');
  });

  test('a page that never says ready when shown again is loaded again by the panel, and the chat goes on', async () => {
    const panel = api.panels.all().at(-1);
    assert.ok(panel);
    await withTimeout(panel.whenReady(), 20_000, 'the chat page to say ready');
    const entries = panel.transcript.entries.length;
    // A page whose script never runs, as when its bundle failed to load: it will not say ready.
    panel.panel.webview.html = '<!DOCTYPE html><html><body><p>no script</p></body></html>';
    const other = await vscode.workspace.openTextDocument(vscode.Uri.file(`${EXAMPLES}/pizza-order.flow.json`));
    await vscode.window.showTextDocument(other, { viewColumn: panel.panel.viewColumn, preview: false });
    await waitFor(() => !panel.panel.visible, 'the chat panel to be hidden behind the file');
    panel.reveal();
    await withTimeout(panel.whenReady(), 25_000, 'the panel to load its page again after the wait');
    assert.equal(panel.transcript.entries.length, entries, 'the transcript is as it was');
    const fileTabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.fsPath === other.uri.fsPath);
    await vscode.window.tabGroups.close(fileTabs);
  });

  test('sending a button reply (as its click does) is one turn with current_state, and the key is nowhere in the transcript', async () => {
    const panel = api.panels.all().at(-1);
    assert.ok(panel);
    assert.equal(await panel.send('Agiza / Order', 'order'), true);
    const turn = panel.transcript.entries.at(-1) as TurnEntry;
    assert.equal(turn.currentState, 'choose_pizza');
    assert.equal(turn.exchange.status, 200);
    assert.deepEqual(turn.exchange.requestBody, { message: 'Agiza / Order', message_type: 'button', button_id: 'order' });
    assert.ok(turn.messages.some((m) => m.type === 'list'));
    assert.deepEqual(panel.transcript.session.trail, ['main_menu', 'choose_pizza'], "the greeting's state (from the sandbox's trace), then the reply's");
    const stored = JSON.stringify(panel.transcript);
    assert.ok(!stored.includes('sk-test-vscode-5d1e9a'), 'the key never reaches a transcript');
    assert.ok(!stored.includes(SANDBOX_API_KEY));
  });

  test('the serializer brings a panel back with its transcript', async () => {
    const original = api.panels.all().at(-1);
    assert.ok(original);
    const entries = original.transcript.entries.length;
    const panelId = original.panelId;
    original.panel.dispose();
    // What VS Code does after a reload: a fresh webview panel of our type, with the page's state.
    const webview = vscode.window.createWebviewPanel('sarufi.chat', 'restored', vscode.ViewColumn.Active, { enableScripts: true });
    await api.panels.deserializeWebviewPanel(webview, { panelId, draft: '', history: [], pendingSends: [], nextRequestId: 1 });
    const revived = api.panels.get(panelId);
    assert.ok(revived, 'the panel is tracked again under its id');
    await withTimeout(revived.whenReady(), 20_000, 'the restored page to say ready');
    assert.equal(revived.transcript.entries.length, entries);
    assert.equal(await revived.send('Hours'), true, 'the restored session goes on');
  });
});
