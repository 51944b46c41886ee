// The flow graph inside a real VS Code: Show Flow Graph beside a flow file, a node's click moving
// the editor's cursor and the cursor selecting the node, edits typed in the editor drawn (and the
// last good graph kept while the text does not parse), and each canvas edit giving the expected
// text in one undo step.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FlowGraphPanel } from '../../../src/host/graph/flowGraphPanel.js';
import type { SarufiExtensionApi } from '../../../src/extension.js';
import { closeAllEditors, extensionApi, waitFor, withTimeout } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const FIXTURE = join(EXAMPLES, '..', 'test', 'fixtures', 'graph', 'every-edge.flow.json');

suite('Flow graph', () => {
  let api: SarufiExtensionApi;
  let folder: string;
  let uri: vscode.Uri;
  let original: string;
  let graph: FlowGraphPanel;

  suiteSetup(async () => {
    api = await extensionApi();
    folder = join(EXAMPLES, `tmp-graph-suite-${process.pid}`);
    mkdirSync(folder, { recursive: true });
    original = readFileSync(FIXTURE, 'utf8');
    const file = join(folder, 'every-edge.flow.json');
    writeFileSync(file, original);
    uri = vscode.Uri.file(file);
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    rmSync(folder, { recursive: true, force: true });
  });

  /** The editor of the flow file, with the focus. */
  async function editor(): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  }

  async function undoTo(text: string): Promise<void> {
    const shown = await editor();
    await vscode.commands.executeCommand('undo');
    await waitFor(() => shown.document.getText() === text, 'one undo to bring the text back');
  }

  test('Show Flow Graph opens the graph beside the flow file, with every state and every way out', async () => {
    await editor();
    const opened = await vscode.commands.executeCommand<{ document: string; locked: boolean } | undefined>('sarufi.showFlowGraph', uri);
    assert.deepEqual(opened, { document: uri.toString(), locked: false });
    const found = api.graphs.all().find((panel) => panel.document.toString() === uri.toString());
    assert.ok(found, 'the graph panel is tracked');
    graph = found;
    await withTimeout(graph.whenReady(), 20_000, 'the graph page to say ready');
    assert.equal(graph.panel.title, 'Flow Graph: every-edge.flow.json');
    assert.notEqual(graph.panel.viewColumn, vscode.ViewColumn.One, 'beside the editor');
    assert.equal(graph.graph?.nodes.length, 9);
    assert.equal(graph.graph?.edges.length, 15);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'the editor keeps the focus');
  });

  test("a node's click puts the editor's cursor on the state's key, and the cursor selects the node", async () => {
    await graph.receive({ type: 'reveal', state: 'lookup' });
    const active = vscode.window.activeTextEditor;
    assert.ok(active);
    const line = active.document.lineAt(active.selection.start.line).text;
    assert.match(line, /^\s*"lookup": \{/);
    assert.equal(active.document.getText(active.selection), '"lookup"');
    const helpLine = active.document.getText().split('\n').findIndex((text) => /"help": \{/.test(text));
    active.selection = new vscode.Selection(helpLine + 1, 4, helpLine + 1, 4);
    await waitFor(() => graph.selectedState === 'help', 'the cursor in help to select its node');
  });

  test('an edit typed in the editor is drawn; while the text does not parse the last good graph stays with the line', async () => {
    const shown = await editor();
    const before = shown.document.getText();
    await shown.edit((builder) => builder.insert(shown.document.positionAt(before.lastIndexOf('}')), ',\n  "typed": { "message": "Typed" }\n'));
    await waitFor(() => graph.graph?.nodes.some((node) => node.id === 'typed') === true, 'the typed state on the graph');
    await shown.edit((builder) => builder.insert(new vscode.Position(2, 0), '  oops\n'));
    await waitFor(() => graph.parseProblem !== null, 'the parse problem');
    assert.equal(graph.parseProblem?.line, 3);
    assert.ok(graph.graph?.nodes.some((node) => node.id === 'typed'), 'the last good graph is kept');
    await undoTo(shown.document.getText().replace('  oops\n', ''));
    await undoTo(before);
    await waitFor(() => graph.parseProblem === null && !graph.graph?.nodes.some((node) => node.id === 'typed'), 'the graph as the file is again');
  });

  test('Add State adds a state with a TODO message at the end of the states, in one undo step', async () => {
    const before = (await editor()).document.getText();
    await graph.receive({ type: 'addState' });
    const after = (await editor()).document.getText();
    assert.deepEqual(JSON.parse(after).new_state, { message: "TODO: what the bot says in 'new_state'." });
    assert.equal(Object.keys(JSON.parse(after)).at(-1), 'new_state', 'at the end of the states');
    assert.ok(after.startsWith(before.slice(0, before.indexOf('"orphan"'))), 'the states before it are untouched');
    await undoTo(before);
  });

  test('drawing a transition writes it under transitions, in one undo step', async () => {
    const before = (await editor()).document.getText();
    assert.equal(await graph.addTransition('orphan', 'help', { kind: 'keyword', key: 'help|msaada' }), true);
    assert.deepEqual(JSON.parse((await editor()).document.getText()).orphan, { message: 'Nothing leads here.', transitions: { keywords: { 'help|msaada': 'help' } } });
    await undoTo(before);
  });

  test('deleting a transition removes its field, in one undo step', async () => {
    const before = (await editor()).document.getText();
    await graph.receive({ type: 'deleteTransition', edge: 'states.start.transitions.keywords["yes|ndiyo"]' });
    const start = JSON.parse((await editor()).document.getText()).start;
    assert.deepEqual(Object.keys(start.transitions), ['buttons', 'intents', 'default'], 'the emptied keywords section goes too');
    await undoTo(before);
  });

  test('deleting a state with the transitions that still lead to it is one undo step', async () => {
    const before = (await editor()).document.getText();
    assert.equal(await graph.deleteState('shipped', 'withTransitions'), true);
    const flow = JSON.parse((await editor()).document.getText());
    assert.equal(flow.shipped, undefined);
    assert.deepEqual(flow.decide.actions[0], { type: 'CONDITION', if: "{{variables.status}} == 'shipped'", else: 'sorry' });
    await undoTo(before);
  });

  test("rename goes through the flow language's rename: the key and every use change, in one undo step", async () => {
    const before = (await editor()).document.getText();
    await waitFor(() => graph.graph !== null, 'the graph');
    assert.equal(await graph.rename('sorry', 'apology'), true);
    const text = (await editor()).document.getText();
    const flow = JSON.parse(text);
    assert.ok(flow.apology && flow.sorry === undefined);
    assert.equal(flow.lookup.actions[0].failure_transition, 'apology');
    assert.equal(flow.decide.actions[0].else, 'apology');
    assert.ok(!/"sorry"/.test(text));
    await undoTo(before);
  });

  test('an unlocked graph follows the active flow editor; a locked one stays on its file', async () => {
    const other = vscode.Uri.file(join(EXAMPLES, 'support-bot.flow.json'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other), { viewColumn: vscode.ViewColumn.One });
    await waitFor(() => graph.document.toString() === other.toString() && graph.graph?.title === 'Duka Support', 'the graph to follow the support bot');
    await editor();
    await waitFor(() => graph.document.toString() === uri.toString(), 'the graph to follow back');
    graph.panel.reveal(graph.panel.viewColumn, false);
    await waitFor(() => graph.panel.active, 'the graph to be the active panel');
    await vscode.commands.executeCommand('sarufi.toggleFlowGraphLock');
    assert.equal(graph.locked, true, 'Toggle Flow Graph Lock locks the active graph');
    assert.equal(graph.panel.title, '[Locked] Flow Graph: every-edge.flow.json');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other), { viewColumn: vscode.ViewColumn.One });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(graph.document.toString(), uri.toString(), 'the locked graph stays');
    graph.setLocked(false);
  });

  test('the serializer brings a graph back after a reload, on its file and locked as it was', async () => {
    const webview = vscode.window.createWebviewPanel('sarufi.flowGraph', 'restored', vscode.ViewColumn.Two, { enableScripts: true });
    await api.graphs.deserializeWebviewPanel(webview, { uri: uri.toString(), locked: true });
    const revived = api.graphs.all().find((panel) => panel.panel === webview);
    assert.ok(revived, 'the graph is tracked again');
    await withTimeout(revived.whenReady(), 20_000, 'the restored graph page to say ready');
    assert.equal(revived.locked, true);
    assert.equal(revived.document.toString(), uri.toString());
    await waitFor(() => revived.graph?.nodes.length === 9, 'the restored graph drawn');
    revived.panel.dispose();
  });
});
