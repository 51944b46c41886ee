// The turn trace as plain data (src/flow/turnTrace.ts): which names count as secrets, what
// buildTurnTrace masks (by name, then the same values anywhere else), and that readTurnTrace
// gives null rather than a wrong trace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TraceEvent } from '../../src/flow/engine.js';
import { buildTurnTrace, isSecretName, MASKED_VALUE, readTurnTrace, TRACE_FIELD, TRACE_VERSION } from '../../src/flow/turnTrace.js';
import type { TurnTrace } from '../../src/flow/turnTrace.js';

function apiEvent(overrides: Partial<Extract<TraceEvent, { type: 'api_call' }>> = {}): TraceEvent {
  return {
    type: 'api_call',
    state: 'login',
    method: 'POST',
    url: 'https://api.example.com/login?session=s3cr3t-value',
    status: 200,
    ok: true,
    error: null,
    durationMs: 12,
    fireAndForget: false,
    request: { headers: { authorization: 'Bearer abc123xyz', 'x-api-key': 'k-999', accept: 'application/json' }, body: { message: { type: 'text', text: 'hi' }, variables: { api_token: 's3cr3t-value', city: 'Arusha' } } },
    response: { status: 200, body: '{"access_token":"tok-777777","name":"Asha"}', truncated: false },
    mocked: false,
    ...overrides,
  };
}

describe('isSecretName', () => {
  it('takes names with a secret word in any part of them', () => {
    for (const name of ['api_key', 'apiKey', 'X-Api-Key', 'accessToken', 'access_token', 'client-secret', 'clientsecret', 'password', 'Authorization', 'auth', 'pin', 'otp_code', 'Cookie', 'Set-Cookie']) {
      assert.equal(isSecretName(name), true, name);
    }
  });

  it('leaves names that only contain the letters of one', () => {
    for (const name of ['monkey', 'keyword', 'spinner', 'author_name', 'city', 'order_id', 'accept', 'contact_name']) {
      assert.equal(isSecretName(name), false, name);
    }
  });
});

describe('buildTurnTrace', () => {
  it('masks variables named like secrets, at any depth, and lists their dotted paths', () => {
    const trace = buildTurnTrace({
      turn: 3,
      from: 'ask',
      to: 'done',
      events: [],
      before: { city: 'Arusha' },
      after: { city: 'Arusha', pin: '4321', response: { user: { refresh_token: 'r-1' }, ok: true } },
    });
    assert.equal(trace.version, TRACE_VERSION);
    assert.deepEqual(trace.variables.after, { city: 'Arusha', pin: MASKED_VALUE, response: { user: { refresh_token: MASKED_VALUE }, ok: true } });
    assert.deepEqual(trace.variables.before, { city: 'Arusha' });
    assert.deepEqual(trace.masked.sort(), ['variables.after.pin', 'variables.after.response.user.refresh_token']);
  });

  it("masks an API_CALL's secret headers, body fields and answer fields, and a secret's value wherever else it appears", () => {
    const trace = buildTurnTrace({ turn: 1, from: 'start', to: 'login', events: [apiEvent()], before: {}, after: {} });
    const event = trace.events[0];
    assert.ok(event?.type === 'api_call' && event.request && event.response);
    assert.equal(event.request.headers.authorization, MASKED_VALUE);
    assert.equal(event.request.headers['x-api-key'], MASKED_VALUE);
    assert.equal(event.request.headers.accept, 'application/json');
    assert.deepEqual(event.request.body, { message: { type: 'text', text: 'hi' }, variables: { api_token: MASKED_VALUE, city: 'Arusha' } });
    assert.deepEqual(JSON.parse(event.response.body), { access_token: MASKED_VALUE, name: 'Asha' });
    assert.equal(event.url, `https://api.example.com/login?session=${MASKED_VALUE}`, 'the token a template put in the URL');
    assert.ok(trace.masked.includes('events[0].request.headers.authorization'));
    assert.ok(trace.masked.includes('events[0].url'));
    assert.doesNotMatch(JSON.stringify(trace), /abc123xyz|k-999|s3cr3t-value|tok-777777/);
  });

  it('masks a secret field in an answer cut off by the bound, even mid-value', () => {
    const response = { status: 200, body: '{"name":"Asha","session_token":"very-long-tok', truncated: true };
    const trace = buildTurnTrace({ turn: 1, from: 'a', to: 'b', events: [apiEvent({ request: null, response })], before: {}, after: {} });
    const event = trace.events[0];
    assert.ok(event?.type === 'api_call' && event.response);
    assert.equal(event.response.body, `{"name":"Asha","session_token":"${MASKED_VALUE}"`);
    assert.ok(trace.masked.includes('events[0].response.body'));
  });

  it('masks the value of a variable event named like a secret, and the same text in a no-match input', () => {
    const events: TraceEvent[] = [
      { type: 'variable', name: 'pin', value: '98765' },
      { type: 'no_match', state: 'pin', input: '98765' },
    ];
    const trace = buildTurnTrace({ turn: 2, from: 'pin', to: 'pin', events, before: {}, after: { pin: '98765' } });
    assert.deepEqual(trace.events, [
      { type: 'variable', name: 'pin', value: MASKED_VALUE },
      { type: 'no_match', state: 'pin', input: MASKED_VALUE },
    ]);
  });

  it("keeps a transition's trigger key, even though \"key\" is a secret word", () => {
    const events: TraceEvent[] = [{ type: 'transition', from: 'a', to: 'b', trigger: 'regex', key: '^\\d+$', pattern: '^\\d+$' }];
    const trace = buildTurnTrace({ turn: 1, from: 'a', to: 'b', events, before: {}, after: {} });
    assert.deepEqual(trace.events, events);
    assert.deepEqual(trace.masked, []);
  });
});

describe('readTurnTrace', () => {
  const good: TurnTrace = buildTurnTrace({ turn: 1, from: 'a', to: 'b', events: [{ type: 'enter', state: 'b' }], before: {}, after: { x: 1 } });

  it('reads a trace, and the trace inside a reply', () => {
    assert.deepEqual(readTurnTrace(good), good);
    assert.deepEqual(readTurnTrace({ session_id: 's', messages: [], [TRACE_FIELD]: good }), good);
  });

  it('keeps an event of a type it does not know, with its fields, beside the known ones', () => {
    const events = [{ type: 'teleport', where: 'mars' }, { type: 'enter', state: 'b' }];
    assert.deepEqual(readTurnTrace({ ...good, events })?.events, events);
  });

  it('gives null for no trace, another version, or any malformed part', () => {
    const broken: unknown[] = [
      undefined,
      null,
      { session_id: 's', messages: [] },
      { ...good, version: 2 },
      { ...good, turn: -1 },
      { ...good, turn: 1.5 },
      { ...good, from: 3 },
      { ...good, to: null },
      { ...good, events: [{ kind: 'teleport' }] },
      { ...good, events: [{ type: 7 }] },
      { ...good, events: 'enter' },
      { ...good, variables: { before: {} } },
      { ...good, masked: [1] },
    ];
    for (const value of broken) {
      assert.equal(readTurnTrace(value), null, JSON.stringify(value));
    }
  });
});
