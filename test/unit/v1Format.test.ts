// Flows of Sarufi's first API (v1, as the Python SDK's examples wrote them) are recognised, refused
// with one clear message, and converted to dev/v1 flows that hold the same conversation.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { convertV1Files, parseBotFile, pickV1Files } from '../../src/flows/convertV1Files.js';
import { convertStateListFlow } from '../../src/flow/stateListConvert.js';
import { convertV1Flow, V1ConversionError } from '../../src/flow/v1Convert.js';
import { isV1FormatMessage, recogniseV1Flow } from '../../src/flow/v1Format.js';
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

describe('v1 flows: every shape the SDKs and the dashboard wrote', () => {
  const states = (flow: Record<string, unknown>) => flow.states as Record<string, { message?: unknown; transitions?: Record<string, unknown> }>;

  it('an answer map named anything (chagua_kozi) is read by its shape when a next_state points to it', () => {
    const { flow } = convertV1Flow({ kozi: { message: ['1 au 2?'], next_state: 'chagua_kozi' }, chagua_kozi: { 1: 'a', 2: 'end' }, a: { message: ['A'], next_state: 'end' } }, { kozi: ['kozi'] });
    assert.deepEqual(states(flow).kozi?.transitions, { keywords: { 1: 'a', 2: 'start' }, default: 'kozi_fallback' });
    assert.equal(states(flow).chagua_kozi, undefined);
  });

  it('a message that is a list of lists keeps its first alternative and names the others in a note', () => {
    const { flow, notes } = convertV1Flow({ hi: { message: [['Hello', 'there'], ['Hi!']], next_state: 'end' } }, { hi: ['hi'] });
    assert.equal(states(flow).hi?.message, 'Hello\nthere');
    assert.deepEqual(notes, ['states.hi.message has 2 alternative messages; the sandbox sends one, so the first was kept. The others were: "Hi!".']);
  });

  it("'next' works as next_state, 'end.' ends as 'end' does with a note, and a key close to a known one gets 'did you mean'", () => {
    const { flow, notes } = convertV1Flow({ a: { message: ['A'], next: 'b' }, b: { massage: ['B?'], message: ['B'], next_state: 'end.' } }, { a: ['a'] });
    assert.deepEqual(states(flow).a?.transitions, { default: 'b' });
    assert.deepEqual(states(flow).b?.transitions, { always: 'start' });
    assert.ok(notes.includes("states.b.massage is not a v1 state key and was left out: did you mean `message`?"), notes.join('\n'));
    assert.ok(notes.some((note) => note.startsWith("states.b goes to 'end.' (with a dot)")), notes.join('\n'));
  });

  it('state-level type interactive with buttons (the docs way) becomes one buttons message carrying the text of the message', () => {
    const { flow } = convertV1Flow(
      { ask: { message: ['Order placed.', 'Please confirm'], type: 'interactive', buttons: [{ 1: 'Yes' }, { 2: 'No' }], next_state: 'choice_c' }, choice_c: { 1: 'end', 2: 'end' } },
      undefined,
    );
    assert.deepEqual(states(flow).ask?.message, { type: 'buttons', text: 'Order placed.\nPlease confirm', buttons: [{ id: '1', title: 'Yes' }, { id: '2', title: 'No' }] });
    assert.deepEqual(Object.keys(states(flow).ask?.transitions ?? {}), ['buttons', 'default']);
  });

  it('buttons whose ids name states (the docs way, with next_state end) lead to those states; any other message is matched against the intents', async () => {
    const bot = {
      confirm: { message: ['Confirm your order?'], next_state: 'end', type: 'interactive', buttons: [{ accepted: 'I confirm' }, { denied: 'Cancel' }] },
      accepted: { message: ['Thank you!'], next_state: 'end' },
      denied: { message: ['See you next time!'] },
    };
    const { flow } = convertV1Flow(bot, { confirm: ['order'] });
    assert.deepEqual(states(flow).confirm?.transitions, { buttons: { accepted: 'accepted', denied: 'denied' }, intents: { confirm: 'confirm' }, default: 'not_understood' });
    const test = await startTestSandbox({ 'confirm.flow.json': flow });
    try {
      const chatbot = chatbotIdOf(test.sandbox, 'confirm.flow.json');
      const created = await test.api('POST', `/chatbots/${chatbot}/chat/sessions`);
      const { session_id: session } = created.body as { session_id: string };
      const say = async (body: Record<string, string>) => (await test.api('POST', `/chatbots/${chatbot}/chat/sessions/${session}/messages`, { body })).body as SendMessageResponse;
      assert.equal((await say({ message: 'order' })).current_state, 'confirm');
      assert.deepEqual((await say({ message: 'I confirm', button_id: 'accepted' })).messages, [{ type: 'text', text: 'Thank you!' }]);
    } finally {
      await test.close();
    }
  });

  it('several validators become one pattern, with a note; one it cannot read is left out with its reason', () => {
    const { flow, notes } = convertV1Flow(
      { pin: { message: ['PIN?'], validators: [{ type: 'numeric_validation', error_message: 'Digits.' }, { type: 'length_validation', min_length: 4, max_length: 4 }, { type: 'age_validation' }], next_state: 'end' } },
      undefined,
    );
    assert.deepEqual(states(flow).pin?.transitions, { regex: { '^(?=[0-9]+$)(?=.{4,4}$)': 'start' }, default: 'pin_invalid' });
    assert.deepEqual(states(flow).pin_invalid, { message: 'Digits.', transitions: { always: 'pin' } });
    assert.ok(notes.some((note) => note.startsWith("states.pin.validators[2] was left out: 'age_validation' is not a validator type")), notes.join('\n'));
    assert.ok(notes.includes("states.pin has 2 validators: an answer must pass all of them, and a wrong one gets the first one's error_message."));
  });

  it('a YAML field left at the top level (not indented under its state) gets a note that says to indent it', () => {
    const { notes } = convertV1Flow({ get_name: null, message: ['Your name?'], next_state: 'end', greet: { message: ['Hi'], next_state: 'end' } }, undefined);
    assert.ok(notes.includes("'message' sits at the top level of the flow, where states are: in YAML, indent it under the name of the state it belongs to. It was left out."), notes.join('\n'));
  });

  it("a YAML file's error names its line; YAML that looks like JSON but is not valid JSON gets a note, not a silent reading", () => {
    const notes: string[] = [];
    const failure = (text: string): string => {
      try {
        parseBotFile({ name: 'flows.yaml', text }, notes);
      } catch (error) {
        assert.ok(error instanceof V1ConversionError);
        return error.message;
      }
      return 'no error';
    };
    assert.equal(failure('greet:\n  message: [Hi\n  next_state: end\n'), 'flows.yaml:3:3: Flow sequence in block collection must be sufficiently indented and end with a ]');
    assert.equal(failure('a: 1\na: 2\n'), 'flows.yaml:2:1: Map keys must be unique');
    const value = parseBotFile({ name: 'intents.yaml', text: "{greet: ['hi', 'hello'],}" }, notes);
    assert.deepEqual(value, { greet: ['hi', 'hello'] });
    assert.equal(notes.length, 1);
    assert.match(notes[0] ?? '', /^intents\.yaml looks like JSON but is not valid JSON \(.*\): it was read as YAML/);
  });

  it('picks the files of a folder by name: flows.yaml with intents.yaml over intents.json, the export by its bot name, metadata, and refuses two flows', () => {
    assert.deepEqual(pickV1Files(['flows.yaml', 'intents.json', 'intents.yaml', 'metadata.yaml'], null), {
      flow: 'flows.yaml',
      intents: 'intents.yaml',
      metadata: 'metadata.yaml',
      notes: ['Several intents files here (intents.json, intents.yaml): intents.yaml was read; check it is the one that goes with flows.yaml.'],
    });
    assert.deepEqual(pickV1Files(['Necta Chatbot flow.json', 'Necta Chatbot intents.json', 'metadata.json'], 'metadata.json'), {
      flow: 'Necta Chatbot flow.json',
      intents: 'Necta Chatbot intents.json',
      metadata: 'metadata.json',
      notes: [],
    });
    assert.equal(pickV1Files(['dialog.yaml', 'intent.yaml'], 'intent.yaml').intents, 'intent.yaml');
    assert.throws(() => pickV1Files(['flow.json', 'flow.yaml'], null), /Several flow files here \(flow\.json, flow\.yaml\)/);
    assert.throws(() => pickV1Files(['notes.txt'], null), /No v1 flow file here/);
  });

  it('names the dashboard export after its bot (necta-chatbot.flow.json, name from metadata), not "<bot name> flow.flow.json"', () => {
    const file = convertV1Files({
      folderName: 'downloads',
      flow: { name: 'Necta Chatbot flow.json', text: JSON.stringify({ matokeo: { message: ['Namba ya mtihani?'], next_state: 'end' } }) },
      intents: { name: 'Necta Chatbot intents.json', text: JSON.stringify({ matokeo: ['matokeo'] }) },
      metadata: { name: 'metadata.json', text: JSON.stringify({ name: 'NECTA Results', description: 'Matokeo ya mitihani' }) },
    });
    assert.equal(file.fileName, 'necta-chatbot.flow.json');
    const flow = JSON.parse(file.text) as Record<string, unknown>;
    assert.deepEqual([flow.name, flow.description, Object.keys(flow.intents as object)], ['NECTA Results', 'Matokeo ya mitihani', ['matokeo']]);
  });
});

describe('the state-list shape seen in 2026', () => {
  const stateList = {
    version: '2026-01',
    name: 'Kliniki',
    initial_state: 'karibu',
    states: [{ name: 'karibu', type: 'STANDARD', actions: [{ type: 'SEND_MESSAGE', text: 'Karibu' }], transitions: [] }],
    intents: [],
  };

  it("gets one problem that names the shape and the command, not \"'states' must be an object\"", () => {
    const { errors } = validateFlow(stateList);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0]?.path, 'states');
    assert.match(errors[0]?.message ?? '', /lists its states by name and type .* a shape seen in 2026 that Sarufi's docs do not describe.*Sarufi: Convert v1 Flow/);
    assert.ok(isV1FormatMessage(errors[0]?.message ?? ''), 'the editor offers the conversion as its quick fix');
  });

  it('the sandbox answers 400 to a session on a state-list flow file, naming the shape', async () => {
    const test = await startTestSandbox({ 'kliniki.flow.json': stateList });
    try {
      const response = await test.api('POST', `/chatbots/${chatbotIdOf(test.sandbox, 'kliniki.flow.json')}/chat/sessions`);
      assert.equal(response.status, 400);
      assert.match(response.text, /a shape seen in 2026/);
    } finally {
      await test.close();
    }
  });

  it('an empty states list is still an empty flow, not the 2026 shape', () => {
    assert.doesNotMatch(validateFlow({ states: [] }).errors[0]?.message ?? '', /2026/);
  });

  it('a transition item of an unknown type, a missing target and a non-message action are left out with notes naming them', () => {
    const { flow, notes } = convertStateListFlow({
      ...stateList,
      states: [
        {
          name: 'karibu',
          actions: [{ type: 'SEND_MESSAGE', text: 'Karibu' }, { type: 'API_CALL', url: 'https://x.example' }],
          transitions: [{ type: 'SWIPE', target: 'karibu' }, { type: 'KEYWORD', value: 'x', target: 'nowhere' }, { type: 'ALWAYS', target: 'karibu' }],
        },
      ],
    });
    assert.deepEqual(states(flow).karibu, { message: 'Karibu', transitions: { always: 'karibu' } });
    assert.ok(notes.some((note) => note.startsWith('states.karibu.actions[1] (API_CALL) was left out')), notes.join('\n'));
    assert.ok(notes.some((note) => note.startsWith('states.karibu.transitions[0] was left out: its type is not one of')), notes.join('\n'));
    assert.ok(notes.some((note) => note.startsWith('states.karibu.transitions[1] goes to "nowhere", which is not a state')), notes.join('\n'));
  });

  function states(flow: Record<string, unknown>): Record<string, unknown> {
    return flow.states as Record<string, unknown>;
  }
});
