// Export Bug Report in a real VS Code writes the mocks a sandbox chat ran with (sarufi.sandbox.json's
// "mocks"), so that its replay elsewhere answers the same instead of calling live backends.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenedChat } from '../../../src/host/chatPanel.js';
import { startSandbox } from '../../../src/sandbox/server.js';
import { activateExtension, closeAllEditors, extensionApi, panelOf } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri;
const MOCKS_YAML = 'orders:\n  /orders/*:\n    status: 200\n    body: {status: from the suite mocks}\n';

suite('Export Bug Report: chat mocks', () => {
  const config = EXAMPLES ? vscode.Uri.joinPath(EXAMPLES, 'sarufi.sandbox.json') : undefined;
  const mocksFile = EXAMPLES ? vscode.Uri.joinPath(EXAMPLES, 'bug-report-suite.mocks.yaml') : undefined;
  const report = EXAMPLES ? vscode.Uri.joinPath(EXAMPLES, 'bug-report-suite.sarufi-bug.json') : undefined;
  let original: Uint8Array | undefined;

  suiteSetup(async () => {
    assert.ok(config && mocksFile, 'the suite runs on the examples folder');
    await activateExtension();
    await vscode.workspace.getConfiguration('sarufi').update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
    original = await vscode.workspace.fs.readFile(config);
    const withMocks = { ...(JSON.parse(new TextDecoder().decode(original)) as object), mocks: 'bug-report-suite.mocks.yaml' };
    await vscode.workspace.fs.writeFile(mocksFile, new TextEncoder().encode(MOCKS_YAML));
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode(JSON.stringify(withMocks, null, 2)));
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('sarufi').update('environment', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    if (config && original) {
      await vscode.workspace.fs.writeFile(config, original);
    }
    for (const file of [mocksFile, report]) {
      if (file) {
        await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
      }
    }
  });

  test('a sandbox chat with sarufi.sandbox.json mocks exports a report whose mocks are those the chat ran with', async () => {
    assert.ok(EXAMPLES && report);
    const probe = await startSandbox({ flowDirs: [EXAMPLES.fsPath] });
    const pizza = probe.chatbots().find((bot) => bot.name === 'Pizza Bahari');
    await probe.close();
    assert.ok(pizza);
    // The embedded sandbox reads the changed config before the chat starts.
    await (await extensionApi()).sandbox.reload();

    const opened = await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: pizza.id });
    const panel = panelOf(await extensionApi(), opened);
    await panel.waitForEntry((entry) => entry.kind === 'turn');
    const exported = await vscode.commands.executeCommand<vscode.Uri | undefined>('sarufi.exportBugReport', { panelId: panel.panelId, ask: async () => report });
    assert.equal(exported?.fsPath, report.fsPath);
    const bug = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(report))) as { mocks: unknown; test: string };
    assert.deepEqual(bug.mocks, { integrations: { orders: { '/orders/*': { status: 200, body: { status: 'from the suite mocks' }, delayMs: 0 } } }, urls: {}, strict: false });
    assert.match(bug.test, /from the suite mocks/, "the report's test carries them too, for its replay");
  });
});
