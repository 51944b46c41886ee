import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KnownMessage } from '../../src/flow/botMessages.js';
import { createConversation, FlowError } from '../../src/flow/engine.js';
import type { TurnResult } from '../../src/flow/engine.js';

function texts(result: TurnResult): string[] {
  return result.messages.map((message: KnownMessage) => ('text' in message ? message.text : message.type));
}

const menuFlow = {
  states: {
    menu: {
      message: {
        type: 'buttons',
        text: 'Pick one',
        buttons: [
          { id: 'pizza', title: 'Pizza' },
          { id: 'help', title: 'Help' },
        ],
      },
      transitions: {
        buttons: { pizza: 'pizza', help: 'help' },
        keywords: { 'yes|ndiyo': 'yes', 'thank you': 'thanks' },
        regex: { '^\\d{4}$': 'number', '/^ORDER-/i': 'order' },
        default: 'fallback',
      },
    },
    pizza: { message: 'Pizza!' },
    help: { message: 'Help!' },
    yes: { message: 'Yes!' },
    thanks: { message: 'Karibu!' },
    number: { message: 'A number' },
    order: { message: 'An order code' },
    fallback: { message: 'Fallback' },
  },
};

async function answer(flow: unknown, input: { message: string; button_id?: string | null }): Promise<TurnResult> {
  const conversation = createConversation(flow);
  await conversation.start();
  return conversation.handle(input);
}

describe('engine: start and initial state', () => {
  it('greets with the initial state named by initial_state', async () => {
    const conversation = createConversation({ initial_state: 'b', states: { a: { message: 'A' }, b: { message: 'B' } } });
    assert.deepEqual(texts(await conversation.start()), ['B']);
    assert.equal(conversation.currentState, 'b');
  });

  it('greets with the state flagged "initial": true when there is no initial_state', async () => {
    const conversation = createConversation({ a: { message: 'A' }, b: { message: 'B', initial: true } });
    assert.deepEqual(texts(await conversation.start()), ['B']);
  });

  it('greets with the first state in file order otherwise (the documented map shape)', async () => {
    const conversation = createConversation({ name: 'Flow', first: { message: 'First', transitions: { default: 'second' } }, second: { message: 'Second' } });
    assert.deepEqual(texts(await conversation.start()), ['First']);
    assert.equal(conversation.model.name, 'Flow');
  });

  it('renders a message given as a string, one object or a list', async () => {
    const conversation = createConversation({
      s: {
        message: [
          'Plain',
          { type: 'image', media_url: 'https://example.com/a.jpg', media_caption: 'Cap' },
          { type: 'audio', media_url: 'https://example.com/a.ogg' },
        ],
      },
    });
    const { messages } = await conversation.start();
    assert.deepEqual(messages, [
      { type: 'text', text: 'Plain' },
      { type: 'image', media_url: 'https://example.com/a.jpg', media_caption: 'Cap' },
      { type: 'audio', media_url: 'https://example.com/a.ogg' },
    ]);
  });

  it('refuses a flow with errors, listing them', () => {
    assert.throws(
      () => createConversation({ a: { transitions: { default: 'nowhere' } } }),
      (error: unknown) => error instanceof FlowError && error.errors[0]?.path === 'states.a.transitions.default',
    );
  });

  it('must be started before it handles messages, and only once', async () => {
    const conversation = createConversation(menuFlow);
    await assert.rejects(conversation.handle({ message: 'hi' }), /start\(\)/);
    await conversation.start();
    await assert.rejects(conversation.start(), /already started/);
  });
});

describe('engine: transitions', () => {
  it('follows a button id', async () => {
    const result = await answer(menuFlow, { message: 'Pizza', button_id: 'pizza' });
    assert.deepEqual(texts(result), ['Pizza!']);
    assert.equal(result.current_state, 'pizza');
    assert.ok(result.trace.some((event) => event.type === 'transition' && event.trigger === 'button' && event.key === 'pizza'));
  });

  it('treats a typed button title as a click on it (case-insensitive)', async () => {
    assert.deepEqual(texts(await answer(menuFlow, { message: '  hELP ' })), ['Help!']);
  });

  it('matches a click whose id has no button transition against keywords, then default', async () => {
    assert.deepEqual(texts(await answer(menuFlow, { message: 'ndiyo', button_id: 'unknown' })), ['Yes!']);
    assert.deepEqual(texts(await answer(menuFlow, { message: 'Other', button_id: 'unknown' })), ['Fallback']);
  });

  it('matches keywords case-insensitively as whole words, any of the "|" alternatives', async () => {
    assert.deepEqual(texts(await answer(menuFlow, { message: 'Ndiyo, please' })), ['Yes!']);
    assert.deepEqual(texts(await answer(menuFlow, { message: 'YES' })), ['Yes!']);
    assert.deepEqual(texts(await answer(menuFlow, { message: 'ok, Thank  You!' })), ['Karibu!']);
    assert.deepEqual(texts(await answer(menuFlow, { message: 'yesterday' })), ['Fallback']);
    assert.deepEqual(texts(await answer(menuFlow, { message: 'my eyes' })), ['Fallback']);
    assert.deepEqual(texts(await answer(menuFlow, { message: 'sawa_yes' })), ['Fallback'], 'an underscore glues words');
  });

  it('matches regex keys, including the /pattern/flags spelling', async () => {
    assert.deepEqual(texts(await answer(menuFlow, { message: '1042' })), ['A number']);
    assert.deepEqual(texts(await answer(menuFlow, { message: '10423' })), ['Fallback']);
    assert.deepEqual(texts(await answer(menuFlow, { message: 'order-77' })), ['An order code']);
  });

  it('tries button, then keyword, then regex, then default', async () => {
    const flow = {
      s: {
        message: { type: 'buttons', text: 'x', buttons: [{ id: 'b', title: 'B' }] },
        transitions: { buttons: { b: 'by_button' }, keywords: { '1234': 'by_keyword' }, regex: { '^\\d+$': 'by_regex' }, default: 'by_default' },
      },
      by_button: { message: 'button' },
      by_keyword: { message: 'keyword' },
      by_regex: { message: 'regex' },
      by_default: { message: 'default' },
    };
    assert.deepEqual(texts(await answer(flow, { message: '1234', button_id: 'b' })), ['button']);
    assert.deepEqual(texts(await answer(flow, { message: '1234' })), ['keyword']);
    assert.deepEqual(texts(await answer(flow, { message: '99' })), ['regex']);
    assert.deepEqual(texts(await answer(flow, { message: 'abc' })), ['default']);
  });

  it('asks again (message only, actions not re-run) when nothing matches and there is no default', async () => {
    const flow = {
      ask: {
        message: 'Yes or no?',
        actions: [{ type: 'SEND_MESSAGE', message: 'Once' }],
        transitions: { keywords: { yes: 'done' } },
      },
      done: { message: 'Done' },
    };
    const conversation = createConversation(flow);
    assert.deepEqual(texts(await conversation.start()), ['Once', 'Yes or no?']);
    const result = await conversation.handle({ message: 'maybe' });
    assert.deepEqual(texts(result), ['Yes or no?']);
    assert.equal(result.current_state, 'ask');
    assert.ok(result.trace.some((event) => event.type === 'no_match'));
  });

  it('moves on at once through chained "always" transitions', async () => {
    const conversation = createConversation({
      a: { message: 'A', transitions: { always: 'b' } },
      b: { message: 'B', transitions: { always: 'c' } },
      c: { message: 'C', transitions: { default: 'a' } },
    });
    const result = await conversation.start();
    assert.deepEqual(texts(result), ['A', 'B', 'C']);
    assert.equal(result.current_state, 'c');
  });

  it('stops an "always" loop after the move limit with a sandbox notice', async () => {
    const conversation = createConversation(
      { a: { message: 'A', transitions: { always: 'b' } }, b: { message: 'B', transitions: { always: 'a' } } },
      { maxAutomaticMoves: 5 },
    );
    const result = await conversation.start();
    assert.equal(result.messages.length, 7);
    assert.match(texts(result).at(-1) ?? '', /^\[Sandbox\] Stopped after 5 automatic moves/);
    assert.ok(result.trace.some((event) => event.type === 'loop_guard'));
  });

  it('a state with no way out keeps answering: it stays there and sends its message again, actions not re-run', async () => {
    const conversation = createConversation({
      a: { message: 'A', transitions: { default: 'end' } },
      end: { actions: [{ type: 'SEND_MESSAGE', message: 'Once' }], message: 'Bye' },
    });
    await conversation.start();
    assert.deepEqual(texts(await conversation.handle({ message: 'x' })), ['Once', 'Bye']);
    const again = await conversation.handle({ message: 'again' });
    assert.deepEqual(texts(again), ['Bye']);
    assert.equal(again.current_state, 'end');
    assert.ok(again.trace.some((event) => event.type === 'no_match' && event.state === 'end'));
  });

  it('runs turns one at a time even when the caller does not wait', async () => {
    const conversation = createConversation({ a: { message: 'A', transitions: { default: 'b' } }, b: { message: 'B', transitions: { default: 'a' } } });
    await conversation.start();
    const [first, second] = await Promise.all([conversation.handle({ message: '1' }), conversation.handle({ message: '2' })]);
    assert.deepEqual([first.current_state, second.current_state], ['b', 'a']);
  });
});

describe('engine: variables', () => {
  const flow = {
    ask: { message: 'Name?', save_input_as: 'name', transitions: { default: 'greet' } },
    greet: { message: 'Hi {{variables.name}} ({{ contact_name }}), {{variables.missing}}!', transitions: { default: 'ask' } },
  };

  it('stores an answer under the state\'s name, readable as {{ask_name}} and {{variables.ask_name}}', async () => {
    const conversation = createConversation({
      ask_name: { message: 'Your name?', transitions: { default: 'greet' } },
      greet: { message: 'Hi {{ask_name}} / {{variables.ask_name}}', transitions: { default: 'ask_name' } },
    });
    await conversation.start();
    const result = await conversation.handle({ message: 'Amani' });
    assert.deepEqual(texts(result), ['Hi Amani / Amani']);
    assert.equal(conversation.variables.ask_name, 'Amani');
  });

  it('reads bracket indexes in placeholder paths ({{variables.profile.orders[0].id}}), dots too', async () => {
    const profile = { orders: [{ id: 'A-1' }, { id: 'B-2' }] };
    const conversation = createConversation(
      { s: { message: '{{variables.profile.orders[0].id}} {{profile.orders[1].id}} {{variables.profile.orders.1.id}} [{{variables.profile.orders[2].id}}]' } },
      { variables: { profile } },
    );
    assert.deepEqual(texts(await conversation.start()), ['A-1 B-2 B-2 []']);
  });

  it('saves an answer with save_input_as (as well as under the state name) and substitutes {{variables.x}}; missing ones are empty', async () => {
    const conversation = createConversation(flow, { contactName: 'Zuhura' });
    await conversation.start();
    const result = await conversation.handle({ message: 'Amani' });
    assert.deepEqual(texts(result), ['Hi Amani (Zuhura), !']);
    assert.equal(conversation.variables.name, 'Amani');
    assert.equal(conversation.variables.ask, 'Amani');
    assert.ok(result.trace.some((event) => event.type === 'variable' && event.name === 'name' && event.value === 'Amani'));
  });

  it('defaults contact_name to "Sandbox user" and accepts initial variables', async () => {
    const conversation = createConversation({ s: { message: '{{variables.contact_name}} / {{variables.order.items.1}}' } }, { variables: { order: { items: ['a', 'b'] } } });
    assert.deepEqual(texts(await conversation.start()), ['Sandbox user / b']);
  });

  it('saves the title of a clicked button when the click carries no text', async () => {
    const conversation = createConversation({
      pick: {
        message: { type: 'list', text: 'Pick', button_text: 'Menu', sections: [{ title: 'S', rows: [{ id: 'm', title: 'Margherita' }] }] },
        save_input_as: 'pizza',
        transitions: { buttons: { m: 'done' } },
      },
      done: { message: 'You chose {{variables.pizza}}' },
    });
    await conversation.start();
    assert.deepEqual(texts(await conversation.handle({ message: '', button_id: 'm' })), ['You chose Margherita']);
  });

  it('renders objects as JSON in text, but never all the variables at once', async () => {
    const conversation = createConversation({ s: { message: '{{variables.o}}|{{variables}}|{{}}' } }, { variables: { o: { a: 1 } } });
    assert.deepEqual(texts(await conversation.start()), ['{"a":1}||']);
  });
});

describe('engine: actions', () => {
  it('SEND_MESSAGE sends its messages before the state message, in action order', async () => {
    const conversation = createConversation({
      s: {
        message: 'State',
        actions: [
          { type: 'SEND_MESSAGE', message: 'First {{variables.contact_name}}' },
          { type: 'SEND_MESSAGE', message: [{ type: 'video', media_url: 'https://example.com/v.mp4' }] },
        ],
      },
    });
    const { messages } = await conversation.start();
    assert.deepEqual(messages, [
      { type: 'text', text: 'First Sandbox user' },
      { type: 'video', media_url: 'https://example.com/v.mp4' },
      { type: 'text', text: 'State' },
    ]);
  });

  it('CONDITION goes to then or else and stops the remaining actions', async () => {
    const flow = {
      ask: { message: 'Qty?', save_input_as: 'qty', transitions: { default: 'check' } },
      check: {
        actions: [
          { type: 'CONDITION', if: "{{variables.qty}} >= 5 and {{variables.qty}} != '7'", then: 'bulk', else: 'single' },
          { type: 'SEND_MESSAGE', message: 'never sent' },
        ],
      },
      bulk: { message: 'Bulk' },
      single: { message: 'Single' },
    };
    assert.deepEqual(texts(await answer(flow, { message: '12' })), ['Bulk']);
    assert.deepEqual(texts(await answer(flow, { message: '7' })), ['Single']);
    const result = await answer(flow, { message: '3' });
    assert.deepEqual(texts(result), ['Single']);
    assert.ok(result.trace.some((event) => event.type === 'condition' && event.result === false));
  });

  it('CONDITION without a branch for the outcome lets the next action run', async () => {
    const flow = {
      s: {
        actions: [
          { type: 'CONDITION', if: 'exists {{variables.vip}}', then: 'vip' },
          { type: 'SEND_MESSAGE', message: 'Regular' },
        ],
        transitions: { default: 's' },
      },
      vip: { message: 'VIP' },
    };
    assert.deepEqual(texts(await createConversation(flow).start()), ['Regular']);
    assert.deepEqual(texts(await createConversation(flow, { variables: { vip: 'yes' } }).start()), ['VIP']);
  });

  it('LLM_AGENT without a model endpoint answers with a stand-in labelled with the agent\'s name, quoting the message', async () => {
    const flow = {
      ask: { message: 'Ask me', transitions: { default: 'agent' } },
      agent: {
        actions: [
          {
            type: 'LLM_AGENT',
            name: 'Order Assistant',
            system_prompt: 'Be nice',
            tools: [{ name: 'mcp', collection: 'orders_mcp', enabled: true }],
          },
        ],
        transitions: { default: 'agent' },
      },
    };
    const result = await answer(flow, { message: 'Mnafunga saa ngapi?' });
    assert.equal(result.messages.length, 1);
    const text = texts(result)[0] ?? '';
    assert.ok(text.startsWith("[sandbox: LLM_AGENT 'Order Assistant' has no model here]"), text);
    assert.match(text, /Mnafunga saa ngapi\?/);
  });
});
