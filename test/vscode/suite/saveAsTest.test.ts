// "Save as test" end to end inside a real VS Code: a chat in the embedded sandbox is saved as a
// *.sarufi-test.yaml next to its flow file, opened, and replays as a passing test.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseTestFile } from '../../../src/conversationTests/format.js';
import { runConversationTests } from '../../../src/conversationTests/runner.js';
import type { OpenedChat } from '../../../src/host/chatPanel.js';
import { startSandbox } from '../../../src/sandbox/server.js';
import { activateExtension, closeAllEditors, extensionApi, panelOf } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri;

suite('Save as test', () => {
  const target = EXAMPLES ? vscode.Uri.joinPath(EXAMPLES, 'saved-by-vscode-suite.sarufi-test.yaml') : undefined;
  const report = EXAMPLES ? vscode.Uri.joinPath(EXAMPLES, 'exported-by-vscode-suite.sarufi-bug.json') : undefined;

  suiteSetup(async () => {
    await activateExtension();
    await vscode.workspace.getConfiguration('sarufi').update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('sarufi').update('environment', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    for (const file of [target, report]) {
      if (file) {
        await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
      }
    }
  });

  test('a sandbox chat is saved next to its flow file and replays as a passing test', async () => {
    assert.ok(EXAMPLES && target, 'the suite runs on the examples folder');
    // The sandbox's ids are stable, so a sandbox of our own names the embedded one's chatbot.
    const probe = await startSandbox({ flowDirs: [EXAMPLES.fsPath] });
    const pizza = probe.chatbots().find((bot) => bot.name === 'Pizza Bahari');
    await probe.close();
    assert.ok(pizza);

    const opened = await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: pizza.id });
    const panel = panelOf(await extensionApi(), opened);
    await panel.waitForEntry((entry) => entry.kind === 'turn');
    assert.equal(await panel.send('Agiza / Order', 'order'), true);

    // The examples hold a hand-written pizza-order.sarufi-test.yaml: it is neither proposed nor replaced without asking.
    const handWritten = vscode.Uri.joinPath(EXAMPLES, 'pizza-order.sarufi-test.yaml');
    const before = new TextDecoder().decode(await vscode.workspace.fs.readFile(handWritten));
    let asked: vscode.Uri | undefined;
    const refused = await panel.saveAsTest({
      ask: async () => handWritten,
      confirmReplace: async (existing) => {
        asked = existing;
        return false;
      },
    });
    assert.equal(refused, undefined, 'not written when the author does not confirm');
    assert.equal(asked?.fsPath, handWritten.fsPath, 'the author is asked about the existing file');
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(handWritten)), before, 'the hand-written test is untouched');

    let offered: vscode.Uri | undefined;
    const saved = await panel.saveAsTest({
      ask: async (defaultUri) => {
        offered = defaultUri;
        return target;
      },
      confirmReplace: async () => assert.fail('a new file needs no confirmation'),
    });
    assert.equal(offered?.fsPath, vscode.Uri.joinPath(EXAMPLES, 'pizza-order-choose-pizza.sarufi-test.yaml').fsPath, 'the default name follows the flow file and where the chat ended, and is free');
    assert.equal(saved?.fsPath, target.fsPath);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath, 'the saved test is opened');

    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.match(text, /pizza-order\.flow\.json/);
    assert.match(text, /choose_pizza/);
    const result = await runConversationTests([parseTestFile(text, target.fsPath)], { sandbox: { flowDirs: [EXAMPLES.fsPath] } });
    assert.equal(result.failed, 0, JSON.stringify(result.tests.map((t) => t.steps.filter((s) => s.status !== 'passed')), null, 1).slice(0, 2000));
    assert.equal(result.passed, 1);

    let offeredReport: vscode.Uri | undefined;
    const exported = await vscode.commands.executeCommand<vscode.Uri | undefined>('sarufi.exportBugReport', {
      panelId: panel.panelId,
      ask: async (defaultUri: vscode.Uri) => {
        offeredReport = defaultUri;
        return report;
      },
    });
    assert.equal(offeredReport?.fsPath, vscode.Uri.joinPath(EXAMPLES, 'pizza-order.sarufi-bug.json').fsPath, 'Export Bug Report offers a name beside the flow file');
    assert.equal(exported?.fsPath, report?.fsPath);
    const bug = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(report as vscode.Uri))) as { format: string; flow: { file: string; sha256: string }; requests: string[] };
    assert.equal(bug.format, 'sarufi-bug-report');
    assert.equal(bug.flow.file, 'pizza-order.flow.json');
    assert.match(bug.flow.sha256, /^[0-9a-f]{64}$/);
    assert.equal(bug.requests.length, 2);
  });
});
