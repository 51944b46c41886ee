// Conversation tests in a real VS Code: the Test Explorer finds the example test files with a
// child per step at its line, runs them in the sandbox, reports coverage of the flow files, and
// shows a broken file's reason at its line.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConversationTestsApi } from '../../../src/host/testing/conversationTestController.js';
import { extensionApi, waitFor } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri;

suite('Conversation tests in the Test Explorer', () => {
  let api: ConversationTestsApi;
  const broken = EXAMPLES ? vscode.Uri.joinPath(EXAMPLES, 'broken-for-vscode-suite.sarufi-test.yaml') : undefined;
  const golden = EXAMPLES ? vscode.Uri.joinPath(EXAMPLES, 'pizza-order.golden.txt') : undefined;

  suiteSetup(async () => {
    api = (await extensionApi()).conversationTests;
    await api.discover();
  });

  suiteTeardown(async () => {
    if (golden) {
      await vscode.workspace.fs.delete(golden).then(undefined, () => undefined);
    }
    if (broken) {
      await vscode.workspace.fs.delete(broken).then(undefined, () => undefined);
    }
  });

  test('finds every example test file, with one child per step at its line', () => {
    const labels: string[] = [];
    api.controller.items.forEach((item) => labels.push(item.label));
    assert.deepEqual(labels.sort(), ['Order number mistakes and a question', 'Order two margheritas', 'Typed answers, mistakes and a bulk order']);
    let pizza: vscode.TestItem | undefined;
    api.controller.items.forEach((item) => {
      if (item.label === 'Order two margheritas') {
        pizza = item;
      }
    });
    assert.ok(pizza);
    const steps: vscode.TestItem[] = [];
    pizza.children.forEach((child) => steps.push(child));
    assert.deepEqual(steps.map((step) => step.label).slice(0, 3), ['greeting', '1: button order', '2: button {{pizza}}']);
    assert.ok(steps.every((step) => step.range !== undefined && step.uri?.toString() === pizza?.uri?.toString()));
  });

  test('runs the examples in the sandbox, and covers the pizza flow', async () => {
    const source = new vscode.CancellationTokenSource();
    await api.profiles.coverage.runHandler(new vscode.TestRunRequest(), source.token);
    const results = api.lastResults();
    assert.deepEqual(results.map((result) => result.status), ['passed', 'passed', 'passed']);
    const pizza = api.lastCoverage().find((coverage) => coverage.flowPath.endsWith('pizza-order.flow.json'));
    assert.equal(pizza?.states.find((state) => state.name === 'bulk_offer')?.reached, true);
    assert.equal(pizza?.states.find((state) => state.name === 'menu_video')?.reached, false);
  });

  test('one set of numbers: the Test Coverage view counts states as statements and transitions as branches, and the read-only report says the same and links its lines', async () => {
    const pizza = api.lastCoverage().find((coverage) => coverage.flowPath.endsWith('pizza-order.flow.json'));
    const file = api.lastFileCoverage().find((coverage) => coverage.uri.fsPath.endsWith('pizza-order.flow.json'));
    assert.ok(pizza && file);
    const states = pizza.states.filter((state) => state.reached).length;
    const transitions = pizza.transitions.filter((edge) => edge.reached).length;
    assert.deepEqual([file.statementCoverage.covered, file.statementCoverage.total], [states, pizza.states.length]);
    assert.deepEqual([file.branchCoverage?.covered, file.branchCoverage?.total], [transitions, pizza.transitions.length]);
    const overall = ((states + transitions) / (pizza.states.length + pizza.transitions.length)) * 100;

    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('sarufi.conversationTests.coverageReport');
    assert.ok(uri);
    const report = await vscode.workspace.openTextDocument(uri);
    assert.equal(report.isUntitled, false, 'not an Untitled document that asks to be saved');
    assert.equal(uri.scheme, 'sarufi-coverage');
    assert.match(report.getText(), new RegExp(`pizza-order\\.flow\\.json: ${overall.toFixed(2).replace('.', '\\.')}% of states and transitions`));
    assert.match(report.getText(), new RegExp(`states ${states}/${pizza.states.length} .*transitions ${transitions}/${pizza.transitions.length}`));
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    const menuVideo = report.getText().split('\n').findIndex((line) => line.includes('state not reached: menu_video'));
    const link = links.find((candidate) => candidate.range.start.line === menuVideo);
    assert.ok(link?.target, 'the line of an unreached state links to the flow file');
    assert.equal(link.target.fsPath, vscode.Uri.file(pizza.flowPath).fsPath);
    const line = pizza.states.find((state) => state.name === 'menu_video')?.line;
    assert.equal(link.target.fragment, `L${(line ?? 0) + 1}`);
  });

  test('Approve as golden writes the golden run; a run that differs fails and opens the diff editor beside it', async () => {
    assert.ok(golden);
    let pizza: vscode.TestItem | undefined;
    api.controller.items.forEach((item) => {
      if (item.label === 'Order two margheritas') {
        pizza = item;
      }
    });
    assert.ok(pizza);
    const source = new vscode.CancellationTokenSource();
    await api.profiles.approve.runHandler(new vscode.TestRunRequest([pizza]), source.token);
    const approved = new TextDecoder().decode(await vscode.workspace.fs.readFile(golden));
    assert.match(approved, /^## 1: button order\n> "Agiza \/ Order" \(button order\)\ncurrent_state: choose_pizza$/m);
    await vscode.workspace.fs.writeFile(golden, new TextEncoder().encode(approved.replace('current_state: choose_pizza', 'current_state: somewhere_else')));
    await api.profiles.run.runHandler(new vscode.TestRunRequest([pizza]), source.token);
    assert.equal(api.lastResults()[0]?.status, 'failed');
    await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff, 'the diff editor to open');
    const diff = vscode.window.tabGroups.activeTabGroup.activeTab?.input as vscode.TabInputTextDiff;
    assert.equal(diff.original.fsPath, golden.fsPath);
    assert.equal(diff.modified.scheme, 'sarufi-golden-run');
    const thisRun = await vscode.workspace.openTextDocument(diff.modified);
    assert.match(thisRun.getText(), /^current_state: choose_pizza$/m);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a broken file is shown with its reason and line, and found by the watcher', async () => {
    assert.ok(broken);
    await vscode.workspace.fs.writeFile(broken, new TextEncoder().encode('target: {flow: pizza-order.flow.json}\nsteps:\n  - sned: hi\n'));
    await waitFor(() => api.controller.items.get(broken.toString())?.error !== undefined, 'the watcher to read the new file');
    const item = api.controller.items.get(broken.toString());
    assert.equal(item?.error, 'Line 3: unknown key "sned" in step 1; expected one of: send, button, text, mocks, expect');
    assert.equal(item?.range?.start.line, 2);
  });

  test('Generate Tests for Uncovered Paths writes into the flow\'s own folder, then runs the new tests in the Test Explorer with coverage, and says so in one short line', async () => {
    assert.ok(EXAMPLES);
    const folder = vscode.Uri.joinPath(EXAMPLES, `tmp-generate-suite-${process.pid}`);
    const flow = vscode.Uri.joinPath(folder, 'small.flow.json');
    const states = { start: { message: { type: 'buttons', text: 'Pick', buttons: [{ id: 'yes', title: 'Ndiyo / Yes' }] }, transitions: { buttons: { yes: 'done' }, default: 'start' } }, done: { message: 'Asante!' } };
    await vscode.workspace.fs.writeFile(flow, new TextEncoder().encode(JSON.stringify({ name: 'Small', initial_state: 'start', states }, null, 2)));
    try {
      const summary = await vscode.commands.executeCommand<{ written: string[] } | undefined>('sarufi.conversationTests.generate', flow);
      assert.ok(summary && summary.written.length > 0);
      assert.ok(summary.written.every((file) => file.startsWith(vscode.Uri.joinPath(folder, 'small.generated').fsPath)), summary.written.join(', '));
      // Run right away, with coverage: the Test Explorer shows their result, not "not run".
      const ran = api.lastResults().filter((result) => summary.written.includes(result.test.path));
      assert.equal(ran.length, summary.written.length);
      assert.ok(ran.every((result) => result.status === 'passed'));
      assert.ok(api.lastFileCoverage().some((coverage) => coverage.uri.fsPath === flow.fsPath), 'the coverage view has the flow');
      assert.ok(ran.some((result) => result.test.name === 'Ndiyo / Yes'), ran.map((result) => result.test.name).join(' | '));
    } finally {
      await vscode.workspace.fs.delete(folder, { recursive: true }).then(undefined, () => undefined);
      await api.discover();
    }
  });
});
