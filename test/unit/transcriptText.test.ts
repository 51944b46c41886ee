import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transcript, TurnEntry } from '../../src/chat/transcript.js';
import { transcriptText } from '../../src/chat/transcriptText.js';
import { entryTrace } from '../../src/chat/entryTrace.js';
import { TRACE_FIELD } from '../../src/flow/turnTrace.js';
import type { TurnTrace } from '../../src/flow/turnTrace.js';

/** One chat through a flow; `run` changes every id, time and duration, as a second run would. */
function chat(run: number, pick: { id: string; title: string } = { id: 'large', title: 'Large' }): Transcript {
  const at = (second: number) => new Date(Date.UTC(2026, 11, run, 10, 0, second)).toISOString();
  const trace = (turn: number, to: string, after: Record<string, unknown>): TurnTrace => ({
    version: 1,
    turn,
    from: null,
    to,
    events: [],
    variables: { before: {}, after },
    masked: [],
  });
  const turn = (index: number, partial: Pick<TurnEntry, 'messages' | 'currentState'> & { user?: TurnEntry['user'] }, traced: TurnTrace): TurnEntry => ({
    kind: 'turn',
    id: `r${run}-e${index}`,
    sessionId: `S-run-${run}`,
    ...partial,
    messagesCount: index,
    at: at(index),
    durationMs: 10 * run + index,
    status: 200,
    exchange: {
      method: 'POST',
      url: `http://127.0.0.1:${4000 + run}/chatbots/B/chat/sessions`,
      requestHeaders: {},
      requestBody: null,
      status: 200,
      responseHeaders: {},
      responseText: '',
      responseJson: { session_id: `S-run-${run}`, [TRACE_FIELD]: traced },
      startedAt: at(index),
      durationMs: 10 * run + index,
      attempt: 1,
    },
  });
  return {
    version: 1,
    session: { chatbotId: 'B', chatbotName: 'Pizza', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: `http://127.0.0.1:${4000 + run}`, sessionId: `S-run-${run}`, createdAt: at(0), messagesCount: 2, expiresAt: at(59), trail: ['size'], status: 'open' },
    entries: [
      turn(0, { messages: [{ type: 'buttons', text: 'Which size?', buttons: [{ id: 'small', title: 'Small' }, { id: 'large', title: 'Large' }] }], currentState: null }, trace(0, 'size', {})),
      turn(1, { user: { text: pick.title, buttonId: pick.id }, messages: [{ type: 'text', text: `A ${pick.title.toLowerCase()} one.` }], currentState: 'done' }, trace(1, 'done', { order: { size: pick.id, extras: [] }, name: 'Ann' })),
      { kind: 'divider', id: `r${run}-d`, text: 'New session started', at: at(3) },
    ],
  };
}

test('two runs of the same path give the same text: ids, times, durations and ports are not in it', () => {
  const first = transcriptText(chat(1));
  assert.equal(transcriptText(chat(2)), first);
  assert.doesNotMatch(first, /S-run|r1-e|2026|127\.0\.0\.1/);
});

test('the text holds the inputs, the messages with their buttons, the states and the variables, keys sorted', () => {
  const text = transcriptText(chat(1));
  assert.match(text, /## greeting\nstate: size\n {2}Which size\?\n {2}- \[Small\] `small`\n {2}- \[Large\] `large`/);
  assert.match(text, /## turn 1: > "Large" \(button large\)\nstate: done\n {2}A large one\./);
  assert.match(text, /variables:\n {2}name = "Ann"\n {2}order = \{"extras":\[\],"size":"large"\}/);
  assert.match(text, /--- New session started/);
});

test('taking the other button differs only in the turns after it', () => {
  // The text's blocks: the title, the greeting, turn 1 (the button), the divider.
  const blocks = (text: string) => text.split('\n\n');
  const other = blocks(transcriptText(chat(1, { id: 'small', title: 'Small' })));
  const same = blocks(transcriptText(chat(1)));
  assert.equal(other.length, same.length, 'the same blocks');
  const differing = same.map((block, index) => (block === other[index] ? null : index)).filter((index) => index !== null);
  const turnOne = same.findIndex((block) => block.startsWith('## turn 1:'));
  assert.ok(turnOne > same.findIndex((block) => block.startsWith('## greeting')), 'turn 1 comes after the greeting');
  assert.deepEqual(differing, [turnOne], 'only the turn of the other button differs: the title, the greeting and the divider are the same');
  const changedLines = (same[turnOne] ?? '').split('\n').filter((line, index) => line !== (other[turnOne] ?? '').split('\n')[index]);
  assert.deepEqual(changedLines, ['## turn 1: > "Large" (button large)', '  A large one.', '  order = {"extras":[],"size":"large"}']);
});

test('a reply still pending is left out, and an entry without a trace shows no variables', () => {
  const transcript = chat(1);
  const greeting = transcript.entries[0] as TurnEntry;
  transcript.entries = [{ ...greeting, exchange: { ...greeting.exchange, responseJson: { session_id: 'S' } } }, { ...greeting, id: 'p', user: { text: 'hi' }, pending: true }];
  const text = transcriptText(transcript);
  assert.doesNotMatch(text, /variables|"hi"/);
  assert.match(text, /state: \(not reported\)/);
});

test('entryTrace reads the trace of a traced turn and nothing from an unknown version', () => {
  const transcript = chat(1);
  assert.equal(entryTrace(transcript.entries[1])?.to, 'done');
  const turn = transcript.entries[1] as TurnEntry;
  const future = { ...turn, exchange: { ...turn.exchange, responseJson: { [TRACE_FIELD]: { version: 2, turn: 1, to: 'done' } } } };
  assert.equal(entryTrace(future), null);
  assert.equal(entryTrace(transcript.entries[2]), null);
});
