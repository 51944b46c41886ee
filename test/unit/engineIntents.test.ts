import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConversation } from '../../src/flow/engine.js';
import type { TurnResult } from '../../src/flow/engine.js';
import { diceSimilarity, intentScore, intentWords } from '../../src/flow/intentMatching.js';

function texts(result: TurnResult): string[] {
  return result.messages.map((message) => ('text' in message ? message.text : message.type));
}

const shopFlow = {
  intents: {
    greet: ['Hello', 'Hi there', 'Habari'],
    track: ['Where is my order', 'track my order'],
    cancel: ['cancel', 'stop', 'cancel my order'],
  },
  states: {
    menu: {
      message: 'How can I help?',
      transitions: { keywords: { help: 'help' }, intents: { greet: 'welcome', track: 'ask_order' }, default: 'menu' },
    },
    welcome: { message: 'Karibu!', transitions: { default: 'menu' } },
    help: { message: 'Help!', transitions: { default: 'menu' } },
    ask_order: { message: 'Order number?', transitions: { regex: { '^\\d+$': 'menu' }, default: 'ask_order' } },
    cancel: { message: 'Cancelled. Say anything to start again.', transitions: { default: 'menu' } },
  },
};

async function afterGreeting(flow: unknown = shopFlow) {
  const conversation = createConversation(flow);
  await conversation.start();
  return conversation;
}

describe('intent similarity', () => {
  it('normalises case, accents and punctuation into a set of words', () => {
    assert.deepEqual([...intentWords('  Héllo, THERE!! hello ')], ['hello', 'there']);
  });

  it('is the Dice coefficient of the word sets: 2·shared / (size A + size B)', () => {
    assert.equal(diceSimilarity(new Set(['hi']), new Set(['hi', 'there'])), 2 / 3);
    assert.equal(diceSimilarity(new Set(['a', 'b']), new Set(['c'])), 0);
    assert.equal(diceSimilarity(new Set(), new Set(['c'])), 0);
  });

  it("scores a message by its best example phrase", () => {
    assert.equal(intentScore(['Where is my order', 'track my order'], 'track order'), 0.8);
  });
});

describe('engine: intents', () => {
  it('follows an intent transition for a message similar to one of its example phrases', async () => {
    const conversation = await afterGreeting();
    const result = await conversation.handle({ message: 'hi!' });
    assert.deepEqual(texts(result), ['Karibu!']);
    assert.ok(result.trace.some((event) => event.type === 'transition' && event.trigger === 'intent' && event.key === 'greet'));
  });

  it('picks the most similar intent, and falls to default below the threshold', async () => {
    const conversation = await afterGreeting();
    assert.equal((await conversation.handle({ message: 'where is my order please' })).current_state, 'ask_order');
    const other = await afterGreeting();
    assert.equal((await other.handle({ message: 'the weather today' })).current_state, 'menu');
  });

  it('tries keywords before intents', async () => {
    const conversation = await afterGreeting();
    assert.equal((await conversation.handle({ message: 'hi, help' })).current_state, 'help');
  });

  it("the 'cancel' intent abandons the flow to the 'cancel' state from any state, without a transition for it", async () => {
    const conversation = await afterGreeting();
    await conversation.handle({ message: 'track my order' });
    assert.equal(conversation.currentState, 'ask_order');
    const result = await conversation.handle({ message: 'Cancel my order' });
    assert.deepEqual(texts(result), ['Cancelled. Say anything to start again.']);
    assert.equal(result.current_state, 'cancel');
    assert.ok(result.trace.some((event) => event.type === 'transition' && event.trigger === 'cancel_intent'));
  });

  it("the 'cancel' intent yields to a more similar intent: 'track my order' tracks, though it shares 'my order' with 'cancel my order'", async () => {
    const conversation = await afterGreeting();
    assert.equal((await conversation.handle({ message: 'track my order' })).current_state, 'ask_order');
  });

  it("the 'cancel' intent does nothing special in a flow without a 'cancel' state", async () => {
    const states = Object.fromEntries(Object.entries(shopFlow.states).filter(([name]) => name !== 'cancel'));
    const conversation = await afterGreeting({ intents: shopFlow.intents, states });
    assert.equal((await conversation.handle({ message: 'cancel' })).current_state, 'menu');
  });

  it("a button click is a click, even when its title reads like the 'cancel' intent", async () => {
    const conversation = await afterGreeting({
      intents: { cancel: ['cancel'] },
      states: {
        confirm: {
          message: { type: 'buttons', text: 'Sure?', buttons: [{ id: 'no', title: 'Cancel' }] },
          transitions: { buttons: { no: 'kept' }, default: 'confirm' },
        },
        kept: { message: 'Kept', transitions: { default: 'confirm' } },
        cancel: { message: 'Cancelled', transitions: { default: 'confirm' } },
      },
    });
    assert.equal((await conversation.handle({ message: 'Cancel', button_id: 'no' })).current_state, 'kept');
  });
});
