// The Sarufi side panel in a real VS Code, filled from a sandbox on loopback: the views are
// contributed, list the workspace, chatbots with flows and stats, sessions and history, and a
// refresh inside the cache's lifetime asks the server nothing.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox } from '../../../src/sandbox/server.js';
import type { RunningSandbox } from '../../../src/sandbox/server.js';
import type { SarufiExtensionApi } from '../../../src/extension.js';
import type { OpenedChat } from '../../../src/host/chatPanel.js';
import type { ChatbotNode } from '../../../src/host/views/chatbotsView.js';
import type { HistoryNode } from '../../../src/host/views/historyView.js';
import { activateExtension, connectCustomServer, disconnectCustomServer, extensionApi, panelOf, withTimeout } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const KEY = 'sk-test-views-44e1b2';

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

suite('Side panel views against the sandbox', () => {
  let sandbox: RunningSandbox;
  let api: SarufiExtensionApi;
  const requests: string[] = [];

  suiteSetup(async () => {
    sandbox = await startSandbox({ flowDirs: [EXAMPLES], apiKey: KEY, log: (line) => requests.push(line) });
    api = await extensionApi();
    await connectCustomServer(sandbox.baseUrl, KEY);
  });

  suiteTeardown(async () => {
    await disconnectCustomServer();
    await sandbox.close();
  });

  test('the four views are contributed to the Sarufi container', async () => {
    const extension = await activateExtension();
    const manifest = extension.packageJSON as { contributes: { views: Record<string, { id: string }[]> } };
    assert.deepEqual(
      manifest.contributes.views['sarufi']?.map((view) => view.id),
      ['sarufi.workspace', 'sarufi.chatbots', 'sarufi.sessions', 'sarufi.history'],
    );
  });

  test('Workspace shows the environment, the workspace from GET /me, and the key', async () => {
    const items = await api.views.workspace.getChildren();
    const labels = items.map(label);
    assert.ok(labels[0]?.startsWith('Environment: Custom server'), labels.join(' | '));
    assert.ok(labels.includes('Workspace: Local sandbox'), labels.join(' | '));
    assert.ok(labels.includes('API key: set'), labels.join(' | '));
    assert.ok(!JSON.stringify(items.map((item) => [item.label, item.description, item.tooltip])).includes(KEY), 'the key is never shown');
  });

  test('a key written straight to SecretStorage (as another window would) refreshes the Workspace view', async () => {
    assert.equal(await vscode.commands.executeCommand('sarufi.clearApiKey'), true, 'a stored key is cleared');
    assert.equal(await vscode.commands.executeCommand('sarufi.clearApiKey'), false, 'a second Clear finds no key (and says so, not "was removed")');
    assert.deepEqual(await api.views.workspace.getChildren(), [], 'with no key the view is empty and shows its welcome content');
    // Let the refreshes that clearing caused die down, so that the one awaited below is the key's.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const refreshed = new Promise<void>((resolve) => {
      const subscription = api.views.workspace.onDidChangeTreeData(() => {
        subscription.dispose();
        resolve();
      });
    });
    // Another window writes the same SecretStorage entry; this window hears of it through onDidChange.
    await api.keys.set(sandbox.baseUrl, KEY);
    await withTimeout(refreshed, 10_000, 'the Workspace view to refresh after the key changed');
    assert.ok((await api.views.workspace.getChildren()).map(label).includes('API key: set'));
  });

  test('Chatbots lists every chatbot, each with its flows and stats', async () => {
    api.views.chatbots.refresh();
    const roots = await api.views.chatbots.getChildren();
    const bots = roots.filter((node): node is Extract<ChatbotNode, { kind: 'chatbot' }> => node.kind === 'chatbot');
    assert.deepEqual(bots.map((node) => node.chatbot.name).sort(), ['Duka Support', 'Pizza Bahari']);
    const pizza = bots.find((node) => node.chatbot.name === 'Pizza Bahari');
    assert.ok(pizza);
    const children = await api.views.chatbots.getChildren(pizza);
    const flow = children.find((node) => node.kind === 'flow');
    assert.ok(flow && flow.kind === 'flow');
    assert.equal(api.views.chatbots.getTreeItem(flow).description, 'conversation · published');
    const stats = children.find((node) => node.kind === 'item');
    assert.ok(stats && stats.kind === 'item');
    assert.match(label(stats.item), /conversations · \d+ messages/);
  });

  test('a second look within the cache lifetime asks the server nothing', async () => {
    await api.views.chatbots.getChildren();
    const before = requests.length;
    await api.views.chatbots.getChildren();
    await api.views.workspace.getChildren();
    assert.equal(requests.length, before, `no new requests; got ${requests.slice(before).join(', ')}`);
  });

  test('Sessions lists the chat opened from this window with its current state', async () => {
    const pizza = sandbox.chatbots().find((bot) => bot.name === 'Pizza Bahari');
    assert.ok(pizza);
    const panel = panelOf(api, await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: pizza.id }));
    await panel.waitForEntry((entry) => entry.kind === 'turn');
    assert.equal(await panel.send('Agiza / Order', 'order'), true);
    await api.store.flush();
    const sessions = api.views.sessions.getChildren();
    const mine = sessions.find((summary) => summary.panelId === panel.panelId);
    assert.ok(mine, 'the open chat is listed');
    const item = api.views.sessions.getTreeItem(mine);
    assert.match(String(item.description), /choose_pizza · open · panel open/);
    assert.equal(sessions[0]?.panelId, panel.panelId, 'open sessions come first');
  });

  test('History lists the api-channel conversations and opens one read-only', async () => {
    api.views.history.refresh();
    const roots = await api.views.history.getChildren();
    const pizza = roots.find((node): node is Extract<HistoryNode, { kind: 'chatbot' }> => node.kind === 'chatbot' && node.chatbot.name === 'Pizza Bahari');
    assert.ok(pizza);
    const conversations = (await api.views.history.getChildren(pizza)).filter((node) => node.kind === 'conversation');
    assert.ok(conversations.length >= 1, 'the chat of the previous test is in the history');
    const first = conversations[0];
    assert.ok(first && first.kind === 'conversation');
    assert.equal(first.conversation.channel, 'api');
    const readOnly = panelOf(api, await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.history.open', first.chatbot, first.conversation));
    await withTimeout(readOnly.whenReady(), 20_000, 'the history page to say ready');
    assert.equal(readOnly.readOnly, true);
    assert.ok(readOnly.transcript.entries.length >= 1, 'the conversation has its messages');
    assert.equal(await readOnly.send('hi'), false, 'a read-only transcript sends nothing');
  });
});
