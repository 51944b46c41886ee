// Flow files inside a real VS Code: live problems on the right line, the create-state quick fix,
// the schema's completion and hover, Preview Flow with its marks and the save that reaches the
// panel, and flows on a server (a sandbox on loopback): open, save (PATCH), validate, publish,
// pull and push with the conflict check.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TranscriptEntry, TurnEntry } from '../../../src/chat/transcript.js';
import type { ChatPanel, OpenedChat } from '../../../src/host/chatPanel.js';
import type { PreviewProgress } from '../../../src/flows/previewMarks.js';
import type { PushOutcome } from '../../../src/host/flows/remoteFlowCommands.js';
import { startSandbox } from '../../../src/sandbox/server.js';
import type { RunningSandbox } from '../../../src/sandbox/server.js';
import type { Flow, FlowList, PublishResult, ValidationResult } from '../../../src/sarufi/types.js';
import { activateExtension, closeAllEditors, connectCustomServer, disconnectCustomServer, extensionApi, panelOf, waitFor, withTimeout } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

/** Line 10 (index 9) holds the unknown target: the test checks the diagnostic lands on its key. */
const BROKEN_FLOW = `{
  "name": "Flows suite broken",
  "greet": {
    "message": "Hi",
    "transitions": { "default": "menu" }
  },
  "menu": {
    "message": "Pick",
    "transitions": {
      "keywords": { "go": "checkout" },
      "default": "menu"
    }
  }
}
`;

const PREVIEW_FLOW = `{
  "name": "Flows suite preview",
  "welcome": {
    "message": {
      "type": "buttons",
      "text": "Karibu! Continue?",
      "buttons": [{ "id": "go", "title": "Go" }]
    },
    "transitions": { "buttons": { "go": "middle" }, "default": "welcome" }
  },
  "middle": {
    "message": "Middle. Say next.",
    "transitions": { "keywords": { "next": "finish" }, "default": "middle" }
  },
  "finish": { "message": "Done." }
}
`;

function flowDiagnostics(uri: vscode.Uri, source: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === source);
}

suite('Flow files: validation, preview, publishing', () => {
  let folder: string;

  suiteSetup(async () => {
    await activateExtension();
    // Not a dot-folder: the sandbox skips those, and the preview needs the sandbox to run the file.
    folder = join(EXAMPLES, `tmp-flows-suite-${process.pid}`);
    mkdirSync(folder, { recursive: true });
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    if (folder) {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a flow file with an unknown target state gets its error on the target value, not on the trigger key', async () => {
    const file = join(folder, 'broken.flow.json');
    writeFileSync(file, BROKEN_FLOW);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    await waitFor(() => flowDiagnostics(uri, 'Sarufi sandbox').length > 0, 'the sandbox validator to report', 15_000);
    const unknown = flowDiagnostics(uri, 'Sarufi sandbox').find((diagnostic) => diagnostic.message === "Unknown state 'checkout'.");
    assert.ok(unknown, JSON.stringify(flowDiagnostics(uri, 'Sarufi sandbox').map((d) => d.message)));
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(unknown.range.start.line, 9);
    assert.equal(unknown.range.start.character, 26);
    assert.equal(unknown.range.end.character, 36);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.getText(unknown.range), '"checkout"', 'the target that names no state');
  });

  test('a misspelt target is offered "Change to" the closest state first (preferred), and the fix replaces only the value', async () => {
    const file = join(folder, 'typo.flow.json');
    writeFileSync(file, BROKEN_FLOW.replace('"go": "checkout"', '"go": "menuu"').replace('"default": "menu"\n    }\n  }', '"default": "menu"\n    }\n  },\n  "menus": { "message": "All menus" }'));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    await waitFor(() => flowDiagnostics(uri, 'Sarufi sandbox').some((diagnostic) => diagnostic.code === 'unknown-state'), 'the unknown target', 15_000);
    const unknown = flowDiagnostics(uri, 'Sarufi sandbox').find((diagnostic) => diagnostic.code === 'unknown-state');
    assert.ok(unknown);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, unknown.range);
    const titles = actions.map((action) => action.title);
    assert.deepEqual(titles.slice(0, 3), ["Change to 'menu'", "Change to 'menus'", "Create state 'menuu'"]);
    assert.deepEqual(actions.slice(0, 3).map((action) => action.isPreferred === true), [true, false, false]);
    const change = actions[0];
    assert.ok(change?.edit);
    const document = await vscode.workspace.openTextDocument(uri);
    const before = document.getText();
    assert.equal(await vscode.workspace.applyEdit(change.edit), true);
    assert.equal(document.getText(), before.replace('"go": "menuu"', '"go": "menu"'), 'only the value changed');
    await waitFor(() => !flowDiagnostics(uri, 'Sarufi sandbox').some((diagnostic) => diagnostic.code === 'unknown-state'), 'the error to go');
    await document.save();
  });

  test('the quick fix creates the missing state and the error goes away', async () => {
    const uri = vscode.Uri.file(join(folder, 'broken.flow.json'));
    const unknown = flowDiagnostics(uri, 'Sarufi sandbox').find((diagnostic) => diagnostic.code === 'unknown-state');
    assert.ok(unknown);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, unknown.range);
    const fix = actions.find((action) => action.title === "Create state 'checkout'");
    assert.ok(fix?.edit, `offered: ${actions.map((action) => action.title).join(', ')}`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    await waitFor(
      () => !flowDiagnostics(uri, 'Sarufi sandbox').some((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error),
      'the error to go after the fix',
    );
    const document = await vscode.workspace.openTextDocument(uri);
    assert.ok((JSON.parse(document.getText()) as Record<string, unknown>).checkout, 'the state was added to the file');
    await document.save();
  });

  test('a regex trigger with nested bounded repetition gets the catastrophic-regex warning on its line, judged in the regex worker', async () => {
    const file = join(folder, 'nested-regex.flow.json');
    const text = `{\n  "ask": {\n    "message": "Type",\n    "transitions": {\n      "regex": { "^(a{1,30}){1,30}(?=b)": "ask" },\n      "default": "ask"\n    }\n  }\n}\n`;
    writeFileSync(file, text);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const warned = () => flowDiagnostics(uri, 'Sarufi sandbox').find((diagnostic) => diagnostic.message.includes('backtrack catastrophically'));
    await waitFor(() => warned() !== undefined, 'the regex warning', 15_000);
    assert.equal(warned()?.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(warned()?.range.start.line, 4);
  });

  test('Push Flow to Sarufi with no key says there is nothing to push to, and never offers the local sandbox\'s chatbots', async () => {
    const uri = vscode.Uri.file(join(folder, 'broken.flow.json'));
    // Before the fix this asked "Push to which chatbot on Local sandbox?" and waited for a pick.
    const outcome = await withTimeout(
      Promise.resolve(vscode.commands.executeCommand<PushOutcome>('sarufi.pushFlow', uri, { sandboxSpellings: 'send' })),
      10_000,
      'push to answer without a chatbot picker',
    );
    assert.equal(outcome.status, 'failed');
    assert.ok('message' in outcome);
    assert.equal(outcome.message, 'No API key is set for Sarufi, so there is no chatbot to push to. The local sandbox needs no push: it runs this file as you save it.');
  });

  test('invalid JSON is a diagnostic, not a crash', async () => {
    const uri = vscode.Uri.file(join(folder, 'broken.flow.json'));
    const document = await vscode.workspace.openTextDocument(uri);
    // The revert below acts on the active editor.
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(2, 0), '  "oops" \n');
    await vscode.workspace.applyEdit(edit);
    await waitFor(() => flowDiagnostics(uri, 'Sarufi sandbox').some((diagnostic) => diagnostic.code === 'syntax'), 'a syntax diagnostic');
    const syntax = flowDiagnostics(uri, 'Sarufi sandbox').find((diagnostic) => diagnostic.code === 'syntax');
    assert.match(syntax?.message ?? '', /^Not valid JSON: /);
    assert.ok(syntax && syntax.range.start.line >= 2 && syntax.range.start.line <= 3, `on the broken line, got ${syntax?.range.start.line}`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(document.isDirty, false);
  });

  test('a v1 flow gets one older-format problem whose quick fix writes a dev/v1 flow beside it', async () => {
    const v1Folder = join(folder, 'duka');
    mkdirSync(v1Folder, { recursive: true });
    const v1Flow = { salamu: { message: ['Karibu!'], next_state: 'end' } };
    writeFileSync(join(v1Folder, 'old.flow.json'), JSON.stringify(v1Flow, null, 2));
    writeFileSync(join(v1Folder, 'intents.json'), JSON.stringify({ salamu: ['Habari', 'Mambo'] }));
    const uri = vscode.Uri.file(join(v1Folder, 'old.flow.json'));
    await vscode.window.showTextDocument(uri);
    await waitFor(() => flowDiagnostics(uri, 'Sarufi sandbox').length > 0, 'the older-format problem');
    const problems = flowDiagnostics(uri, 'Sarufi sandbox');
    assert.equal(problems.length, 1, problems.map((problem) => problem.message).join(' | '));
    assert.match(problems[0]?.message ?? '', /first \(v1\) format/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, problems[0]?.range);
    const fix = actions.find((action) => action.command?.command === 'sarufi.convertV1Flow');
    assert.ok(fix?.command, `offered: ${actions.map((action) => action.title).join(', ')}`);
    const written = await vscode.commands.executeCommand<string | undefined>('sarufi.convertV1Flow', ...(fix.command.arguments ?? []), { overwrite: true });
    assert.equal(written, vscode.Uri.file(join(v1Folder, 'old-converted.flow.json')).toString());
    const converted = JSON.parse(readFileSync(join(v1Folder, 'old-converted.flow.json'), 'utf8')) as { initial_state: string; intents: unknown };
    assert.equal(converted.initial_state, 'start');
    assert.deepEqual(converted.intents, { salamu: ['Habari', 'Mambo'] });
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), written, 'the converted flow is opened');
  });

  test("Convert v1 Flow takes a YAML bot's folder, as the Explorer passes it, and writes <folder>.flow.json from flows.yaml, intents.yaml and metadata.yaml", async () => {
    const bot = join(folder, 'mgahawa');
    mkdirSync(bot, { recursive: true });
    writeFileSync(join(bot, 'flows.yaml'), 'salamu:\n  message:\n    - Karibu!\n  next_state: end\n');
    writeFileSync(join(bot, 'intents.yaml'), 'salamu:\n  - Habari\n');
    writeFileSync(join(bot, 'metadata.yaml'), 'name: Mgahawa wa Bahari\n');
    const written = await vscode.commands.executeCommand<string | undefined>('sarufi.convertV1Flow', vscode.Uri.file(bot), { overwrite: true });
    assert.equal(written, vscode.Uri.file(join(bot, 'mgahawa.flow.json')).toString());
    const converted = JSON.parse(readFileSync(join(bot, 'mgahawa.flow.json'), 'utf8')) as { name: string; intents: unknown };
    assert.deepEqual([converted.name, converted.intents], ['Mgahawa wa Bahari', { salamu: ['Habari'] }]);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), written, 'the converted flow is opened');
  });

  test('a flow that lists its states (the 2026 shape) gets one problem naming the shape, whose quick fix converts it', async () => {
    const file = join(folder, 'kliniki.flow.json');
    const stateList = {
      name: 'Kliniki',
      initial_state: 'karibu',
      states: [{ name: 'karibu', type: 'STANDARD', actions: [{ type: 'SEND_MESSAGE', text: 'Karibu' }], transitions: [] }],
      intents: [{ name: 'salamu', examples: ['habari'], enabled: true, connected_to: 'karibu' }],
    };
    writeFileSync(file, JSON.stringify(stateList, null, 2));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    await waitFor(() => flowDiagnostics(uri, 'Sarufi sandbox').length > 0, 'the state-list problem');
    const problems = flowDiagnostics(uri, 'Sarufi sandbox');
    assert.equal(problems.length, 1, problems.map((problem) => problem.message).join(' | '));
    assert.match(problems[0]?.message ?? '', /a shape seen in 2026 that Sarufi's docs do not describe/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, problems[0]?.range);
    const fix = actions.find((action) => action.command?.command === 'sarufi.convertV1Flow');
    assert.ok(fix?.command, `offered: ${actions.map((action) => action.title).join(', ')}`);
    const written = await vscode.commands.executeCommand<string | undefined>('sarufi.convertV1Flow', ...(fix.command.arguments ?? []), { overwrite: true });
    assert.equal(written, vscode.Uri.file(join(folder, 'kliniki-converted.flow.json')).toString());
    const converted = JSON.parse(readFileSync(join(folder, 'kliniki-converted.flow.json'), 'utf8')) as { states: Record<string, { message: string }> };
    assert.equal(converted.states.karibu?.message, 'Karibu');
  });

  test('the schema gives completion and hover documentation in flow files', async () => {
    const file = join(folder, 'schema.flow.json');
    writeFileSync(file, '{\n  "greet": {\n    "message": "Hi",\n    \n  }\n}\n');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    let labels: string[] = [];
    await waitFor(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(3, 4));
        labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
        return labels.some((label) => label.includes('transitions'));
      },
      'the JSON language service to offer the schema properties',
      20_000,
    ).catch(() => undefined);
    assert.ok(labels.some((label) => label.includes('transitions')), `completion offered ${labels.join(', ')}`);
    assert.ok(labels.some((label) => label.includes('save_input_as')));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 7));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    // The schema's own words for a state's "message" (definitions.messageSpec).
    // Markdown escapes the final period, so the sentence is matched without it.
    assert.match(text, /A text, one message, or a list of them/, `hover said: ${text}`);
  });

  let previewUri: vscode.Uri;
  let panel: ChatPanel;

  test('Preview Flow opens the chat beside the file and marks the states reached', async () => {
    const file = join(folder, 'preview.flow.json');
    writeFileSync(file, PREVIEW_FLOW);
    previewUri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(previewUri, { viewColumn: vscode.ViewColumn.One });
    const opened = await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.previewFlow', previewUri);
    panel = panelOf(await extensionApi(), opened);
    await withTimeout(panel.whenReady(), 20_000, 'the chat page to say ready');
    await panel.waitForEntry((entry) => entry.kind === 'turn');
    assert.equal(panel.transcript.session.environmentId, 'sandbox');
    assert.equal(panel.panel.viewColumn, vscode.ViewColumn.Two, 'the panel opens beside the flow file');
    assert.equal(await panel.send('Go', 'go'), true);
    assert.equal((panel.transcript.entries.at(-1) as TurnEntry).currentState, 'middle');
    const progress = await vscode.commands.executeCommand<PreviewProgress | undefined>('sarufi.showUnvisitedStates', previewUri);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.deepEqual(progress && { current: progress.current, visited: progress.visited, notVisited: progress.notVisited }, {
      current: 'middle',
      visited: ['welcome', 'middle'],
      notVisited: ['finish'],
    });
  });

  test('a current_state badge reveals its state in the flow file', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('sarufi.revealState', panel.transcript.session.chatbotId, 'finish');
    assert.ok(editor);
    assert.equal(editor.document.uri.toString(), previewUri.toString());
    assert.equal(editor.selection.start.line, 14);
    assert.equal(editor.document.getText(editor.selection), '"finish"');
  });

  test('an edit saved in the flow file reaches the panel, which carries on', async () => {
    const document = await vscode.workspace.openTextDocument(previewUri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(previewUri, document.lineAt(14).range, '  "finish": { "message": "Done, asante!" }');
    await vscode.workspace.applyEdit(edit);
    await document.save();
    const notice = await panel.waitForEntry((entry: TranscriptEntry) => entry.kind === 'divider' && entry.text.startsWith('Flow changed'));
    assert.equal(notice.kind === 'divider' && notice.text.includes("carries on in 'middle'"), true, JSON.stringify(notice));
    assert.equal(await panel.send('next'), true);
    assert.equal((panel.transcript.entries.at(-1) as TurnEntry).currentState, 'finish');
    await panel.restartSession('Flow changed: new session');
    const restarted = panel.transcript.entries.at(-1) as TurnEntry;
    assert.equal(restarted.kind, 'turn');
    assert.equal(panel.transcript.session.status, 'open');
    panel.panel.dispose();
  });

  suite('flows on a server', () => {
    let sandbox: RunningSandbox;
    let remoteDir: string;
    let chatbotId: string;
    let flowId: string;
    const KEY = 'sk-test-flows-7c3e1b';

    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${sandbox.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      assert.ok(response.ok, `${method} ${path} answered ${response.status}`);
      return (await response.json()) as T;
    };

    suiteSetup(async () => {
      remoteDir = mkdtempSync(join(tmpdir(), 'sarufi-flows-remote-'));
      writeFileSync(join(remoteDir, 'shop.flow.json'), PREVIEW_FLOW);
      sandbox = await startSandbox({ flowDirs: [remoteDir], apiKey: KEY });
      const bot = sandbox.chatbots()[0];
      assert.ok(bot);
      chatbotId = bot.id;
      const flows = await api<FlowList>('GET', `/chatbots/${chatbotId}/flows`);
      flowId = flows.items[0]?.id ?? '';
      await connectCustomServer(sandbox.baseUrl, KEY);
    });

    suiteTeardown(async () => {
      await disconnectCustomServer();
      await sandbox?.close();
      if (remoteDir) {
        rmSync(remoteDir, { recursive: true, force: true });
      }
    });

    test('Open Flow shows the flow as a sarufi: document, and saving sends PATCH', async () => {
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('sarufi.openFlow', { chatbotId, flowId, name: 'Shop' });
      assert.ok(editor);
      assert.equal(editor.document.uri.scheme, 'sarufi');
      assert.equal(editor.document.uri.path, `/${chatbotId}/${flowId}/Shop.flow.json`);
      assert.deepEqual(JSON.parse(editor.document.getText()), JSON.parse(PREVIEW_FLOW));
      const line = editor.document.getText().split('\n').findIndex((text) => text.includes('"Done."'));
      await editor.edit((builder) => builder.replace(editor.document.lineAt(line).range, '    "message": "Done."\n  },\n  "extra": {\n    "message": "x",\n    "transitions": { "default": "nowhere_yet" }'));
      assert.equal(await editor.document.save(), true);
      const remote = await api<Flow>('GET', `/chatbots/${chatbotId}/flows/${flowId}`);
      assert.deepEqual((remote.flow.extra as { transitions: unknown }).transitions, { default: 'nowhere_yet' });
    });

    test("Validate on Sarufi puts the service's errors on their lines", async () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      assert.ok(uri && uri.scheme === 'sarufi');
      const result = await vscode.commands.executeCommand<ValidationResult | undefined>('sarufi.validateFlowOnSarufi', uri);
      assert.equal(result?.valid, false);
      const document = await vscode.workspace.openTextDocument(uri);
      const expectedLine = document.getText().split('\n').findIndex((text) => text.includes('"nowhere_yet"'));
      const error = flowDiagnostics(uri, 'Sarufi').find((diagnostic) => diagnostic.message === "Unknown state 'nowhere_yet'.");
      assert.ok(error, JSON.stringify(flowDiagnostics(uri, 'Sarufi').map((d) => d.message)));
      assert.equal(error.range.start.line, expectedLine);
      assert.equal(document.getText(error.range), '"nowhere_yet"');
    });

    test('Publish is refused with the reason while the flow has errors, then succeeds once fixed', async () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      assert.ok(uri);
      assert.equal(await vscode.commands.executeCommand('sarufi.publishFlow', uri, { confirmed: true }), undefined);
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor);
      const text = editor.document.getText().replace('"nowhere_yet"', '"finish"');
      await editor.edit((builder) => builder.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), text));
      const published = await vscode.commands.executeCommand<PublishResult | undefined>('sarufi.publishFlow', uri, { confirmed: true });
      assert.equal(published?.status, 'published');
      const remote = await api<Flow>('GET', `/chatbots/${chatbotId}/flows/${flowId}`);
      assert.equal(remote.status, 'published');
      assert.equal((remote.flow.extra as { transitions: { default: string } }).transitions.default, 'finish');
    });

    test('Pull writes the flow into the workspace; Push refuses to overwrite a newer remote unless told', async () => {
      const target = vscode.Uri.file(join(folder, 'pulled.flow.json'));
      const pulled = await vscode.commands.executeCommand<vscode.Uri | undefined>('sarufi.pullFlow', { chatbotId, flowId, name: 'Shop' }, target);
      assert.equal(pulled?.toString(), target.toString());
      const remote = await api<Flow>('GET', `/chatbots/${chatbotId}/flows/${flowId}`);
      assert.deepEqual(JSON.parse(readFileSync(target.fsPath, 'utf8')), remote.flow);

      // Somebody else edits the flow on the server after the pull.
      await new Promise((resolve) => setTimeout(resolve, 5));
      await api<Flow>('PATCH', `/chatbots/${chatbotId}/flows/${flowId}`, { flow: { ...remote.flow, finish: { message: 'Changed elsewhere.' } } });
      const local = JSON.parse(readFileSync(target.fsPath, 'utf8')) as Record<string, unknown>;
      writeFileSync(target.fsPath, JSON.stringify({ ...local, finish: { message: 'Changed here.' } }, null, 2));

      const refused = await vscode.commands.executeCommand<PushOutcome>('sarufi.pushFlow', target, { onConflict: 'cancel', sandboxSpellings: 'send' });
      assert.equal(refused.status, 'conflict');
      assert.match(refused.status === 'conflict' ? refused.message : '', /changed since you pulled it/);
      const untouched = await api<Flow>('GET', `/chatbots/${chatbotId}/flows/${flowId}`);
      assert.deepEqual(untouched.flow.finish, { message: 'Changed elsewhere.' });

      const pushed = await vscode.commands.executeCommand<PushOutcome>('sarufi.pushFlow', target, { onConflict: 'overwrite', sandboxSpellings: 'send' });
      assert.equal(pushed.status, 'pushed');
      const after = await api<Flow>('GET', `/chatbots/${chatbotId}/flows/${flowId}`);
      assert.deepEqual(after.flow.finish, { message: 'Changed here.' });

      // Pushed once, the link is up to date: the next push needs no decision.
      const again = await vscode.commands.executeCommand<PushOutcome>('sarufi.pushFlow', target, { onConflict: 'cancel', sandboxSpellings: 'send' });
      assert.equal(again.status, 'pushed');
    });

    test("Push sends Sarufi's format only: the schema link, local integrations and the chatbot name stay here; sandbox spellings can stop it", async () => {
      const target = vscode.Uri.file(join(folder, 'local-keys.flow.json'));
      const secret = 'sk-backend-secret-7f3a9c';
      writeFileSync(
        target.fsPath,
        JSON.stringify({
          $schema: '../dist/flow.schema.json',
          name: 'Local name',
          integrations: { orders: { baseUrl: 'http://127.0.0.1:9', headers: { 'X-Api-Key': secret } } },
          welcome: { message: 'Hi', description: 'editor note', transitions: { keywords: { menu: 'welcome' }, default: 'welcome' } },
        }),
      );
      const before = await api<Flow>('GET', `/chatbots/${chatbotId}/flows/${flowId}`);
      const stopped = await vscode.commands.executeCommand<PushOutcome>('sarufi.pushFlow', target, { chatbotId, flowId, onConflict: 'overwrite', sandboxSpellings: 'cancel' });
      assert.equal(stopped.status, 'cancelled');
      assert.deepEqual((await api<Flow>('GET', `/chatbots/${chatbotId}/flows/${flowId}`)).flow, before.flow, 'a cancelled push sends nothing');

      const pushed = await vscode.commands.executeCommand<PushOutcome>('sarufi.pushFlow', target, { chatbotId, flowId, onConflict: 'overwrite', sandboxSpellings: 'send' });
      assert.equal(pushed.status, 'pushed');
      assert.deepEqual(pushed.status === 'pushed' && pushed.removed, ['$schema', 'name', 'integrations', 'states.welcome.description']);
      // What the server stored is the body it received.
      const received = await api<Flow>('GET', `/chatbots/${chatbotId}/flows/${flowId}`);
      assert.deepEqual(received.flow, { welcome: { message: 'Hi', transitions: { keywords: { menu: 'welcome' }, default: 'welcome' } } });
      assert.ok(!JSON.stringify(received).includes(secret), 'the integration secret never left the machine');
    });
  });
});
