// The flow debug adapter in a real VS Code: F5 on an example flow with no launch.json starts a
// `sarufi-flow` session, the chat panel beside it is the debuggee's window, a gutter breakpoint on
// a state's key stops there, and the Variables view's scopes hold the answer just given.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ChatPanel } from '../../../src/host/chatPanel.js';
import { closeAllEditors, extensionApi, waitFor, withTimeout } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const FLOW = join(EXAMPLES, 'pizza-order.flow.json');

interface Stop {
  reason: string;
}

suite('flow debug adapter', () => {
  const stops: Stop[] = [];
  let tracker: vscode.Disposable | undefined;

  suiteSetup(() => {
    tracker = vscode.debug.registerDebugAdapterTrackerFactory('sarufi-flow', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: Stop }) => {
          if (message.type === 'event' && message.event === 'stopped' && message.body) {
            stops.push(message.body);
          }
        },
      }),
    });
  });

  suiteTeardown(async () => {
    tracker?.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.debug.stopDebugging();
    await closeAllEditors();
  });

  test('F5 on an example flow stops at a breakpoint on a state key, and the Variables scope holds the answer just given', async () => {
    const api = await extensionApi();
    const document = await vscode.workspace.openTextDocument(FLOW);
    await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').findIndex((text) => text.includes('"choose_pizza": {'));
    assert.ok(line > 0, 'the example has a choose_pizza state');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(line, 4)))]);

    const started = new Promise<vscode.DebugSession>((resolve) => {
      const listener = vscode.debug.onDidStartDebugSession((session) => {
        listener.dispose();
        resolve(session);
      });
    });
    await vscode.commands.executeCommand('workbench.action.debug.start');
    const session = await withTimeout(started, 20_000, 'the debug session to start');
    assert.equal(session.type, 'sarufi-flow');

    let panel: ChatPanel | undefined;
    await waitFor(() => {
      panel = api.panels.all().find((candidate) => candidate.transcript.session.chatbotId === `debug:${FLOW}`);
      return panel !== undefined && panel.transcript.entries.some((entry) => entry.kind === 'turn');
    }, 'the debuggee chat panel with the greeting', 20_000);
    assert.ok(panel);

    const sent = panel.send('order');
    await waitFor(() => stops.length > 0, 'the breakpoint to be hit', 20_000);
    assert.equal(stops[0]?.reason, 'breakpoint');

    const trace = (await session.customRequest('stackTrace', { threadId: 1 })) as { stackFrames: { id: number; line: number; source?: { path?: string } }[] };
    const top = trace.stackFrames[0];
    assert.equal(top?.line, line + 1);
    // A remote window (code-server) speaks of sources as URIs; a local one as paths.
    const sourcePath = top?.source?.path ?? '';
    assert.equal(sourcePath.includes('://') ? vscode.Uri.parse(sourcePath).fsPath : sourcePath, FLOW);
    const scopes = (await session.customRequest('scopes', { frameId: top?.id })) as { scopes: { name: string; variablesReference: number }[] };
    const variablesScope = scopes.scopes.find((scope) => scope.name === 'Variables');
    assert.ok(variablesScope);
    const variables = (await session.customRequest('variables', { variablesReference: variablesScope.variablesReference })) as { variables: { name: string; value: string }[] };
    assert.equal(variables.variables.find((variable) => variable.name === 'main_menu')?.value, '"order"');

    await session.customRequest('continue', { threadId: 1 });
    assert.equal(await withTimeout(sent, 20_000, 'the turn to finish after Continue'), true);
    const last = panel.transcript.entries.at(-1);
    assert.equal(last?.kind === 'turn' ? last.currentState : null, 'choose_pizza');

    // A line typed in the Debug Console is the user's message: it goes through the panel, which shows it.
    const entries = panel.transcript.entries.length;
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await session.customRequest('evaluate', { expression: 'Margherita', context: 'repl' });
    const debuggee = panel;
    await waitFor(() => debuggee.transcript.entries.length > entries && debuggee.transcript.entries.at(-1)?.kind === 'turn' && (debuggee.transcript.entries.at(-1) as { pending?: boolean }).pending !== true, 'the Debug Console line to reach the panel and be answered', 20_000);
    const typed = panel.transcript.entries.at(-1);
    assert.equal(typed?.kind === 'turn' ? typed.user?.text : null, 'Margherita');
    assert.equal(typed?.kind === 'turn' ? typed.currentState : null, 'choose_size');
    await vscode.debug.stopDebugging(session);
  });

  test("the Test Explorer's Debug profile plays a conversation test in the debugger, stops at the author's breakpoint, and reports the test passed", async () => {
    const api = (await extensionApi()).conversationTests;
    await api.discover();
    let pizza: vscode.TestItem | undefined;
    api.controller.items.forEach((item) => {
      if (item.uri?.fsPath.endsWith('pizza-order.sarufi-test.yaml')) {
        pizza = item;
      }
    });
    assert.ok(pizza, 'the example test is in the Test Explorer');
    const document = await vscode.workspace.openTextDocument(FLOW);
    const line = document.getText().split('\n').findIndex((text) => text.includes('"ask_area": {'));
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(line, 4)))]);
    stops.length = 0;
    const source = new vscode.CancellationTokenSource();
    let session: vscode.DebugSession | undefined;
    const listener = vscode.debug.onDidStartDebugSession((started) => {
      session = started;
    });
    const run = api.profiles.debug.runHandler(new vscode.TestRunRequest([pizza], [], api.profiles.debug), source.token);
    await waitFor(() => stops.length > 0, 'the debugger to stop at ask_area', 30_000);
    assert.equal(stops[0]?.reason, 'breakpoint');
    listener.dispose();
    assert.equal(session?.configuration.name, 'Debug test: Order two margheritas');
    await session?.customRequest('continue', { threadId: 1 });
    await withTimeout(Promise.resolve(run), 60_000, 'the debug run to finish');
    assert.deepEqual(api.lastDebugOutcomes(), [{ name: 'Order two margheritas', passed: true, failures: [] }]);
  });
});
