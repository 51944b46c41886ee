// Flow files as a language inside a real VS Code, through VS Code's own commands: go to a state
// (from a target, a template and a conversation test), its references across the flow and the
// tests, rename as one edit (and its refusals), the outline, workspace symbols, completion, hover.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

const FLOW = `{
  "name": "Language suite",
  "initial_state": "greet",
  "intents": { "order_intent": ["I want pizza"] },
  "states": {
    "greet": {
      "message": {
        "type": "buttons",
        "text": "Karibu! What next?",
        "buttons": [{ "id": "menu", "title": "Menu" }]
      },
      "transitions": {
        "buttons": { "menu": "menu" },
        "intents": { "order_intent": "ask_name" },
        "default": "greet"
      }
    },
    "menu": {
      "message": "Our menu: pizza.",
      "transitions": { "keywords": { "order": "ask_name" }, "default": "menu" }
    },
    "ask_name": {
      "message": "Your name?",
      "transitions": { "default": "thanks" }
    },
    "thanks": {
      "message": "Asante {{ask_name}}! Saved as {{variables.ask_name}}.",
      "actions": [{ "type": "CONDITION", "if": "exists {{variables.ask_name}}", "then": "menu" }]
    }
  }
}
`;

const TEST = `name: Language suite order
target:
  flow: language.flow.json
steps:
  - button: menu
    expect:
      state: menu
  - send: order
    expect:
      state: ask_name
`;

/** The position of the `nth` occurrence of `needle` in the text, plus `shift` characters. */
function positionOf(text: string, needle: string, shift = 1, nth = 0): vscode.Position {
  let offset = -1;
  for (let count = 0; count <= nth; count += 1) {
    offset = text.indexOf(needle, offset + 1);
  }
  assert.ok(offset >= 0, `${needle} is in the text`);
  const before = text.slice(0, offset + shift).split('\n');
  return new vscode.Position(before.length - 1, (before[before.length - 1] ?? '').length);
}

function textAt(document: vscode.TextDocument, range: vscode.Range): string {
  return document.getText(range);
}

suite('Flow files as a language: definition, references, rename, symbols, completion, hover', () => {
  let folder: string;
  let flowUri: vscode.Uri;
  let testUri: vscode.Uri;
  let flow: vscode.TextDocument;

  suiteSetup(async () => {
    await activateExtension();
    folder = join(EXAMPLES, `tmp-language-suite-${process.pid}`);
    mkdirSync(folder, { recursive: true });
    // The rename, which changes the files, is the suite's last test.
    writeFileSync(join(folder, 'language.flow.json'), FLOW);
    writeFileSync(join(folder, 'language.sarufi-test.yaml'), TEST);
    flowUri = vscode.Uri.file(join(folder, 'language.flow.json'));
    testUri = vscode.Uri.file(join(folder, 'language.sarufi-test.yaml'));
    flow = await vscode.workspace.openTextDocument(flowUri);
    await vscode.window.showTextDocument(flow);
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    if (folder) {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  async function definitionsAt(uri: vscode.Uri, position: vscode.Position): Promise<{ uri: vscode.Uri; range: vscode.Range }[]> {
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, position);
    return found.map((entry) => ('targetUri' in entry ? { uri: entry.targetUri, range: entry.targetSelectionRange ?? entry.targetRange } : entry));
  }

  test('F12 on a transition target, on a template variable and on a test\'s expected state goes to the state\'s key', async () => {
    const fromTarget = await definitionsAt(flowUri, positionOf(FLOW, '"keywords": { "order": "ask_name"', 25));
    assert.equal(fromTarget.length, 1);
    assert.equal(fromTarget[0]?.uri.toString(), flowUri.toString());
    assert.equal(fromTarget[0] && textAt(flow, fromTarget[0].range), '"ask_name"');
    assert.equal(fromTarget[0]?.range.start.line, positionOf(FLOW, '"ask_name": {').line);

    const fromTemplate = await definitionsAt(flowUri, positionOf(FLOW, '{{ask_name}}', 4));
    assert.equal(fromTemplate[0]?.range.start.line, positionOf(FLOW, '"ask_name": {').line);

    await vscode.workspace.openTextDocument(testUri);
    const fromTest = await definitionsAt(testUri, positionOf(TEST, 'state: ask_name', 9));
    assert.equal(fromTest[0]?.uri.toString(), flowUri.toString());
    assert.equal(fromTest[0]?.range.start.line, positionOf(FLOW, '"ask_name": {').line);
  });

  test('Shift+F12 on a state lists its key, every target, the templates reading its answer and the tests expecting it', async () => {
    const found = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', flowUri, positionOf(FLOW, '"ask_name": {', 2));
    const inFlow = found.filter((location) => location.uri.toString() === flowUri.toString());
    const inTest = found.filter((location) => location.uri.toString() === testUri.toString());
    // The key, the intent and keyword targets, two templates and the condition.
    assert.equal(inFlow.length, 6, JSON.stringify(inFlow.map((location) => textAt(flow, location.range))));
    assert.deepEqual(new Set(inFlow.map((location) => textAt(flow, location.range))), new Set(['"ask_name"', 'ask_name']));
    assert.equal(inTest.length, 1);
    assert.equal(inTest[0]?.range.start.line, positionOf(TEST, 'state: ask_name').line);
  });

  test('F2 refuses, in words, a name another state has, a metadata key, and a place that is no state', async () => {
    const onKey = positionOf(FLOW, '"ask_name": {', 2);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', flowUri, onKey, 'menu')),
      /A state named 'menu' already exists/,
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', flowUri, onKey, 'intents')),
      /key of the flow itself/,
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.prepareRename', flowUri, positionOf(FLOW, '"message": "Your name?"', 3))),
      /Put the cursor on a state or an intent/,
    );
    assert.equal(flow.getText(), FLOW);
  });

  test('F2 on a conversation test\'s expected state renames the state in the flow and in the test', async () => {
    const test = await vscode.workspace.openTextDocument(testUri);
    const onState = positionOf(TEST, 'state: menu', 9);
    const prepared = await vscode.commands.executeCommand<{ range: vscode.Range; placeholder: string }>('vscode.prepareRename', testUri, onState);
    assert.equal(prepared.placeholder, 'menu');
    assert.equal(test.getText(prepared.range), 'menu');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', testUri, onState, 'main_menu');
    const flowEdits = edit.get(flowUri);
    // The key, the button target, the CONDITION's then and the default that loops on menu.
    assert.equal(flowEdits.length, 4);
    assert.ok(flowEdits.every((change) => change.newText === '"main_menu"' && flow.getText(change.range) === '"menu"'));
    assert.deepEqual(edit.get(testUri).map((change) => [test.getText(change.range), change.newText]), [['menu', 'main_menu']]);
  });

  test('the outline lists the states (the initial one marked, with what it says) and the intents', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', flowUri);
    const states = symbols.filter((symbol) => symbol.kind === vscode.SymbolKind.Class);
    assert.deepEqual(states.map((symbol) => symbol.name), ['greet', 'menu', 'ask_name', 'thanks']);
    assert.equal(states[0]?.detail, 'initial · Karibu! What next?');
    assert.equal(states[1]?.detail, 'Our menu: pizza.');
    const intents = symbols.find((symbol) => symbol.name === 'intents' && symbol.kind === vscode.SymbolKind.Namespace);
    assert.deepEqual(intents?.children.map((child) => child.name), ['order_intent']);
  });

  test('Go to Symbol in Workspace finds the flow\'s states and intents', async () => {
    const found = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'ask_nam');
    const ours = found.filter((symbol) => symbol.location.uri.toString() === flowUri.toString());
    assert.deepEqual(ours.map((symbol) => `${symbol.name} ${symbol.containerName}`), ['ask_name state in language.flow.json']);
    const intents = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'order_int');
    assert.ok(intents.some((symbol) => symbol.name === 'order_intent' && symbol.location.uri.toString() === flowUri.toString()));
  });

  test('Ctrl+Space in a target offers the state names with what each sends, and variables inside {{ }}', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', flowUri, positionOf(FLOW, '"default": "thanks"', 12));
    const states = list.items.filter((item) => item.kind === vscode.CompletionItemKind.Class);
    const label = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);
    assert.deepEqual(states.map(label).sort(), ['ask_name', 'greet', 'menu', 'thanks']);
    const menu = states.find((item) => label(item) === 'menu');
    assert.equal(typeof menu?.label === 'object' ? menu.label.description : '', 'Our menu: pizza.');
    assert.equal(menu?.insertText, '"menu"');

    const variables = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', flowUri, positionOf(FLOW, '{{variables.ask_name}}.', 12));
    const names = variables.items
      .filter((item) => item.kind === vscode.CompletionItemKind.Variable)
      .sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))
      .map(label);
    // The flow's own variables (each state's answer) first, then the built-ins.
    assert.deepEqual(names, ['ask_name', 'greet', 'menu', 'thanks', 'contact_name', 'response']);
  });

  test('hover on a target shows the state\'s message, buttons, ways out and how many places lead there', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', flowUri, positionOf(FLOW, '"default": "greet"', 13));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    // The bot's words are escaped so that Markdown shows them as written.
    const shown = text.replace(/\\(.)/g, '$1');
    assert.match(shown, /Karibu! What next\?/);
    assert.match(shown, /Buttons: Menu \(menu\)/);
    assert.match(shown, /button menu → menu/);
    assert.match(shown, /intent order_intent → ask_name/);
    assert.match(shown, /2 places lead here\./);
  });
  test('F2 renames the state in the flow, its templates and condition, and the conversation test, as one edit', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', flowUri, positionOf(FLOW, '"ask_name": {', 2), 'customer_name');
    assert.deepEqual(new Set(edit.entries().map(([uri]) => uri.toString())), new Set([flowUri.toString(), testUri.toString()]));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(flow.getText(), FLOW.replaceAll('ask_name', 'customer_name'));
    const test = await vscode.workspace.openTextDocument(testUri);
    assert.equal(test.getText(), TEST.replaceAll('ask_name', 'customer_name'));
    // Saved here, so that no unsaved copy is written back after the suite removes its folder.
    assert.ok((await flow.save()) && (await test.save()));
  });
});
