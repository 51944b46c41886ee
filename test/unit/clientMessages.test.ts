// Bot messages are read defensively: every known type when well-formed, and anything else kept
// raw with a reason in plain words instead of crashing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SarufiClient } from '../../src/sarufi/client.js';
import { normaliseMessage, normaliseMessages } from '../../src/flow/botMessages.js';
import { startFakeServer } from './clientFakeServer.js';
import { API_KEY, everyKnownMessage, reply, session } from './clientFixtures.js';

describe('normaliseMessage', () => {
  it('reads a well-formed message of every known type as itself', () => {
    for (const message of everyKnownMessage) {
      assert.deepEqual(normaliseMessage(message), message, `type ${message.type}`);
    }
  });

  it('treats null optional fields as absent and drops undocumented fields from known messages', () => {
    const read = normaliseMessage({
      type: 'document',
      media_url: 'https://e.com/x.pdf',
      media_caption: null,
      media_filename: 'x.pdf',
      extra: 1,
    });
    assert.deepEqual(read, { type: 'document', media_url: 'https://e.com/x.pdf', media_filename: 'x.pdf' });
    const row = normaliseMessage({
      type: 'list',
      text: 't',
      button_text: 'b',
      sections: [{ title: 's', rows: [{ id: 'r', title: 'R', description: null }] }],
    });
    assert.deepEqual(row, { type: 'list', text: 't', button_text: 'b', sections: [{ title: 's', rows: [{ id: 'r', title: 'R' }] }] });
  });

  const malformed: { name: string; raw: unknown; reason: RegExp }[] = [
    { name: 'an unknown type', raw: { type: 'carousel', cards: [] }, reason: /type "carousel" is not one Sarufi documents/ },
    { name: 'no type', raw: { text: 'hi' }, reason: /has no type/ },
    { name: 'a non-string type', raw: { type: 7 }, reason: /type a number/ },
    { name: 'not an object', raw: 'hello', reason: /should be an object but this is a string/ },
    { name: 'null', raw: null, reason: /this is null/ },
    { name: 'an array', raw: [1], reason: /this is a list/ },
    { name: 'text without text', raw: { type: 'text' }, reason: /"text" message whose 'text' is missing/ },
    { name: 'text with a number', raw: { type: 'text', text: 42 }, reason: /'text' should be text but is a number/ },
    { name: 'buttons without a list', raw: { type: 'buttons', text: 'x', buttons: 'b1' }, reason: /'buttons' should be a list but is a string/ },
    {
      name: 'a button without a title',
      raw: { type: 'buttons', text: 'x', buttons: [{ id: 'a', title: 'A' }, { id: 'b' }] },
      reason: /'buttons\[1\]\.title' is missing/,
    },
    { name: 'a button that is a string', raw: { type: 'buttons', text: 'x', buttons: ['a'] }, reason: /'buttons\[0\]' should be an object/ },
    {
      name: 'a list without button_text',
      raw: { type: 'list', text: 'x', sections: [] },
      reason: /'button_text' is missing/,
    },
    {
      name: 'a list row with a numeric id',
      raw: { type: 'list', text: 'x', button_text: 'b', sections: [{ title: 's', rows: [{ id: 1, title: 't' }] }] },
      reason: /'sections\[0\]\.rows\[0\]\.id' should be text but is a number/,
    },
    {
      name: 'a list row with a non-text description',
      raw: { type: 'list', text: 'x', button_text: 'b', sections: [{ title: 's', rows: [{ id: 'r', title: 't', description: 5 }] }] },
      reason: /rows\[0\]\.description' should be text/,
    },
    { name: 'an image without media_url', raw: { type: 'image', media_caption: 'c' }, reason: /'media_url' is missing/ },
    { name: 'a video with an object caption', raw: { type: 'video', media_url: 'u', media_caption: {} }, reason: /'media_caption' should be text but is an object/ },
    { name: 'an audio with a null url', raw: { type: 'audio', media_url: null }, reason: /'media_url' should be text but is null/ },
  ];

  for (const { name, raw, reason } of malformed) {
    it(`keeps ${name} raw, with a reason`, () => {
      const read = normaliseMessage(raw);
      assert.equal(read.type, 'unknown');
      assert.ok(read.type === 'unknown');
      assert.match(read.reason, reason);
      assert.equal(read.raw, raw, 'the very same raw value, untouched');
    });
  }

  it('normaliseMessages() maps arrays and answers undefined for anything else', () => {
    const read = normaliseMessages([{ type: 'text', text: 'a' }, { type: 'gif' }]);
    assert.deepEqual(
      read?.map((m) => m.type),
      ['text', 'unknown'],
    );
    assert.equal(normaliseMessages({ type: 'text' }), undefined);
  });
});

describe('message arrays in responses', () => {
  it('createSession() and sendMessage() normalise every message and keep the bad ones raw', async () => {
    const server = await startFakeServer();
    try {
      const odd = { type: 'buttons', text: 'Pick', buttons: [{ id: 'x' }] };
      server.queue({ status: 201, json: session([...everyKnownMessage, odd]) }, { json: reply([{ type: 'sticker', id: 's' }]) });
      const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY });
      const created = await client.createSession('bot');
      assert.deepEqual(created.messages.slice(0, everyKnownMessage.length), everyKnownMessage);
      const last = created.messages.at(-1);
      assert.ok(last !== undefined && last.type === 'unknown');
      assert.deepEqual(last.raw, odd);
      assert.match(last.reason, /'buttons\[0\]\.title' is missing/);
      const answer = await client.sendMessage('bot', 's', { message: 'hi' });
      assert.equal(answer.messages[0].type, 'unknown');
    } finally {
      await server.close();
    }
  });

  it('a reply whose messages is not a list is a bad-response error', async () => {
    const server = await startFakeServer();
    try {
      server.queue({ json: { ...reply(), messages: { type: 'text', text: 'hi' } } });
      const client = new SarufiClient({ baseUrl: server.baseUrl, apiKey: API_KEY });
      await assert.rejects(client.sendMessage('bot', 's', { message: 'hi' }), (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.equal((error as { kind?: string }).kind, 'bad-response');
        assert.match(error.message, /did not have the expected shape \(messages should be a list\)/);
        return true;
      });
    } finally {
      await server.close();
    }
  });
});
