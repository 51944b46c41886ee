import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Transcript, TurnEntry } from '../../src/chat/transcript.js';
import { runCli } from '../../src/cli/sarufiTest.js';
import type { CliIo } from '../../src/cli/sarufiTest.js';
import { bugReportFileName, buildBugReport, curlOf, sha256 } from '../../src/conversationTests/bugReport.js';
import type { BugReport } from '../../src/conversationTests/bugReport.js';
import { readTurnTrace } from '../../src/flow/turnTrace.js';
import { SarufiClient } from '../../src/sarufi/client.js';
import { endpoints } from '../../src/sarufi/endpoints.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { RunningSandbox } from '../../src/sandbox/server.js';

const KEY = 'sk-bug-report-secret-0123456789';
const PIZZA_FLOW = join(__dirname, '..', '..', 'examples', 'pizza-order.flow.json');

function captureIo(cwd: string): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line), env: {}, cwd };
}

/** A real chat with the sandbox, recorded as the chat panel records it. */
async function recordChat(sandbox: RunningSandbox): Promise<Transcript> {
  const bot = sandbox.chatbots()[0];
  assert.ok(bot);
  const client = new SarufiClient({ baseUrl: sandbox.baseUrl, apiKey: KEY });
  const entries: TurnEntry[] = [];
  const turn = (sessionId: string, data: { messages: TurnEntry['messages']; current_state?: string | null }, exchange: TurnEntry['exchange'], user?: TurnEntry['user']): TurnEntry => ({
    kind: 'turn', id: String(entries.length), sessionId, ...(user ? { user } : {}), messages: data.messages, currentState: data.current_state ?? null,
    messagesCount: null, at: '2026-12-01T10:00:00.000Z', durationMs: 1, status: 200, exchange,
  });
  const created = await client.call(endpoints.createSession(bot.id));
  const sessionId = created.data.session_id;
  entries.push(turn(sessionId, created.data, created.exchange));
  // The author pasted the key into the chat by mistake: the report must not carry it.
  for (const user of [{ text: 'Agiza / Order', buttonId: 'order' }, { text: `my key is ${KEY}` }]) {
    const sent = await client.call(endpoints.sendMessage(bot.id, sessionId, user.buttonId ? { message: user.text, button_id: user.buttonId } : { message: user.text }));
    entries.push(turn(sessionId, sent.data, sent.exchange, user));
  }
  return {
    version: 1,
    session: { chatbotId: bot.id, chatbotName: 'Pizza Bahari', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: sandbox.baseUrl, sessionId, createdAt: null, messagesCount: null, expiresAt: null, trail: [], status: 'open' },
    entries,
  };
}

describe('bug reports', () => {
  let dir: string;
  let sandbox: RunningSandbox;
  let reportPath: string;
  let text: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarufi-bug-'));
    writeFileSync(join(dir, 'pizza.flow.json'), readFileSync(PIZZA_FLOW));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'flow');
    sandbox = await startSandbox({ flowDirs: [dir], apiKey: KEY });
    text = await buildBugReport({ transcript: await recordChat(sandbox), flow: { path: join(dir, 'pizza.flow.json'), fromReport: 'pizza.flow.json' }, mocks: null, secrets: [KEY] });
    reportPath = join(dir, 'pizza.sarufi-bug.json');
    writeFileSync(reportPath, text);
  });

  after(() => sandbox.close());

  it('holds the flow file hash and git commit, the persona, the transcript and each request as curl, with the key scrubbed', () => {
    assert.doesNotMatch(text, new RegExp(KEY));
    const report = JSON.parse(text) as BugReport;
    assert.equal(report.flow?.sha256, sha256(readFileSync(join(dir, 'pizza.flow.json'), 'utf8')));
    assert.equal(report.flow?.git?.commit, execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim());
    assert.equal(report.flow?.git?.fileModified, false);
    assert.deepEqual(report.persona, { contactName: 'Sandbox user' });
    assert.equal(report.transcript.entries.length, 3);
    assert.equal(report.requests.length, 3);
    assert.match(report.requests[1] ?? '', /^curl -X POST '.*\/chat\/sessions\/[^/]+\/messages' .*-H "Authorization: Bearer \$SARUFI_API_KEY" .*--data-raw '\{"message":"Agiza \/ Order","message_type":"button","button_id":"order"\}'$/);
    assert.match(report.test, /- send: my key is \[redacted\]/);
  });

  it("carries the sandbox's trace of every turn in its transcript: the turn's number, the state it reached and the trigger that matched", () => {
    const report = JSON.parse(text) as BugReport;
    const traces = report.transcript.entries.map((entry) => (entry.kind === 'turn' ? readTurnTrace(entry.exchange.responseJson) : null));
    assert.deepEqual(traces.map((trace) => trace?.turn), [0, 1, 2]);
    assert.deepEqual(traces.slice(1).map((trace) => trace?.to), report.transcript.entries.slice(1).map((entry) => (entry.kind === 'turn' ? entry.currentState : null)));
    const clicked = traces[1]?.events.find((event) => event.type === 'transition');
    assert.equal(clicked?.type === 'transition' ? clicked.trigger : null, 'button');
  });

  it('is named after the flow file for a sandbox chat, else after the chatbot, in safe characters', () => {
    assert.equal(bugReportFileName('/w/pizza-order.flow.json', 'Pizza Bahari'), 'pizza-order.sarufi-bug.json');
    assert.equal(bugReportFileName(undefined, 'Duka Support / live'), 'Duka-Support-live.sarufi-bug.json');
  });

  it('curl quotes a single quote in a body so the shell keeps it', () => {
    const curl = curlOf({ method: 'POST', url: 'http://x/y', requestHeaders: {}, requestBody: { message: "it's" }, status: 200, responseHeaders: {}, responseText: '', responseJson: undefined, startedAt: '', durationMs: 0, error: null } as unknown as TurnEntry['exchange']);
    assert.equal(curl, `curl -X POST 'http://x/y' -H "Authorization: Bearer $SARUFI_API_KEY" --data-raw '{"message":"it'\\''s"}'`);
  });

  it('replay reproduces the chat: every reply is the same, exit code 0', async () => {
    const io = captureIo(dir);
    assert.equal(await runCli(['replay', 'pizza.sarufi-bug.json'], io), 0, io.lines.join('\n'));
    assert.match(io.lines.join('\n'), /^Replaying a chat with Pizza Bahari \(pizza\.flow\.json, git [0-9a-f]{12}\) as Sandbox user\n[\s\S]*Reproduced: all 3 replies are the same as in the report\.$/);
  });

  it('after the flow changed, replay says so and names the first step that differs, exit code 1', async () => {
    const flowPath = join(dir, 'pizza.flow.json');
    writeFileSync(flowPath, readFileSync(flowPath, 'utf8').replace('Chagua pizza yako. Pick your pizza:', 'Pick a pizza:'));
    const io = captureIo(dir);
    assert.equal(await runCli(['replay', reportPath], io), 1);
    const output = io.lines.join('\n');
    assert.match(output, /The flow file is not the one of the report/);
    assert.match(output, /The new run first differs at step 1: button order:\n/);
    assert.match(output, /- {3}text: "Chagua pizza yako\. Pick your pizza:"\n\s*\+ {3}text: "Pick a pizza:"/);
  });

  it('refuses a file that is not a bug report, with exit code 2', async () => {
    writeFileSync(join(dir, 'other.json'), '{"format": "something"}');
    const io = captureIo(dir);
    assert.equal(await runCli(['replay', 'other.json'], io), 2);
    assert.match(io.lines.join('\n'), /is not a Sarufi bug report/);
  });
});
