// One owner masks and scrubs secrets (src/sarufi/redaction.ts): the key scrubber of exchanges,
// logs, exports and bug reports, and the trace's masking of secret-named values. A table of every
// spelling a secret may take on its way out, each of which must be scrubbed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TraceEvent } from '../../src/flow/engine.js';
import { buildTurnTrace } from '../../src/flow/turnTrace.js';
import { createScrubber, isSecretName, MASKED_VALUE, REDACTED, scrubSecrets } from '../../src/sarufi/redaction.js';

const KEY = 'sk-live/s3cr3t+KEY==';

const jsonEscapeAll = (text: string) => [...text].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const percentAll = (text: string) => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
const htmlDecimal = (text: string) => [...text].map((char) => `&#${char.charCodeAt(0)};`).join('');
const htmlHex = (text: string) => [...text].map((char) => `&#x${char.charCodeAt(0).toString(16)};`).join('');
const base64 = (text: string) => Buffer.from(text).toString('base64');

const spellings: [string, string][] = [
  ['as it is', KEY],
  ['JSON-escaped, every character', jsonEscapeAll(KEY)],
  ['JSON-escaped twice', jsonEscapeAll(KEY).replace(/\\/g, '\\\\')],
  ['with JSON\'s escaped slash', KEY.replace('/', '\\/')],
  ['percent-encoded, every byte', percentAll(KEY)],
  ['percent-encoded by encodeURIComponent', encodeURIComponent(KEY)],
  ['percent-encoded twice', encodeURIComponent(encodeURIComponent(KEY))],
  ['percent-encoded, lower-case hex', percentAll(KEY).toLowerCase()],
  ['JSON-escaped, then percent-encoded', encodeURIComponent(jsonEscapeAll(KEY))],
  ['percent-encoded, then JSON-escaped', percentAll(KEY).replace(/%/g, '\\u0025')],
  ['HTML entities, decimal', htmlDecimal(KEY)],
  ['HTML entities, hex', htmlHex(KEY)],
  ['HTML named entities for / + =', KEY.replace('/', '&sol;').replace('+', '&plus;').replace(/=/g, '&equals;')],
  ['base64 of the key alone', base64(KEY)],
  ['base64 of a text holding it one byte in', base64(`x${KEY}y`)],
  ['base64 of a text holding it two bytes in', base64(`xy${KEY}z`)],
  ['base64url', Buffer.from(`:${KEY}`).toString('base64url')],
  ['HTTP Basic (user:key)', `Authorization: Basic ${base64(`apiuser:${KEY}`)}`],
  ['HTTP Basic (key as the user)', `Basic ${base64(`${KEY}:`)}`],
];

describe('the key scrubber, every spelling', () => {
  const scrub = createScrubber(KEY);
  for (const [name, spelled] of spellings) {
    it(`scrubs the key ${name}`, () => {
      const text = `before ${spelled} after`;
      const scrubbed = scrub(text);
      assert.ok(scrubbed.includes(REDACTED), `${text} → ${scrubbed}`);
      assert.ok(!scrubbed.includes(spelled), scrubbed);
      assert.ok(scrubbed.startsWith('before ') && scrubbed.endsWith(' after'), `only the key goes: ${scrubbed}`);
      assert.equal(scrubSecrets(text, [KEY]), scrubbed, 'exports and bug reports scrub the same');
    });
  }

  it('leaves base64 of other text alone, and texts without the key as they are', () => {
    const other = `the answer is ${base64('a quite ordinary sentence, no key in it')} and sk-live/other`;
    assert.equal(scrub(other), other);
  });
});

describe('secret-looking names', () => {
  it('takes plurals, jwt, passphrase, signatures', () => {
    for (const name of ['tokens', 'api_keys', 'apiKeys', 'jwt', 'X-JWT', 'passphrase', 'X-Signature', 'client_secrets', 'refreshTokens', 'passwords']) {
      assert.equal(isSecretName(name), true, name);
    }
  });

  it('still leaves names that only contain the letters of one', () => {
    for (const name of ['monkeys', 'keywords', 'spinners', 'author_name', 'tokenizer_mode', 'passage', 'designation']) {
      assert.equal(isSecretName(name), false, name);
    }
  });
});

function call(overrides: Partial<Extract<TraceEvent, { type: 'api_call' }>>): TraceEvent {
  return {
    type: 'api_call',
    state: 'lookup',
    method: 'GET',
    url: 'https://api.example.com/x',
    status: 200,
    ok: true,
    error: null,
    durationMs: 5,
    fireAndForget: false,
    request: { headers: {}, body: null },
    response: null,
    mocked: false,
    ...overrides,
  };
}

function traceOf(events: TraceEvent[], variables: Record<string, unknown> = {}): string {
  return JSON.stringify(buildTurnTrace({ turn: 1, from: 'a', to: 'b', events, before: variables, after: variables }));
}

describe('the trace masks secrets in every place they reach', () => {
  it('masks a secret value a template percent-encoded into a URL path', () => {
    const json = traceOf([call({ url: `https://api.example.com/${encodeURIComponent('ab/cd+ef==SECRETTOK')}/orders` })], { api_token: 'ab/cd+ef==SECRETTOK' });
    assert.ok(!json.includes('SECRETTOK'), json);
    assert.ok(json.includes(`https://api.example.com/${MASKED_VALUE}/orders`), json);
  });

  it('masks variables named in the plural, jwt and passphrase, and X-JWT and X-Signature headers', () => {
    const json = traceOf([call({ request: { headers: { 'X-JWT': 'eyJhbGciOi.jwtbody.sig', 'X-Signature': 'sha256=feedbeef', accept: 'text/plain' }, body: null } })], {
      tokens: ['tok-one-1111'],
      api_keys: { main: 'key-two-2222' },
      jwt: 'eyJ0eXAi.payload.mac',
      passphrase: 'correct horse battery',
    });
    for (const secret of ['eyJhbGciOi', 'feedbeef', 'tok-one-1111', 'key-two-2222', 'eyJ0eXAi', 'correct horse']) {
      assert.ok(!json.includes(secret), `${secret} in ${json}`);
    }
    assert.ok(json.includes('text/plain'), 'other headers stay');
  });

  it('masks a form-encoded answer (access_token=…) in the response and wherever its value went', () => {
    const body = 'access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo&token_type=bearer';
    const json = traceOf([call({ response: { status: 200, body, truncated: false } })], { login: body });
    assert.ok(!json.includes('gho_16C7e42F'), json);
    assert.ok(json.includes('scope=repo'), 'the rest of the answer stays readable');
  });

  it("masks a bearer token and a Basic credential's decoded password wherever else they show", () => {
    const headers = { authorization: `Basic ${base64('bob:hunter2pass')}`, 'x-api-token': 'Bearer tok-9f8e7d6c' };
    const json = traceOf([call({ request: { headers, body: null }, response: { status: 200, body: 'echo: hunter2pass and tok-9f8e7d6c', truncated: false } })]);
    assert.ok(!json.includes('hunter2pass') && !json.includes('tok-9f8e7d6c'), json);
  });

  it('masks the credentials of a URL in the call and in its error', () => {
    const url = 'http://admin:Sup3rS3cretPw@backend.internal:8080/orders';
    const json = traceOf([call({ url, ok: false, status: null, error: `fetch failed for ${url}: connect ECONNREFUSED`, response: null })]);
    assert.ok(!json.includes('Sup3rS3cretPw'), json);
    assert.ok(!json.includes('admin:'), json);
    assert.ok(json.includes('backend.internal:8080/orders'), 'the host and path stay');
  });
});
