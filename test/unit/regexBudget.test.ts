// Every regex that comes from a flow or a test file runs in the regex worker, under a budget, off
// the calling thread (the extension host, the CLI): one that runs past it is stopped, reported on
// its state or step, and not tried again. Each test here hung for ever before the worker existed:
// the `timeout` options only turn such a hang into a failure.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../src/cli/sarufiTest.js';
import { flowCoverage } from '../../src/conversationTests/coverage.js';
import { checkReply } from '../../src/conversationTests/expectations.js';
import { canBacktrackCatastrophically } from '../../src/flow/regexSafety.js';
import { flowProblems } from '../../src/flows/diagnostics.js';
import { liveChat } from '../../src/flows/graphPaths.js';
import { analyzeFlow } from '../../src/flow/validator.js';
import type { Transcript } from '../../src/chat/transcript.js';
import { validateWithRegexSafety } from '../../src/lazy/regexSafety.js';
import { RegexBudget, RegexStoppedError } from '../../src/sandbox/regexBudget.js';
import { chatbotIdOf, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';

const NESTED_BOUNDED = '^(a{1,30}){1,30}(?=b)';
const NESTED = '^(a+)+$';
const EVIL_TEXT = `${'a'.repeat(40)}!`;
const HANG_GUARD = { timeout: 60_000 };

const budget = new RegexBudget({ budgetMs: 300 });
after(() => budget.close());
after(removeTempDirs);

describe('the regex budget', () => {
  it('stops a regex past its budget, then fails it at once without running it again, while other patterns still answer', HANG_GUARD, async () => {
    const stopped = await budget.test({ source: NESTED, flags: 'u' }, EVIL_TEXT).catch((error: unknown) => error);
    assert.ok(stopped instanceof RegexStoppedError);
    assert.equal(stopped.earlier, false);
    assert.match(stopped.message, /ran past its 300 ms budget and was stopped; it is not tried again/);
    // Even a text it would answer at once: the pattern is not run again.
    const again = await budget.test({ source: NESTED, flags: 'u' }, 'aaa').catch((error: unknown) => error);
    assert.ok(again instanceof RegexStoppedError);
    assert.equal(again.earlier, true);
    assert.equal(await budget.test({ source: '^\\d{4}$', flags: '' }, '2026'), true);
  });
});

describe('the validator warns on nested bounded repetition', () => {
  it(`flags ${NESTED_BOUNDED} and (a?){30}, not bounded patterns that cannot split a run many ways`, () => {
    for (const risky of [new RegExp(NESTED_BOUNDED), /^(a?){30}a{30}$/, /^(?:a{1,5}b?){1,20}$/]) {
      assert.equal(canBacktrackCatastrophically(risky), true, String(risky));
    }
    for (const sound of [/^(\d{1,3}\.){3}\d{1,3}$/, /^(\d{3}-){1,3}\d{4}$/, /^(\w{1,20}\s){1,10}$/, /^\d{1,3}$/]) {
      assert.equal(canBacktrackCatastrophically(sound), false, String(sound));
    }
  });

  it('the editor judges patterns in the worker and puts the warning on the line of the pattern', HANG_GUARD, async () => {
    const flow = { states: { ask: { message: 'Type', transitions: { regex: { [NESTED_BOUNDED]: 'ask', '^\\d{4}$': 'ask' }, default: 'ask' } } } };
    const text = JSON.stringify(flow, null, 2);
    const problems = await validateWithRegexSafety((options) => flowProblems(text, options), budget);
    const warned = problems.filter((problem) => /backtrack catastrophically/.test(problem.message));
    assert.deepEqual(
      warned.map((problem) => problem.range.start.line),
      [text.split('\n').findIndex((line) => line.includes(JSON.stringify(NESTED_BOUNDED).slice(1, -1)))],
    );
  });

  it('a pattern whose judging runs past the budget is reported on its line as not checked', HANG_GUARD, async () => {
    // redos-detector studies this one until its own 250 ms timeout: past a 50 ms budget.
    const slow = '^([a-z]{2,5}\\s?){1,4}$';
    const tight = new RegexBudget({ budgetMs: 50 });
    try {
      const text = JSON.stringify({ states: { ask: { message: 'Type', transitions: { regex: { [slow]: 'ask' }, default: 'ask' } } } }, null, 2);
      const problems = await validateWithRegexSafety((options) => flowProblems(text, options), tight);
      const notChecked = problems.filter((problem) => /could not be checked: the regex .* ran past its 50 ms budget/.test(problem.message));
      assert.equal(notChecked.length, 1, JSON.stringify(problems.map((problem) => problem.message)));
      assert.equal(notChecked[0]?.range.start.line, text.split('\n').findIndex((line) => line.includes('[a-z]')));
    } finally {
      await tight.close();
    }
  });
});

describe("the sandbox's validate route", () => {
  it('answers the nested bounded repetition warning, judged in the regex worker rather than the thread that answers HTTP', HANG_GUARD, async () => {
    const flow = { states: { ask: { message: 'Type', transitions: { regex: { [NESTED_BOUNDED]: 'ask' }, default: 'ask' } } } };
    const { sandbox, api, close } = await startTestSandbox({ 'nested.flow.json': flow });
    try {
      const chatbotId = chatbotIdOf(sandbox, 'nested.flow.json');
      const flows = await api('GET', `/chatbots/${chatbotId}/flows`);
      const flowId = (flows.body as { items: { id: string }[] }).items[0]?.id ?? '';
      const validated = await api('POST', `/chatbots/${chatbotId}/flows/${flowId}/validate`);
      assert.equal(validated.status, 200, validated.text);
      const warnings = (validated.body as { warnings: { path: string; message: string }[] }).warnings.filter((warning) => /backtrack catastrophically/.test(warning.message));
      assert.deepEqual(
        warnings.map((warning) => warning.path),
        [`states.ask.transitions.regex[${JSON.stringify(NESTED_BOUNDED)}]`],
      );
    } finally {
      await close();
    }
  });
});

describe('a conversation test\'s regex expectation', () => {
  it('that backtracks without end fails its step with the budget named, and fails the next step without running again', HANG_GUARD, async () => {
    const expect = { messages: [{ regex: NESTED }] };
    const reply = { messages: [{ type: 'text' as const, text: EVIL_TEXT }], currentState: 'ask' };
    const local = new RegexBudget({ budgetMs: 300 });
    try {
      const first = await checkReply(expect, reply, local);
      assert.equal(first.passed, false);
      assert.deepEqual(first.failures, [`message 1: the regex /${NESTED}/ ran past its 300 ms budget and was stopped; it is not tried again`]);
      const second = await checkReply(expect, { ...reply, messages: [{ type: 'text', text: 'aaa' }] }, local);
      assert.deepEqual(second.failures, [`message 1: the regex /${NESTED}/ ran past its 300 ms budget earlier, so it is not tried again`]);
    } finally {
      await local.close();
    }
  });
});

describe('coverage inference', () => {
  it('runs the flow\'s regex triggers in the worker: a stuck one is named on its state and line, and coverage still comes back', HANG_GUARD, async () => {
    const flow = { ask: { initial: true, message: 'Type', transitions: { regex: { [NESTED]: 'letters' }, default: 'ask' } }, letters: { message: 'ok', transitions: { default: 'ask' } } };
    const text = JSON.stringify(flow, null, 2);
    const coverage = await flowCoverage('/x/evil.flow.json', text, [[{ sent: null, offered: [], currentState: null, replyCount: 1 }, { sent: { message: EVIL_TEXT }, offered: [], currentState: 'ask', replyCount: 1 }]], budget);
    assert.deepEqual(
      coverage.stoppedRegexes.map((item) => [item.state, item.key, item.line]),
      [['ask', NESTED, text.split('\n').findIndex((line) => line.includes('"^(a+)+$"'))]],
    );
    assert.equal(coverage.states.find((state) => state.name === 'letters')?.reached, false);
  });
});

describe("the flow graph's live path", () => {
  it('is walked with the regex triggers answered by the worker: a chat that sent a text on which one backtracks still gets its path', HANG_GUARD, async () => {
    const { model } = analyzeFlow({ ask: { initial: true, message: 'Type', transitions: { regex: { [NESTED]: 'letters' }, default: 'ask' } }, letters: { message: 'ok', transitions: { default: 'ask' } } });
    assert.ok(model);
    const turn = (currentState: string, text?: string) => ({ kind: 'turn', id: `t-${currentState}`, sessionId: 's', ...(text === undefined ? {} : { user: { text } }), messages: [], currentState, messagesCount: null, at: '', durationMs: 1, status: 200, exchange: {} });
    const transcript = { version: 1, session: { trail: ['ask'] }, entries: [turn('ask'), turn('ask', EVIL_TEXT)] } as unknown as Transcript;
    const chat = await liveChat(model, 'p1', 'Chat', transcript);
    assert.equal(chat.current, 'ask');
    assert.ok(chat.steps.every((step) => step.to === 'ask'), JSON.stringify(chat.steps));
  });
});

describe('sarufi-test generate', () => {
  it(`on a flow whose regex trigger is ${NESTED_BOUNDED} returns, and names the trigger on its state's line`, HANG_GUARD, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sarufi-regex-generate-'));
    const flow = {
      ask: { initial: true, message: { type: 'buttons', text: 'Type', buttons: [{ id: 'help', title: 'Help' }] }, transitions: { buttons: { help: 'helped' }, regex: { [NESTED_BOUNDED]: 'letters' }, default: 'ask' } },
      helped: { message: 'Here is help', transitions: { default: 'ask' } },
      letters: { message: 'Only a letters', transitions: { default: 'ask' } },
    };
    writeFileSync(join(dir, 'evil.flow.json'), JSON.stringify(flow, null, 2));
    const lines: string[] = [];
    const code = await runCli(['generate', 'evil.flow.json'], { out: (line) => lines.push(line), err: (line) => lines.push(line), env: {}, cwd: dir });
    assert.equal(code, 0, lines.join('\n'));
    const named = lines.filter((line) => line.includes(`no message could be made for the regex trigger ${JSON.stringify(NESTED_BOUNDED)} of state "ask"`));
    assert.equal(named.length, 1, lines.join('\n'));
    assert.match(named[0] ?? '', /^ {2}evil\.flow\.json:\d+ {2}.*ran past its 2000 ms budget/);
  });
});
