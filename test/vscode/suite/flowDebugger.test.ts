// The flow debugger's host side in a real VS Code: Fork from here on the local sandbox (from the
// turn's snapshot: the same state and variables, no backend called again) and on a custom server
// (the author's inputs sent again), a persona's headers at the backend, Chat from here's CodeLens
// and start form, and Compare Transcripts' diff.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { entryTrace } from '../../../src/chat/entryTrace.js';
import type { DividerEntry, TranscriptEntry, TurnEntry } from '../../../src/chat/transcript.js';
import type { SarufiExtensionApi } from '../../../src/extension.js';
import type { ChatPanel, OpenedChat } from '../../../src/host/chatPanel.js';
import { startSandbox } from '../../../src/sandbox/server.js';
import type { RunningSandbox } from '../../../src/sandbox/server.js';
import { closeAllEditors, connectCustomServer, disconnectCustomServer, extensionApi, panelOf, waitFor, withTimeout } from '../support.js';

const EXAMPLES = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

/** A backend on loopback that counts its calls and keeps their headers. */
interface CountingBackend {
  baseUrl: string;
  calls: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function countingBackend(): Promise<CountingBackend> {
  const calls: CountingBackend['calls'] = [];
  const server: Server = createServer((request, response) => {
    calls.push({ path: request.url ?? '', headers: request.headers });
    const name = decodeURIComponent((request.url ?? '').split('/').pop() ?? '');
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ name, tier: 'gold' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Pick a drink after the backend has looked the author up: the third turn is a choice between two buttons. */
function cafeFlow(name: string, backendUrl: string): string {
  return JSON.stringify(
    {
      name,
      integrations: { users: { baseUrl: backendUrl } },
      start: {
        initial: true,
        message: { type: 'buttons', text: 'Karibu! Order something?', buttons: [{ id: 'order', title: 'Order' }] },
        transitions: { buttons: { order: 'ask_name' }, default: 'start' },
      },
      ask_name: { message: 'Your name?', transitions: { default: 'lookup' } },
      lookup: {
        actions: [{ type: 'API_CALL', integration: 'users', path: '/users/{{variables.ask_name}}', method: 'GET', save_to: 'user', success_transition: 'menu', failure_transition: 'oops' }],
      },
      menu: {
        message: { type: 'buttons', text: 'Hi {{variables.user.name}}, coffee or tea?', buttons: [{ id: 'coffee', title: 'Coffee' }, { id: 'tea', title: 'Tea' }] },
        transitions: { buttons: { coffee: 'coffee', tea: 'tea' }, default: 'menu' },
      },
      coffee: { message: 'Coffee for {{variables.user.name}}.' },
      tea: { message: 'Tea for {{variables.user.name}}.' },
      oops: { message: 'The users backend did not answer.' },
    },
    null,
    2,
  );
}

function lastTurn(panel: ChatPanel): TurnEntry {
  const turn = panel.transcript.entries.filter((entry): entry is TurnEntry => entry.kind === 'turn').at(-1);
  assert.ok(turn, 'the panel has a turn');
  return turn;
}

function textOf(entry: TranscriptEntry): string {
  return entry.kind === 'turn' ? entry.messages.map((message) => ('text' in message ? message.text : '')).join('\n') : '';
}

/** Greeting, Order, a name: the reply to the name is the menu, after one backend call. */
async function chatToMenu(panel: ChatPanel): Promise<TurnEntry> {
  await withTimeout(panel.whenReady(), 20_000, 'the chat page to say ready');
  await panel.waitForEntry((entry) => entry.kind === 'turn');
  assert.equal(await panel.send('Order', 'order'), true);
  assert.equal(await panel.send('Ann'), true);
  const menu = lastTurn(panel);
  assert.equal(menu.currentState, 'menu');
  return menu;
}

suite('Flow debugger: fork, persona, Chat from here, compare', () => {
  let api: SarufiExtensionApi;
  let folder: string;
  let backend: CountingBackend;

  suiteSetup(async () => {
    api = await extensionApi();
    backend = await countingBackend();
    // Not a dot-folder: the sandbox skips those.
    folder = join(EXAMPLES, `tmp-debugger-suite-${process.pid}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'cafe.flow.json'), cafeFlow('Debugger Cafe', backend.baseUrl));
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    rmSync(folder, { recursive: true, force: true });
    await backend.close();
  });

  suite('on the local sandbox', () => {
    let original: ChatPanel;
    let fork: ChatPanel;

    suiteSetup(async () => {
      await vscode.workspace.getConfiguration('sarufi').update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
    });

    suiteTeardown(async () => {
      await vscode.workspace.getConfiguration('sarufi').update('environment', undefined, vscode.ConfigurationTarget.Global);
    });

    test('a fork from the third turn starts in its state with its variables, and calls no backend again', async () => {
      const cafe = (await api.sandbox.chatbots()).find((bot) => bot.name === 'Debugger Cafe');
      assert.ok(cafe, 'the sandbox runs the suite\'s flow');
      original = panelOf(api, await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: cafe.id }));
      const menu = await chatToMenu(original);
      assert.equal(backend.calls.length, 1, 'the lookup called the backend once');
      const originalTrace = entryTrace(menu);
      assert.ok(originalTrace, 'the sandbox traced the turn');

      fork = api.panels.fork(original, menu.id);
      await withTimeout(fork.whenReady(), 20_000, 'the forked page to say ready');
      const greeting = (await fork.waitForEntry((entry) => entry.kind === 'turn' && entry.sessionId !== menu.sessionId, 20_000)) as TurnEntry;
      assert.notEqual(fork.panelId, original.panelId);
      assert.equal(fork.transcript.session.status, 'open');
      const forkTrace = entryTrace(greeting);
      assert.equal(forkTrace?.to, 'menu');
      assert.deepEqual(forkTrace?.variables.after, originalTrace.variables.after);
      assert.deepEqual(fork.transcript.session.trail, ['menu']);
      assert.equal(backend.calls.length, 1, 'the fork restored a snapshot: nothing ran again');

      // Copied above the divider: the original's entries up to that turn, in order.
      const divider = fork.transcript.entries.findIndex((entry) => entry.kind === 'divider' && /^Forked from turn 2 \(state 'menu'\)/.test(entry.text));
      assert.deepEqual(
        fork.transcript.entries.slice(0, divider).map((entry) => entry.id),
        original.transcript.entries.slice(0, original.transcript.entries.indexOf(menu) + 1).map((entry) => entry.id),
      );
    });

    test('the fork takes the other button and the original goes on as it was', async () => {
      assert.equal(await fork.send('Tea', 'tea'), true);
      assert.equal(textOf(lastTurn(fork)), 'Tea for Ann.');
      assert.equal(await original.send('Coffee', 'coffee'), true);
      assert.equal(textOf(lastTurn(original)), 'Coffee for Ann.');
      assert.equal(backend.calls.length, 1);
    });

    test('Compare Transcripts opens the diff of the two chats as text', async () => {
      const uris = await vscode.commands.executeCommand<[string, string] | undefined>('sarufi.compareTranscripts', { panelId: original.panelId, otherPanelId: fork.panelId });
      assert.ok(uris, 'the command says which documents it compared');
      await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff, 'the diff editor to open');
      const diff = vscode.window.tabGroups.activeTabGroup.activeTab?.input as vscode.TabInputTextDiff;
      assert.equal(diff.original.toString(), uris[0]);
      assert.equal(diff.modified.toString(), uris[1]);
      const [left, right] = await Promise.all(uris.map((uri) => vscode.workspace.openTextDocument(vscode.Uri.parse(uri))));
      assert.ok(left && right);
      assert.match(left.getText(), /## turn 3: > "Coffee" \(button coffee\)\nstate: coffee\n {2}Coffee for Ann\./);
      assert.match(right.getText(), /## turn 3: > "Tea" \(button tea\)\nstate: tea\n {2}Tea for Ann\./);
      assert.match(right.getText(), /user = \{"name":"Ann","tier":"gold"\}/);
      assert.doesNotMatch(left.getText() + right.getText(), new RegExp(original.transcript.session.sessionId ?? 'no session'));
    });

    test('a persona reaches the backend in the X-Sarufi headers and the session keeps it', async () => {
      await original.setPersona({ contactName: 'Juma', userId: '255700000001', channel: 'whatsapp', language: 'sw' });
      assert.equal(original.transcript.session.persona?.contactName, 'Juma');
      const before = backend.calls.length;
      assert.equal(await original.send('Order', 'order'), true);
      assert.equal(await original.send('Juma'), true);
      const call = backend.calls[before];
      assert.ok(call, 'the new session called the backend');
      assert.equal(call.headers['x-sarufi-user-name'], 'Juma');
      assert.equal(call.headers['x-sarufi-user-id'], '255700000001');
      assert.equal(call.headers['x-sarufi-channel'], 'whatsapp');
      assert.equal(call.headers['x-sarufi-language'], 'sw');
    });

    test('Chat from here: a CodeLens on every state, and a session that starts in the state with the variables filled in', async () => {
      const uri = vscode.Uri.file(join(folder, 'cafe.flow.json'));
      await vscode.window.showTextDocument(uri);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const ours = lenses.filter((lens) => lens.command?.command === 'sarufi.chatFromHere');
      assert.deepEqual(
        ours.map((lens) => lens.command?.arguments?.[1]),
        ['start', 'ask_name', 'lookup', 'menu', 'coffee', 'tea', 'oops'],
      );
      assert.ok(ours.every((lens) => lens.command?.title === 'Chat from here'));
      const menuLens = ours[3];
      assert.ok(menuLens?.command);

      const before = backend.calls.length;
      const panel = panelOf(api, await vscode.commands.executeCommand<OpenedChat | undefined>(menuLens.command.command, ...(menuLens.command.arguments ?? [])));
      await withTimeout(panel.whenReady(), 20_000, 'the page to say ready');
      assert.deepEqual(panel.pendingStartForm, { state: 'menu', variables: { ask_name: '', user: { name: '' } } });
      assert.equal(panel.transcript.entries.length, 0, 'no session before the author presses Start');

      await panel.startAt({ ask_name: 'Zawadi', user: { name: 'Zawadi' } });
      const greeting = lastTurn(panel);
      assert.equal(greeting.currentState, 'menu');
      assert.equal(textOf(greeting), 'Hi Zawadi, coffee or tea?');
      assert.equal(panel.pendingStartForm, null);
      assert.equal(await panel.send('Coffee', 'coffee'), true);
      assert.equal(textOf(lastTurn(panel)), 'Coffee for Zawadi.');
      assert.equal(backend.calls.length, before, 'starting in the menu ran no lookup');
    });

    test('Chat from here in a state that is gone keeps the form and says why in words', async () => {
      const uri = vscode.Uri.file(join(folder, 'cafe.flow.json'));
      const panel = panelOf(api, await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.chatFromHere', uri, 'menu'));
      await withTimeout(panel.whenReady(), 20_000, 'the page to say ready');
      // The file changed after the form opened: the state it names is no longer there.
      writeFileSync(join(folder, 'cafe.flow.json'), cafeFlow('Debugger Cafe', backend.baseUrl).replace(/"menu"/g, '"drinks"'));
      await api.sandbox.reload();
      await panel.startAt({});
      const error = panel.transcript.entries.at(-1);
      assert.equal(error?.kind, 'error');
      assert.match(error.kind === 'error' ? error.message : '', /menu/);
      assert.deepEqual(panel.pendingStartForm?.state, 'menu', 'the form stays for another try');
      writeFileSync(join(folder, 'cafe.flow.json'), cafeFlow('Debugger Cafe', backend.baseUrl));
      await api.sandbox.reload();
    });

    test('a fork after the sandbox lost the session says so, replays the inputs as the same persona, and lands on the same state', async () => {
      const menu = lastTurn(original);
      assert.equal(menu.currentState, 'menu');
      const before = backend.calls.length;
      // A new sandbox process on the next use: the sessions of the old one are gone.
      await api.sandbox.restart();
      const fork = api.panels.fork(original, menu.id);
      const done = (await fork.waitForEntry((entry) => entry.kind === 'divider' && entry.text.startsWith('Replay done'), 30_000)) as DividerEntry;
      assert.match(done.text, /2 inputs sent/);
      assert.ok(fork.transcript.entries.some((entry) => entry.kind === 'divider' && /^The sandbox no longer has that session/.test(entry.text)), 'the panel says why it replays');
      assert.equal(lastTurn(fork).currentState, 'menu');
      assert.equal(backend.calls.length, before + 1, 'the replay ran the lookup again');
      assert.equal(backend.calls.at(-1)?.headers['x-sarufi-user-name'], 'Juma', 'the fork chats as the same persona');
      assert.equal(fork.transcript.session.persona?.contactName, 'Juma');
    });
  });

  suite('on a custom server (no snapshots)', () => {
    let server: RunningSandbox;
    const messagesPosted: string[] = [];

    suiteSetup(async () => {
      server = await startSandbox({ flowDirs: [folder], apiKey: 'sk-test-debugger-7c2f', log: (line) => /\/messages \d{3}/.test(line) && messagesPosted.push(line) });
      await connectCustomServer(server.baseUrl, 'sk-test-debugger-7c2f');
    });

    suiteTeardown(async () => {
      await disconnectCustomServer();
      await server.close();
    });

    test('a fork replays the author\'s inputs in a new session, says so, and ends where the original turn did', async () => {
      const cafe = server.chatbots().find((bot) => bot.name === 'Debugger Cafe');
      assert.ok(cafe);
      const original = panelOf(api, await vscode.commands.executeCommand<OpenedChat | undefined>('sarufi.startChat', { chatbotId: cafe.id }));
      const menu = await chatToMenu(original);
      assert.equal(messagesPosted.length, 2);

      const fork = api.panels.fork(original, menu.id);
      const done = (await fork.waitForEntry((entry) => entry.kind === 'divider' && entry.text.startsWith('Replay done'), 20_000)) as DividerEntry;
      assert.match(done.text, /2 inputs sent/);
      assert.ok(fork.transcript.entries.some((entry) => entry.kind === 'divider' && /keeps no snapshots of a conversation: replaying your 2 inputs/.test(entry.text)), 'the panel says it replays');
      assert.equal(messagesPosted.length, 4, 'the two inputs were sent again');
      const replayed = fork.transcript.entries.filter((entry): entry is TurnEntry => entry.kind === 'turn' && entry.sessionId === fork.transcript.session.sessionId);
      assert.deepEqual(replayed.map((entry) => entry.user), [undefined, { text: 'Order', buttonId: 'order' }, { text: 'Ann' }]);
      assert.equal(lastTurn(fork).currentState, 'menu');
      assert.notEqual(fork.transcript.session.sessionId, original.transcript.session.sessionId);
      assert.equal(await fork.send('Tea', 'tea'), true);
      assert.equal(textOf(lastTurn(fork)), 'Tea for Ann.');
    });

    test('a persona on a server other than the sandbox is a plain note, and the session goes on', async () => {
      const panel = api.panels.all().at(-1);
      assert.ok(panel);
      const sessionId = panel.transcript.session.sessionId;
      await panel.setPersona({ contactName: 'Juma' });
      const note = panel.transcript.entries.at(-1);
      assert.equal(note?.kind, 'divider');
      assert.match(note.kind === 'divider' ? note.text : '', /^Personas are a local sandbox feature/);
      assert.equal(panel.transcript.session.sessionId, sessionId);
      assert.equal(panel.transcript.session.persona, undefined);
    });
  });
});
