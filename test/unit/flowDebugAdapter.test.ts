// The flow debugger over the Debug Adapter Protocol, as nvim-dap or VS Code would drive it: the
// stdio adapter (src/debug/stdioAdapter.ts, dist/flowDebugAdapter.js once bundled) in a process of
// its own, driven by @vscode/debugadapter-testsupport's DebugClient, on a real flow whose API_CALL
// reaches a loopback backend.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const ADAPTER = resolve(__dirname, '../../src/debug/stdioAdapter.ts');
const BUDGET_MS = 300;
const EVIL_INPUT = `${'a'.repeat(40)}!`;

let backend: Server;
let dir: string;
let flowFile: string;
let flowLines: string[];

/** Orders 42 (total 150) and 7 (total 20); any other number is a 404. */
function startBackend(): Promise<string> {
  backend = createServer((request, response) => {
    const totals: Record<string, number> = { '/orders/42': 150, '/orders/7': 20 };
    const total = totals[request.url ?? ''];
    response.writeHead(total === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(total === undefined ? { error: 'no such order' } : { id: request.url?.split('/').pop(), total }));
  });
  return new Promise((done) => backend.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(backend.address() as AddressInfo).port}`)));
}

function flowFor(baseUrl: string): unknown {
  return {
    name: 'Order desk',
    states: {
      ask_name: { message: 'What is your name?', transitions: { default: 'ask_order' } },
      ask_order: {
        message: 'Hi {{variables.ask_name}}! Your order number?',
        transitions: { regex: { '^(a+)+$': 'ask_order', '^\\d+$': 'lookup' } },
      },
      lookup: {
        actions: [
          {
            type: 'API_CALL',
            method: 'GET',
            url: `${baseUrl}/orders/{{variables.ask_order}}`,
            save_to: 'order',
            success_transition: 'check',
            failure_transition: 'not_found',
          },
        ],
      },
      check: { actions: [{ type: 'CONDITION', if: '{{variables.order.total}} > 100', then: 'big', else: 'small' }] },
      big: { message: 'A big order: {{variables.order.total}}', transitions: { always: 'ask_order' } },
      small: { message: 'A small order, {{variables.nickname}}', transitions: { always: 'ask_order' } },
      not_found: { message: 'No such order', transitions: { always: 'ask_order' } },
    },
  };
}

/** The 1-based line of the first line of the flow file that contains `text`. */
function lineOf(text: string): number {
  const index = flowLines.findIndex((line) => line.includes(text));
  assert.notEqual(index, -1, `no line contains ${text}`);
  return index + 1;
}

before(async () => {
  const baseUrl = await startBackend();
  dir = mkdtempSync(join(tmpdir(), 'sarufi-debug-'));
  flowFile = join(dir, 'orders.flow.json');
  const text = `${JSON.stringify(flowFor(baseUrl), null, 2)}\n`;
  writeFileSync(flowFile, text);
  flowLines = text.split('\n');
});

after(() => {
  backend.close();
  rmSync(dir, { recursive: true, force: true });
});

let client: DebugClient | null = null;

afterEach(async () => {
  await client?.stop();
  client = null;
});

interface SessionOptions {
  breakpoints?: DebugProtocol.SourceBreakpoint[];
  filters?: string[];
  inputs?: unknown[];
  launch?: Record<string, unknown>;
  /** Listens on the client before it launches, so that no event is missed. */
  listen?: (dc: DebugClient) => void;
}

/** Starts the stdio adapter, sets the breakpoints and filters, and launches; resolves with the breakpoints as verified. */
async function debug(options: SessionOptions): Promise<{ dc: DebugClient; breakpoints: DebugProtocol.Breakpoint[] }> {
  const dc = new DebugClient(process.execPath, ADAPTER, 'sarufi-flow', { env: { ...process.env, NODE_OPTIONS: '--import tsx' } }, true);
  // A bound on a failure's wait, not a speed check: the machine is shared and slow.
  dc.defaultTimeout = 30_000;
  client = dc;
  options.listen?.(dc);
  const seen: DebugProtocol.OutputEvent[] = [];
  outputs.set(dc, seen);
  dc.on('output', (event: DebugProtocol.OutputEvent) => seen.push(event));
  const stopQueue = { seen: [] as DebugProtocol.StoppedEvent[], waiting: [] as ((event: DebugProtocol.StoppedEvent) => void)[] };
  stops.set(dc, stopQueue);
  dc.on('stopped', (event: DebugProtocol.StoppedEvent) => {
    const waiter = stopQueue.waiting.shift();
    if (waiter) {
      waiter(event);
    } else {
      stopQueue.seen.push(event);
    }
  });
  await dc.start();
  let breakpoints: DebugProtocol.Breakpoint[] = [];
  await Promise.all([
    dc.launch({ flow: flowFile, inputs: options.inputs ?? [], turnTimeoutMs: BUDGET_MS, ...options.launch }),
    dc.waitForEvent('initialized').then(async () => {
      const set = await dc.setBreakpointsRequest({ source: { path: flowFile }, breakpoints: options.breakpoints ?? [] });
      breakpoints = set.body.breakpoints;
      await dc.setExceptionBreakpointsRequest({ filters: options.filters ?? [] });
      await dc.configurationDoneRequest();
    }),
  ]);
  return { dc, breakpoints };
}

async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const trace = await dc.stackTraceRequest({ threadId: 1 });
  const frame = trace.body.stackFrames[0];
  assert.ok(frame, 'no stack frame');
  return frame;
}

/** The named scope's variables, as name → shown value. */
async function scopeValues(dc: DebugClient, scopeName: string): Promise<Map<string, DebugProtocol.Variable>> {
  const frame = await topFrame(dc);
  const scopes = await dc.scopesRequest({ frameId: frame.id });
  const scope = scopes.body.scopes.find((candidate) => candidate.name === scopeName);
  assert.ok(scope, `no scope ${scopeName}`);
  const variables = await dc.variablesRequest({ variablesReference: scope.variablesReference });
  return new Map(variables.body.variables.map((variable) => [variable.name, variable]));
}

const outputs = new WeakMap<DebugClient, DebugProtocol.OutputEvent[]>();

/** Each session's stops in order, and the waiters for stops not come yet: a stop that comes before the test asks is kept, not lost. */
const stops = new WeakMap<DebugClient, { seen: DebugProtocol.StoppedEvent[]; waiting: ((event: DebugProtocol.StoppedEvent) => void)[] }>();

/** The session's next stop not yet taken by the test. */
function nextStop(dc: DebugClient): Promise<DebugProtocol.StoppedEvent> {
  const queue = stops.get(dc);
  assert.ok(queue, 'the session records its stops');
  const seen = queue.seen.shift();
  if (seen) {
    return Promise.resolve(seen);
  }
  return new Promise((resolve, reject) => {
    // A bound on a failure's wait (the debugger never stopped), as DebugClient's own waits have.
    const timer = setTimeout(() => reject(new Error(`no stop within ${dc.defaultTimeout} ms`)), dc.defaultTimeout);
    queue.waiting.push((event) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}

/** Resolves with the first output of `category` since the session started that contains `text`, now or when it comes. */
function outputContaining(dc: DebugClient, category: string, text: string, since = 0): Promise<string> {
  const matches = (event: DebugProtocol.OutputEvent): boolean => event.body.category === category && event.body.output.includes(text);
  const seen = (outputs.get(dc) ?? []).slice(since).find(matches);
  if (seen) {
    return Promise.resolve(seen.body.output);
  }
  return new Promise((done) => {
    const listen = (event: DebugProtocol.OutputEvent): void => {
      if (matches(event)) {
        dc.removeListener('output', listen);
        done(event.body.output);
      }
    };
    dc.on('output', listen);
  });
}

/** How many outputs the session has had: a later outputContaining(…, since) looks only after them. */
function outputCount(dc: DebugClient): number {
  return outputs.get(dc)?.length ?? 0;
}

/** Waits for the next stop that `action` causes. */
async function stopAfter(dc: DebugClient, action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  await action();
  return nextStop(dc);
}

describe('the flow debug adapter over stdio', () => {
  it('a breakpoint on a state key stops when the conversation enters it, on that line, with the answer just given in Variables', async () => {
    const stopped = (async () => {
      const line = lineOf('"ask_order": {');
      const { dc, breakpoints } = await debug({ breakpoints: [{ line }], inputs: ['Amina'] });
      assert.deepEqual(breakpoints.map((bp) => [bp.verified, bp.line]), [[true, line]]);
      const event = await nextStop(dc);
      return { dc, event, line };
    })();
    const { dc, event, line } = await stopped;
    assert.equal(event.body.reason, 'breakpoint');
    const frame = await topFrame(dc);
    assert.equal(frame.line, line);
    assert.equal(frame.source?.path, flowFile);
    const variables = await scopeValues(dc, 'Variables');
    assert.equal(variables.get('ask_name')?.value, '"Amina"');
  });

  it("what the bot has sent in the turn so far goes out (sarufiSent, which the chat panel shows) before the turn stops at a breakpoint, not only at the turn's end", async () => {
    const events: string[] = [];
    const listen = (dc: DebugClient): void => {
      dc.on('sarufiSent', (event: DebugProtocol.Event) => events.push(...((event.body as { messages?: { text?: string }[] }).messages ?? []).map((message) => `sent ${message.text ?? ''}`)));
      dc.on('sarufiTurn', () => events.push('turn ended'));
      dc.on('stopped', () => events.push('stopped'));
    };
    const { dc } = await debug({ breakpoints: [{ line: lineOf('"ask_order": {'), hitCondition: '2' }], inputs: ['Amina', '42'], listen });
    const event = await nextStop(dc);
    assert.equal(event.body.reason, 'breakpoint');
    // The second input's turn: the big order's message, then the stop on the way back to ask_order, and the turn not over.
    assert.deepEqual(events.slice(-2), ['sent A big order: 150', 'stopped'], events.join(' | '));
  });

  it('a breakpoint on a transition stops when that way out is taken, and one on an action stops before it runs', async () => {
    const transitionLine = lineOf('"^\\\\d+$": "lookup"');
    const actionLine = lineOf('"type": "API_CALL"') - 1;
    const { dc, breakpoints } = await debug({ breakpoints: [{ line: transitionLine }, { line: actionLine }], inputs: ['Amina', '42'] });
    assert.deepEqual(breakpoints.map((bp) => bp.verified), [true, true]);
    const first = await nextStop(dc);
    assert.equal(first.body.reason, 'breakpoint');
    assert.equal((await topFrame(dc)).line, transitionLine);
    assert.match((await topFrame(dc)).name, /regex → 'lookup'/);
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    const frame = await topFrame(dc);
    assert.equal(frame.line, actionLine);
    assert.match(frame.name, /API_CALL in 'lookup'/);
    // Before it runs: the answer is not saved yet.
    assert.equal((await scopeValues(dc, 'Variables')).has('order'), false);
  });

  it('a breakpoint elsewhere in the JSON is unverified, with the reason', async () => {
    const { breakpoints } = await debug({ breakpoints: [{ line: lineOf('"name": "Order desk"') }] });
    assert.equal(breakpoints[0]?.verified, false);
    assert.match(breakpoints[0]?.message ?? '', /state's key .* an action .* a transition/);
  });

  it('Step Into walks a turn step by step: match, move, each action, the API_CALL request before it is sent and its answer before it routes, the CONDITION, the messages, the end', async () => {
    const { dc } = await debug({ breakpoints: [{ line: lineOf('"^\\\\d+$": "lookup"') }], inputs: ['Amina', '42'] });
    await nextStop(dc);
    const names = [(await topFrame(dc)).name];
    while (!names.at(-1)?.startsWith('end of turn')) {
      await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
      names.push((await topFrame(dc)).name);
      if (names.at(-1)?.startsWith('GET ')) {
        const turn = await scopeValues(dc, 'This turn');
        assert.ok(turn.has('request'), 'the rendered request is in This turn');
      }
    }
    const port = (backend.address() as AddressInfo).port;
    assert.deepEqual(names, [
      "regex → 'lookup'",
      "enter 'lookup'",
      "API_CALL in 'lookup'",
      `GET http://127.0.0.1:${port}/orders/42 (before it is sent)`,
      'answer 200 (before it routes)',
      "api_success → 'check'",
      "enter 'check'",
      "CONDITION in 'check'",
      "condition → 'big'",
      "enter 'big'",
      "send 1 message from 'big'",
      "transition always → 'ask_order'".replace('transition ', ''),
      "enter 'ask_order'",
      "send 1 message from 'ask_order'",
      "end of turn in 'ask_order'",
    ]);
  });

  it('Step Over passes over the API_CALL request and answer, and Step Out runs to the end of the turn', async () => {
    const { dc } = await debug({ breakpoints: [{ line: lineOf('"type": "API_CALL"') - 1 }], inputs: ['Amina', '42'] });
    await nextStop(dc);
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.equal((await topFrame(dc)).name, "api_success → 'check'");
    await stopAfter(dc, () => dc.stepOutRequest({ threadId: 1 }));
    assert.equal((await topFrame(dc)).name, "end of turn in 'ask_order'");
  });

  it('Set Value on a variable is what the next step sees: a lowered total takes the CONDITION to small', async () => {
    const { dc } = await debug({ breakpoints: [{ line: lineOf('"type": "CONDITION"') }], inputs: ['Amina', '42'] });
    await nextStop(dc);
    const variables = await scopeValues(dc, 'Variables');
    const order = variables.get('order');
    assert.ok(order && order.variablesReference > 0);
    const set = await dc.setVariableRequest({ variablesReference: order.variablesReference, name: 'total', value: '5' });
    assert.equal(set.body.value, '5');
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.equal((await topFrame(dc)).name, "condition → 'small'");
  });

  it('evaluate reads template paths and CONDITION expressions in the stopped conversation; a Debug Console line sends the message', async () => {
    const { dc } = await debug({ breakpoints: [{ line: lineOf('"type": "CONDITION"') }], inputs: ['Amina', '42'] });
    await nextStop(dc);
    const frameId = (await topFrame(dc)).id;
    assert.equal((await dc.evaluateRequest({ expression: 'variables.order.total', context: 'watch', frameId })).body.result, '150');
    assert.equal((await dc.evaluateRequest({ expression: '{{variables.order.total}} > 100', context: 'watch', frameId })).body.result, 'true');
    assert.equal((await dc.evaluateRequest({ expression: '?ask_name', context: 'repl', frameId })).body.result, '"Amina"');
    const before = outputCount(dc);
    await dc.continueRequest({ threadId: 1 });
    await outputContaining(dc, 'console', "waiting for the user in 'ask_order'", before);
    const sent = outputContaining(dc, 'stdout', 'No such order');
    const reply = await dc.evaluateRequest({ expression: '13', context: 'repl' });
    assert.match(reply.body.result, /sent "13"/);
    await sent;
  });

  it('a conditional breakpoint stops only when its CONDITION holds', async () => {
    const { dc } = await debug({ breakpoints: [{ line: lineOf('"^\\\\d+$": "lookup"'), condition: '{{variables.ask_order}} == 42' }], inputs: ['Amina', '7', '42'] });
    await nextStop(dc);
    assert.equal((await scopeValues(dc, 'Variables')).get('ask_order')?.value, '"42"');
  });

  it('a hit count stops on the third entry into a state, not before', async () => {
    const { dc } = await debug({ breakpoints: [{ line: lineOf('"ask_order": {'), hitCondition: '3' }], inputs: ['Amina', '13', '13', '13'] });
    await nextStop(dc);
    const variables = await scopeValues(dc, 'This turn');
    assert.equal(variables.get('input')?.value, '"13"');
    // Turns 1 and 2 are below it in the Call Stack: this is the third entry (turn 3), not the first.
    const trace = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(
      trace.body.stackFrames.filter((frame) => frame.canRestart).map((frame) => frame.name),
      ["turn 2: '13' → 'ask_order'", "turn 1: 'Amina' → 'ask_order'", "turn 0: greeting → 'ask_name'"],
    );
  });

  it('a logpoint prints its template to the Debug Console and does not stop', async () => {
    const { dc } = await debug({ breakpoints: [{ line: lineOf('"big": {'), logMessage: 'big order of {{variables.order.total}}' }], inputs: ['Amina', '42', '7'] });
    await outputContaining(dc, 'console', 'big order of 150');
    await outputContaining(dc, 'stdout', 'A small order');
    assert.equal(stops.get(dc)?.seen.length, 0, 'the logpoint did not stop');
  });

  it('the API_CALL failed filter stops on a 404 before it routes, with the reason', async () => {
    const { dc } = await debug({ filters: ['api_failed'], inputs: ['Amina', '13'] });
    const event = await nextStop(dc);
    assert.equal(event.body.reason, 'exception');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'api_failed');
    assert.match(info.body.description ?? '', /HTTP 404/);
  });

  it('the no transition matched filter stops on a message no trigger takes', async () => {
    const { dc } = await debug({ filters: ['no_match'], inputs: ['Amina', 'hello'] });
    await nextStop(dc);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'no_match');
    assert.match(info.body.description ?? '', /'hello' matched no transition of 'ask_order'/);
  });

  it('the missing variable filter stops on a message whose template names an unset variable', async () => {
    const { dc } = await debug({ filters: ['missing_variable'], inputs: ['Amina', '7'] });
    await nextStop(dc);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'missing_variable');
    assert.match(info.body.description ?? '', /\{\{variables\.nickname\}\} is not set in 'small'/);
  });

  it('a regex past the budget is stopped by the budget filter even after the turn sat paused at a breakpoint longer than the budget; the conversation goes on', async () => {
    const { dc } = await debug({ breakpoints: [{ line: lineOf('"ask_order": {') }], filters: ['budget'], inputs: ['Amina', EVIL_INPUT] });
    await nextStop(dc);
    // Paused for three budgets: the author's time, which must not stop the turn.
    await new Promise((done) => setTimeout(done, BUDGET_MS * 3));
    await dc.setBreakpointsRequest({ source: { path: flowFile }, breakpoints: [] });
    const before = outputCount(dc);
    const budget = stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    await outputContaining(dc, 'console', "waiting for the user in 'ask_order'", before);
    const event = await budget;
    assert.equal(event.body.reason, 'exception');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'budget');
    assert.match(info.body.description ?? '', /300 ms budget/);
    await dc.continueRequest({ threadId: 1 });
    const reply = outputContaining(dc, 'stdout', 'A big order: 150');
    await dc.customRequest('sarufiSend', { text: '42' });
    await reply;
  });

  it('Pause while the conversation waits for the user stops the next turn at its first step', async () => {
    const { dc } = await debug({});
    await outputContaining(dc, 'console', "waiting for the user in 'ask_name'");
    await dc.pauseRequest({ threadId: 1 });
    const stopped = await stopAfter(dc, () => dc.customRequest('sarufiSend', { text: 'Amina' }));
    assert.equal(stopped.body.reason, 'pause');
    assert.equal((await topFrame(dc)).name, "match 'Amina' in 'ask_name'");
  });

  it('a secret-looking variable is masked in Variables, Watch and logpoints, as the trace masks it', async () => {
    const { dc } = await debug({
      breakpoints: [{ line: lineOf('"ask_order": {'), logMessage: 'token {{variables.api_token}}' }, { line: lineOf('"lookup": {') }],
      inputs: ['Amina', '42'],
      launch: { variables: { api_token: 'sk-live-0123456789' } },
    });
    await nextStop(dc);
    assert.equal((await scopeValues(dc, 'Variables')).get('api_token')?.value, '"••••••"');
    assert.equal((await dc.evaluateRequest({ expression: 'api_token', context: 'watch' })).body.result, '"••••••"');
    assert.ok(await outputContaining(dc, 'console', 'token ••••••'));
    const everything = (outputs.get(dc) ?? []).map((event) => event.body.output).join('');
    assert.doesNotMatch(everything, /sk-live-0123456789/);
  });

  it('Restart Frame on an earlier turn forks the conversation from where that turn left it', async () => {
    const { dc } = await debug({ breakpoints: [{ line: lineOf('"small": {') }], inputs: ['Amina', '7'] });
    await nextStop(dc);
    const trace = await dc.stackTraceRequest({ threadId: 1 });
    const turnOne = trace.body.stackFrames.find((frame) => frame.name.startsWith('turn 1:'));
    assert.ok(turnOne?.canRestart);
    const restarted = await stopAfter(dc, () => dc.restartFrameRequest({ frameId: turnOne.id }));
    assert.equal(restarted.body.reason, 'restart');
    const variables = await scopeValues(dc, 'Variables');
    assert.equal(variables.get('ask_name')?.value, '"Amina"');
    // Turn 2 ('7') never happened in the fork.
    assert.equal(variables.has('ask_order'), false);
    assert.equal((await topFrame(dc)).name, "'ask_order' (waiting for the user)");
  });
});
