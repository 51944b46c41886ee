// The sandbox's memory has a bound: sessions that ended (evicted past the live bound, or expired)
// are freed but for what the Conversations API lists, and a session keeps a bounded number of
// turns and snapshots. The soak runs in a child process with a small heap limit, so a leak shows
// as a growing heap (or a crash), not as a slow test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FlowModel } from '../../src/flow/flowTypes.js';
import { SESSION_IDLE_MS } from '../../src/sarufi/endpoints.js';
import { MAX_CLOSED_SESSION_CHARS, MAX_CLOSED_SESSIONS, MAX_SESSION_CHARS, MAX_TURNS_PER_SESSION, SessionStore } from '../../src/sandbox/sessions.js';
import type { TurnAnswer, TurnOptions } from '../../src/sandbox/turnProtocol.js';
import { chatbotIdOf, fakeClock, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';
import type { SoakResult, SoakSettings } from './sandboxSoakChild.js';

const CHILD = join(__dirname, 'sandboxSoakChild.ts');

function runSoak(settings: SoakSettings, heapLimitMb: number): SoakResult {
  const child = spawnSync(process.execPath, [`--max-old-space-size=${heapLimitMb}`, '--expose-gc', '--import', 'tsx', CHILD, JSON.stringify(settings)], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  assert.equal(child.status, 0, `the soak's sandbox ended with ${child.status ?? child.signal}: ${child.stderr.split('\n').filter((line) => /heap|soak failed/i.test(line)).slice(0, 3).join(' | ')}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as SoakResult;
}

describe('sandbox memory under a soak of sessions', () => {
  it('holds a flat heap over 1,200 sessions of 2 × 50 KB start.variables, 24 times the live bound of 50, under a 96 MB heap limit', () => {
    const settings: SoakSettings = { rounds: 6, sessionsPerRound: 200, maxLive: 50, variableBytes: 50_000 };
    const { opened, heaps } = runSoak(settings, 96);
    assert.equal(opened, 1200);
    // Round 2 has filled every bound (live and closed sessions); later rounds must not hold more.
    const settled = heaps[2] ?? 0;
    const last = heaps.at(-1) ?? 0;
    assert.ok(last <= settled * 1.25, `heap after round 2: ${(settled / 1e6).toFixed(1)} MB; after round 6: ${(last / 1e6).toFixed(1)} MB (all: ${heaps.map((heap) => (heap / 1e6).toFixed(1)).join(', ')})`);
  });
});

/** A turn's answer whose snapshot holds `variableChars` characters of variables. */
function answer(variableChars: number, text = 'ok'): TurnAnswer {
  return { messages: [{ type: 'text', text }], current_state: 'menu', snapshot: { current: 'menu', started: true, lastInput: '', variables: { blob: 'v'.repeat(variableChars) } } };
}

const MODEL = { states: new Map() } as unknown as FlowModel;
const OPTIONS: TurnOptions = { chatbotId: 'bot', userId: 'u', contactName: 'Ann', flowName: 'f', integrations: {}, llm: null };

function storeWith(maxLive = 500) {
  const clock = fakeClock();
  let next = 0;
  const store = new SessionStore(clock.now, () => `id-${(next += 1)}`, maxLive);
  return { clock, store };
}

describe('SessionStore bounds', () => {
  it(`keeps the last ${MAX_TURNS_PER_SESSION} turns of a long session, the newest last`, () => {
    const { store } = storeWith();
    const session = store.open('bot', 's1', MODEL, OPTIONS, answer(10, 'greeting'));
    for (let turn = 1; turn <= MAX_TURNS_PER_SESSION + 5; turn += 1) {
      store.recordTurn(session, { message: `m${turn}`, button_id: null }, answer(10), 0);
    }
    assert.equal(session.turns.length, MAX_TURNS_PER_SESSION);
    assert.equal(session.turns.at(-1)?.message?.text, `m${MAX_TURNS_PER_SESSION + 5}`);
    assert.equal(session.turns[0]?.message?.text, 'm6', 'the greeting and the five oldest turns went first');
  });

  it(`keeps a live session's snapshots and turns under ${MAX_SESSION_CHARS} characters, oldest snapshots first, the newest always`, () => {
    const { store } = storeWith();
    const big = Math.floor(MAX_SESSION_CHARS / 3);
    const session = store.open('bot', 's1', MODEL, OPTIONS, answer(big));
    for (let turn = 1; turn <= 6; turn += 1) {
      store.recordTurn(session, { message: `m${turn}`, button_id: null }, answer(big), 0);
    }
    const kept = [...session.snapshots.values()].reduce((sum, snapshot) => sum + JSON.stringify(snapshot).length, 0) + session.turns.reduce((sum, turn) => sum + JSON.stringify(turn).length, 0);
    assert.ok(kept <= MAX_SESSION_CHARS, `${kept} characters kept`);
    assert.deepEqual([...session.snapshots.keys()], [5, 6], 'the two newest snapshots fit, the older went');
    assert.equal(session.turns.length, 7, 'small turns are all kept');
  });

  it('frees a session that expired: no variables, no snapshots, its turns cut to the closed bound', () => {
    const { clock, store } = storeWith();
    const session = store.open('bot', 's1', MODEL, OPTIONS, answer(50_000));
    for (let turn = 1; turn <= 100; turn += 1) {
      store.recordTurn(session, { message: 'x'.repeat(1000), button_id: null }, answer(50_000), 0);
    }
    clock.advance(SESSION_IDLE_MS);
    assert.equal(store.find('bot', 's1'), session);
    assert.equal(session.closed?.reason, 'expired');
    assert.deepEqual(session.state.variables, {});
    assert.equal(session.snapshots.size, 0);
    const kept = session.turns.reduce((sum, turn) => sum + JSON.stringify(turn).length, 0);
    assert.ok(kept <= MAX_CLOSED_SESSION_CHARS && session.turns.length > 0, `${session.turns.length} turns, ${kept} characters kept`);
  });

  it(`lists at most ${MAX_CLOSED_SESSIONS} closed sessions, forgetting the ones closed longest ago`, () => {
    const { clock, store } = storeWith(1);
    for (let index = 0; index < MAX_CLOSED_SESSIONS + 20; index += 1) {
      store.open('bot', `s${index}`, MODEL, OPTIONS, answer(10));
      clock.advance(1);
    }
    const listed = store.ofChatbot('bot');
    assert.equal(listed.length, MAX_CLOSED_SESSIONS + 1, 'the live one and the bound of closed ones');
    assert.equal(store.find('bot', 's0'), undefined, 'the first closed is forgotten');
    assert.ok(store.find('bot', `s${MAX_CLOSED_SESSIONS + 19}`), 'the newest is kept');
  });
});

describe('a fork from a session that ended', () => {
  after(removeTempDirs);

  it('answers 404 saying the session expired and its turns went with it', async () => {
    const clock = fakeClock();
    const t = await startTestSandbox({ 'bot.flow.json': { states: { start: { message: 'Hi' } } } }, { clock: clock.now });
    try {
      const chatbotId = chatbotIdOf(t.sandbox, 'bot.flow.json');
      const opened = await t.api('POST', `/chatbots/${chatbotId}/chat/sessions`);
      const sessionId = (opened.body as { session_id: string }).session_id;
      clock.advance(SESSION_IDLE_MS);
      const fork = await t.api('POST', `/chatbots/${chatbotId}/chat/sessions`, { body: { start: { kind: 'fork', sessionId, turn: 0 } } });
      assert.equal(fork.status, 404, fork.text);
      assert.match((fork.body as { detail: string }).detail, /expired after 30 minutes without a message, and its turns went with it; replay the inputs/);
    } finally {
      await t.close();
    }
  });
});
