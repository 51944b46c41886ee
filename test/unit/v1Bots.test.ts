// Existing Sarufi bots of every shape (the SDKs' JSON and YAML, the dashboard's export, the 2026
// state-list file), written by the team as fixtures, converted and then run through the HTTP
// sandbox: every intent's examples reach the intent's state, every validator refuses a wrong
// answer with its message and accepts a right one, and no converted state sends nothing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { convertV1Bot } from '../../src/flows/convertV1Files.js';
import type { ConvertedFlowFile } from '../../src/flows/convertV1Files.js';
import { validateFlow } from '../../src/flow/validator.js';
import type { SendMessageResponse } from '../../src/sarufi/types.js';
import { chatbotIdOf, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';
import type { TestSandbox } from './sandboxTestKit.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'v1');

after(removeTempDirs);

async function convertFolder(folder: string): Promise<ConvertedFlowFile> {
  const dir = join(FIXTURES, folder);
  return convertV1Bot({ folderName: basename(dir), fileNames: readdirSync(dir), picked: null }, (name) => Promise.resolve(readFileSync(join(dir, name), 'utf8')));
}

interface ConvertedFlow {
  initial_state: string;
  intents: Record<string, string[]>;
  states: Record<string, { message?: unknown; transitions?: Record<string, unknown> }>;
}

interface TraceEvent {
  type: string;
  trigger?: string;
  key?: string;
  to?: string;
}

type Reply = SendMessageResponse & { sandbox_trace?: { events: TraceEvent[] } };

function texts(reply: Reply): string[] {
  return reply.messages.map((message) => ('text' in message ? message.text : message.type));
}

/** A new session on the converted flow, and a way to say things in it. */
async function chatWith(test: TestSandbox, fileName: string): Promise<(message: string, buttonId?: string) => Promise<Reply>> {
  const chatbot = chatbotIdOf(test.sandbox, fileName);
  const created = await test.api('POST', `/chatbots/${chatbot}/chat/sessions`);
  assert.equal(created.status, 201, created.text);
  const { session_id: session } = created.body as { session_id: string };
  return async (message, buttonId) => {
    const response = await test.api('POST', `/chatbots/${chatbot}/chat/sessions/${session}/messages`, {
      body: buttonId === undefined ? { message } : { message, button_id: buttonId },
    });
    assert.equal(response.status, 200, response.text);
    return response.body as Reply;
  };
}

const BOTS = [
  { folder: 'duka', fileName: 'duka.flow.json', read: ['flow.json', 'intents.json'] },
  { folder: 'bima', fileName: 'bima.flow.json', read: ['flow.json', 'intents.json'] },
  { folder: 'pizza-yaml', fileName: 'pizza-yaml.flow.json', read: ['flows.yaml', 'intents.yaml', 'metadata.yaml'] },
  { folder: 'fomu', fileName: 'fomu.flow.json', read: ['dialog.yaml', 'intent.yaml'] },
  { folder: 'shule-export', fileName: 'shule-bot.flow.json', read: ['Shule Bot flow.json', 'Shule Bot intents.json', 'metadata.json'] },
  { folder: 'kliniki-2026', fileName: 'kliniki.flow.json', read: ['kliniki.json'] },
];

describe('existing bots of every shape, converted', () => {
  for (const bot of BOTS) {
    it(`${bot.folder}: reads ${bot.read.join(' + ')}, writes ${bot.fileName}, a dev/v1 flow with no errors in which every state but the silent router sends something`, async () => {
      const converted = await convertFolder(bot.folder);
      assert.deepEqual(converted.read, bot.read);
      assert.equal(converted.fileName, bot.fileName);
      const flow = JSON.parse(converted.text) as ConvertedFlow;
      assert.deepEqual(validateFlow(flow).errors, []);
      const silent = Object.entries(flow.states).filter(([, state]) => state.message === undefined || (Array.isArray(state.message) && state.message.length === 0));
      // v1 conversations began with the user's message: only the intent router `start` is silent.
      assert.deepEqual(
        silent.map(([name]) => name),
        flow.initial_state === 'start' ? ['start'] : [],
      );
      for (const note of converted.notes) {
        assert.match(note, /states\.\w+|intent|file|intents/, `a note names what it is about: ${note}`);
      }
    });

    it(`${bot.folder}: in the sandbox, every example phrase of every intent reaches the intent's state`, async () => {
      const converted = await convertFolder(bot.folder);
      const flow = JSON.parse(converted.text) as ConvertedFlow;
      const routes = flow.states[flow.initial_state]?.transitions?.intents as Record<string, string>;
      assert.ok(Object.keys(routes).length > 0);
      const test = await startTestSandbox({ [bot.fileName]: converted.text });
      try {
        for (const [intent, target] of Object.entries(routes)) {
          for (const phrase of flow.intents[intent] ?? []) {
            const say = await chatWith(test, bot.fileName);
            const reply = await say(phrase);
            const moved = reply.sandbox_trace?.events.find((event) => event.type === 'transition');
            assert.deepEqual({ trigger: moved?.trigger, key: moved?.key, to: moved?.to }, { trigger: 'intent', key: intent, to: target }, `"${phrase}"`);
            assert.ok(reply.messages.length > 0, `"${phrase}" gets an answer`);
          }
        }
      } finally {
        await test.close();
      }
    });
  }
});

/** For each validated state: a wrong answer, its error message, and a right answer. */
const FOMU_ANSWERS: [state: string, wrong: string, error: string, right: string][] = [
  ['jisajili', 'amani 99', 'Herufi na namba tu, bila nafasi.', 'amani99'],
  ['tarehe', 'jana', 'Andika tarehe kama 24/3/2023.', '24/3/2023'],
  ['barua', 'amani.at.mail', 'Barua pepe si sahihi.', 'amani@mfano.co.tz'],
  ['jina_kamili', 'Amani', 'Jina liwe na herufi 7 hadi 30.', 'Amani Juma'],
  ['umri', '23.5', 'Andika namba tu.', '23'],
  ['simu', 'simu yangu', 'Namba ya simu si sahihi.', '+255711111111'],
  ['maoni', '   ', 'Tafadhali andika kitu.', 'Vizuri'],
  ['muda', '12:00AM', 'Andika saa kama 12:00 AM.', '12:00 AM'],
  ['posta', '1234', 'Zip code si sahihi.', '12345-6789'],
  ['pin', '12a4', 'PIN ni tarakimu 4.', '2580'],
];

describe('validators, converted, in the sandbox', () => {
  it('fomu: each of the ten validator types refuses a wrong answer with its error_message, keeps asking, then accepts a right one', async () => {
    const converted = await convertFolder('fomu');
    const test = await startTestSandbox({ 'fomu.flow.json': converted.text });
    try {
      const say = await chatWith(test, 'fomu.flow.json');
      assert.equal((await say('nataka kujisajili')).current_state, 'jisajili');
      for (const [index, [state, wrong, error, right]] of FOMU_ANSWERS.entries()) {
        const refused = await say(wrong);
        assert.equal(texts(refused)[0], error, `${state} refuses "${wrong}"`);
        assert.equal(refused.current_state, state, `${state} keeps waiting`);
        const accepted = await say(right);
        assert.equal(accepted.current_state, FOMU_ANSWERS[index + 1]?.[0] ?? 'start', `${state} accepts "${right}"`);
      }
    } finally {
      await test.close();
    }
  });

  it("fomu: v1's {{state}} (the answer that led there) reads the answer typed at the state before it", async () => {
    const converted = await convertFolder('fomu');
    const test = await startTestSandbox({ 'fomu.flow.json': converted.text });
    try {
      const say = await chatWith(test, 'fomu.flow.json');
      await say('register');
      let last: Reply | undefined;
      for (const [, , , right] of FOMU_ANSWERS) {
        last = await say(right);
      }
      assert.deepEqual(texts(last as Reply), ['Asante Amani Juma! Tutakuandikia amani@mfano.co.tz.']);
    } finally {
      await test.close();
    }
  });

  it('pizza-yaml: a numeric and a phone validator, a choice_ map with its own fallback_message, and state-level buttons hold the same conversation', async () => {
    const converted = await convertFolder('pizza-yaml');
    const test = await startTestSandbox({ 'pizza-yaml.flow.json': converted.text });
    try {
      const say = await chatWith(test, 'pizza-yaml.flow.json');
      assert.equal((await say('nataka pizza')).current_state, 'agiza');
      assert.deepEqual(texts(await say('mbili')), ['Tafadhali andika namba, mfano 2.', 'Ungependa pizza ngapi?']);
      assert.deepEqual(texts(await say('2')), ['Pizza 2. Chagua aina:\n1. Margherita\n2. Kuku']);
      assert.deepEqual(texts(await say('3')), ['Chagua 1 au 2 tafadhali.', 'Pizza 2. Chagua aina:\n1. Margherita\n2. Kuku']);
      assert.equal((await say('1')).current_state, 'simu');
      assert.deepEqual(texts(await say('07-11')), ['Namba si sahihi.\nMfano 0711111111 au +255711111111.', 'Namba yako ya simu ni ipi?']);
      const confirm = await say('0711111111');
      assert.deepEqual(confirm.messages, [
        { type: 'buttons', text: 'Tutakupigia 0711111111.\nThibitisha oda?', buttons: [{ id: 'ndio', title: 'Ndio' }, { id: 'hapana', title: 'Hapana' }] },
      ]);
      const done = await say('Ndio', 'ndio');
      assert.deepEqual(texts(done), ['Asante! Oda yako imepokelewa.']);
      assert.equal(done.current_state, 'start', "'end.' ends the conversation as 'end' does");
    } finally {
      await test.close();
    }
  });

  it('shule-export: alternatives send their first, an answer map named chagua_kozi routes, and length and email validators refuse then accept', async () => {
    const converted = await convertFolder('shule-export');
    const test = await startTestSandbox({ 'shule-bot.flow.json': converted.text });
    try {
      const say = await chatWith(test, 'shule-bot.flow.json');
      assert.deepEqual(texts(await say('nataka kusoma')), ['Chagua kozi:\n1. Hisabati\n2. Kiingereza']);
      assert.deepEqual(texts(await say('2')), ['Kiingereza. Jina lako kamili?']);
      assert.deepEqual(texts(await say('Ali')), ['Jina liwe na herufi 5 hadi 40.', 'Kiingereza. Jina lako kamili?']);
      assert.deepEqual(texts(await say('Ali Hassan')), ['Barua pepe yako?']);
      assert.deepEqual(texts(await say('ali@')), ['Barua pepe si sahihi.', 'Barua pepe yako?']);
      const done = await say('ali@shule.ac.tz');
      assert.deepEqual(texts(done), ['Umesajiliwa! Tutakuandikia ali@shule.ac.tz.']);
      assert.deepEqual(texts(await say('hello')), ["Karibu Shule Bot!\nAndika 'kozi' kuona kozi zetu."]);
    } finally {
      await test.close();
    }
  });

  it('kliniki-2026: the state-list flow greets, routes an intent and a keyword, falls back, and starts again after its TERMINAL state', async () => {
    const converted = await convertFolder('kliniki-2026');
    const test = await startTestSandbox({ 'kliniki.flow.json': converted.text });
    try {
      const say = await chatWith(test, 'kliniki.flow.json');
      assert.deepEqual(texts(await say('appointment')), ['Siku gani?', '1. Jumatatu\n2. Jumanne']);
      assert.deepEqual(texts(await say('kesho')), ['Samahani, sijaelewa.']);
      assert.equal((await say('miadi')).current_state, 'miadi');
      const booked = await say('2');
      assert.deepEqual(texts(booked), ['Miadi imepangwa. Kwaheri!']);
      assert.equal(booked.current_state, 'imepangwa');
      assert.equal((await say('miadi')).current_state, 'miadi', 'after TERMINAL, the intents route again');
    } finally {
      await test.close();
    }
  });
});
