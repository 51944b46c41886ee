// The extension as VS Code loads it: found by id, activated, its commands registered, and its
// chat panel opened by the command.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_MODE_TEST } from '../../../src/extensionExports.js';
import { activateExtension, CHAT_VIEW_TYPE, closeAllEditors, contributedCommands, extensionApi, panelOf, startChatPickingFirst, webviewTabs, withTimeout } from '../support.js';

suite('Extension', () => {
  teardown(closeAllEditors);

  test('is loaded under its id and activates without error', async () => {
    const extension = await activateExtension();
    assert.equal(extension.isActive, true);
  });

  test('registers every command that package.json contributes', async () => {
    const extension = await activateExtension();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = contributedCommands(extension);
    assert.ok(contributed.includes('sarufi.startChat'), 'package.json contributes sarufi.startChat');
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
      'contributed but not registered by activate()',
    );
  });

  test('the exports are handed out in the mode VS Code runs its test runner in', async () => {
    assert.equal(vscode.ExtensionMode.Test, EXTENSION_MODE_TEST);
    assert.ok((await activateExtension()).exports, 'the suites get the panels, views, store and keys');
  });

  test('Sarufi: Start Chat opens the chat panel, whose page says ready', async () => {
    await closeAllEditors();
    assert.equal(webviewTabs(CHAT_VIEW_TYPE).length, 0);
    const opened = await startChatPickingFirst();
    const panel = panelOf(await extensionApi(), opened);
    assert.deepEqual(JSON.parse(JSON.stringify(opened)), opened, 'the command resolves with plain data, not the panel');
    await withTimeout(panel.whenReady(), 20_000, 'the chat page to post ready');
    const tabs = webviewTabs(CHAT_VIEW_TYPE);
    assert.equal(tabs.length, 1, `one chat tab; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).join(', ')}`);
    assert.equal(tabs[0]?.isActive, true, 'the chat tab is the active one');
  });
});
