// Flows of Sarufi's first API (v1, as the Python SDK's examples wrote them) are recognised, refused
// with one clear message, and converted to dev/v1 flows that hold the same conversation.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { convertV1Files } from '../../src/flows/convertV1Files.js';
import { convertV1Flow, V1ConversionError } from '../../src/flow/v1Convert.js';
import { recogniseV1Flow } from '../../src/flow/v1Format.js';
import { validateFlow } from '../../src/flow/validator.js';
import type { SendMessageResponse } from '../../src/sarufi/types.js';
import { chatbotIdOf, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, '..', 'fixtures', 'v1');
const read = (path: string): string => readFileSync(path, 'utf8');
const v1 = (folder: string, file: string): unknown => JSON.parse(read(join(FIXTURES, folder, file))) as unknown;

function converted(folder: string) {
  return convertV1Files({
    folderName: folder,
    flow: { name: 'flow.json', text: read(join(FIXTURES, folder, 'flow.json')) },
    intents: { name: 'intents.json', text: read(join(FIXTURES, folder, 'intents.json')) },
    metadata: null,
  });
}

after(removeTempDirs);

describe('v1 flows: recognised', () => {
  it('finds the first sign of the v1 format in both SDK-shaped fixtures', () => {
    assert.deepEqual(recogniseV1Flow(v1('duka', 'flow.json')), { path: 'states.salamu.next_state', sign: "'next_state'" });
    assert.deepEqual(recogniseV1Flow({ choice_menu: { 1: 'a' }, a: { message: ['Hi'] } }), { path: 'states.choice_menu', sign: "the answer map of 'choice_menu'" });
  });

  it('does not take any example flow of this project for a v1 flow', () => {
    const examples = readdirSync(join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.flow.json'));
    assert.ok(examples.length > 0);
    for (const file of examples) {
      assert.equal(recogniseV1Flow(JSON.parse(read(join(ROOT, 'examples', file)))), null, file);
    }
  });

  it('gives a v1 flow exactly one error, which names the format and the command', () => {
    const { errors, valid } = validateFlow(v1('bima', 'flow.json'));
    assert.equal(valid, false);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0]?.path, 'states.greetings.next_state');
    assert.match(errors[0]?.message ?? '', /Sarufi's first \(v1\) format.*Sarufi: Convert v1 Flow/);
  });

  it('the sandbox answers 400 to a session on a v1 flow file, saying it is the older format', async () => {
    const test = await startTestSandbox({ 'old.flow.json': v1('duka', 'flow.json') });
    try {
      const response = await test.api('POST', `/chatbots/${chatbotIdOf(test.sandbox, 'old.flow.json')}/chat/sessions`);
      assert.equal(response.status, 400);
      assert.match(response.text, /first \(v1\) format/);
    } finally {
      await test.close();
    }
  });
});

describe('v1 flows: converted', () => {
  it('writes <folder>.flow.json for a flow.json, and a dev/v1 flow with no errors', () => {
    for (const folder of ['duka', 'bima']) {
      const file = converted(folder);
      assert.equal(file.fileName, `${folder}.flow.json`);
      const { errors } = validateFlow(JSON.parse(file.text));
      assert.deepEqual(errors, [], folder);
    }
  });

  it('keeps a v1 file named *.flow.json and writes the converted flow beside it', () => {
    const file = convertV1Files({ folderName: 'x', flow: { name: 'shop.flow.json', text: read(join(FIXTURES, 'duka', 'flow.json')) }, intents: null, metadata: null });
    assert.equal(file.fileName, 'shop-converted.flow.json');
    assert.match(file.notes[0] ?? '', /No intents file beside shop\.flow\.json/);
  });

  it('turns next_state, choice_ maps, interactive buttons, fallback_message and intents into dev/v1 transitions', () => {
    const { flow } = convertV1Flow(v1('duka', 'flow.json'), v1('duka', 'intents.json'), { name: 'Duka' });
    const states = flow.states as Record<string, { message?: unknown; transitions?: Record<string, unknown> }>;
    assert.equal(flow.initial_state, 'start');
    assert.deepEqual(flow.intents, v1('duka', 'intents.json'));
    assert.deepEqual(states.start?.transitions, { intents: { salamu: 'salamu', oda: 'oda' }, default: 'not_understood' });
    assert.deepEqual(states.salamu?.transitions, { always: 'start' }, 'next_state "end" goes back to matching intents');
    assert.deepEqual(states.oda?.transitions, { keywords: { 1: 'chai', 2: 'maandazi' }, default: 'oda_fallback' });
    assert.deepEqual(states.oda_fallback, { message: 'Tafadhali chagua 1 au 2.', transitions: { always: 'oda' } });
    assert.deepEqual(states.chai?.transitions, { default: 'thibitisha' });
    assert.deepEqual(states.thibitisha?.transitions, { buttons: { ndio: 'imekamilika', hapana: 'start' }, default: 'thibitisha_fallback' });
    assert.deepEqual((states.thibitisha?.message as { buttons: unknown }).buttons, [{ id: 'ndio', title: 'Ndio' }, { id: 'hapana', title: 'Hapana' }]);
    assert.equal(states.choice_bidhaa, undefined, 'answer maps are folded into the state that asks');
  });

  it('lists what needs a hand: v1 placeholders and intents without a state', () => {
    assert.ok(converted('duka').notes.some((note) => note.includes('{jina}')));
    assert.ok(converted('bima').notes.some((note) => note.includes("'goodbye'")));
  });

  it('refuses a file that is not a v1 flow, saying so', () => {
    assert.throws(() => convertV1Flow({ greet: { message: 'Hi', transitions: { default: 'greet' } } }, undefined), V1ConversionError);
    assert.throws(
      () => convertV1Files({ folderName: 'x', flow: { name: 'flow.json', text: '{oops' }, intents: null, metadata: null }),
      /flow\.json is not valid JSON/,
    );
  });

  it('the converted SDK-shaped flow holds the same conversation in the sandbox', async () => {
    const test = await startTestSandbox({ 'duka.flow.json': converted('duka').text });
    try {
      const chatbot = chatbotIdOf(test.sandbox, 'duka.flow.json');
      const created = await test.api('POST', `/chatbots/${chatbot}/chat/sessions`);
      assert.equal(created.status, 201, created.text);
      const { session_id: session } = created.body as { session_id: string };
      const say = async (message: string, buttonId?: string): Promise<SendMessageResponse> => {
        const response = await test.api('POST', `/chatbots/${chatbot}/chat/sessions/${session}/messages`, {
          body: buttonId === undefined ? { message } : { message, button_id: buttonId },
        });
        assert.equal(response.status, 200, response.text);
        return response.body as SendMessageResponse;
      };
      const texts = (reply: SendMessageResponse): string[] => reply.messages.map((message) => ('text' in message ? message.text : message.type));
      assert.deepEqual(texts(await say('Habari')), ["Karibu Duka la Mama Asha!\nAndika 'oda' kuagiza."]);
      assert.deepEqual(texts(await say('oda')), ['Unataka nini leo?\n1. Chai\n2. Maandazi']);
      assert.deepEqual(texts(await say('7')), ['Tafadhali chagua 1 au 2.', 'Unataka nini leo?\n1. Chai\n2. Maandazi']);
      assert.deepEqual(texts(await say('2')), ['Maandazi mangapi?']);
      const confirm = await say('3');
      assert.equal(confirm.current_state, 'thibitisha');
      const done = await say('Ndio', 'ndio');
      assert.deepEqual(texts(done), ['Oda yako imepokelewa. Kwaheri!']);
      assert.equal(done.current_state, 'start', 'the end of a v1 conversation returns to matching intents');
    } finally {
      await test.close();
    }
  });
});
