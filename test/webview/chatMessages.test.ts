// Every GenericMessage type as the chat page shows it, in real Chromium under the real CSP: roles
// and names as assistive technology sees them, and what a click posts to the host.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MEDIA_ORIGIN, posted, routeMedia, text, turn, withChat } from './chatFixtures.js';
import type { TurnEntry } from '../../src/chat/transcript.js';
import type { GenericMessage } from '../../src/flow/botMessages.js';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

test('a text message keeps its line breaks', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hello!\nHow can I help?\n\n– Pizza Bot')])] }, async (view) => {
    const paragraph = view.page.getByRole('log').getByText('How can I help?');
    assert.equal(await paragraph.evaluate((element) => element.textContent), 'Hello!\nHow can I help?\n\n– Pizza Bot');
    assert.equal(await paragraph.evaluate((element) => getComputedStyle(element).whiteSpace), 'pre-wrap');
  });
});

test('reply buttons are real buttons named by their titles, and a click sends title and id', async () => {
  const buttons = { type: 'buttons' as const, text: 'What next?', buttons: [{ id: 'order', title: 'Order pizza' }, { id: 'track', title: 'Track order' }] };
  await withChat(harness, { entries: [turn('t1', [buttons])] }, async (view) => {
    const order = view.page.getByRole('button', { name: 'Order pizza', exact: true });
    assert.equal(await order.evaluate((element) => element.tagName), 'BUTTON');
    await view.page.getByRole('button', { name: 'Track order', exact: true }).click();
    await view.waitForMessage('send');
    assert.deepEqual(posted(view, 'send').map((message) => message.input), [{ text: 'Track order', buttonId: 'track' }]);
    assert.equal(typeof posted(view, 'send')[0]?.requestId, 'number');
  });
});

test('buttons of earlier turns stay clickable and say they are from an earlier turn', async () => {
  const first = turn('t1', [{ type: 'buttons', text: 'Pick', buttons: [{ id: 'a', title: 'Alpha' }] }]);
  const second = turn('t2', [{ type: 'buttons', text: 'Pick again', buttons: [{ id: 'b', title: 'Beta' }] }], { user: { text: 'Alpha', buttonId: 'a' } });
  await withChat(harness, { entries: [first, second] }, async (view) => {
    const alpha = view.page.getByRole('button', { name: 'Alpha', exact: true });
    const beta = view.page.getByRole('button', { name: 'Beta', exact: true });
    assert.equal(await alpha.getAttribute('aria-description'), 'From an earlier turn');
    assert.equal(await alpha.getAttribute('title'), 'From an earlier turn');
    assert.ok(await alpha.evaluate((element) => element.classList.contains('earlier')));
    assert.equal(await beta.getAttribute('aria-description'), null, 'the newest turn is not marked');

    await view.post({ type: 'append', entry: turn('t3', [text('Thanks')], { user: { text: 'Beta', buttonId: 'b' } }) });
    assert.equal(await beta.getAttribute('aria-description'), 'From an earlier turn', 'a new turn marks the previous one');

    await alpha.click();
    await view.waitForMessage('send');
    assert.deepEqual(posted(view, 'send')[0]?.input, { text: 'Alpha', buttonId: 'a' });
  });
});

test('a list opens from its button and each row, named by its title, sends like a button', async () => {
  const list = {
    type: 'list' as const,
    text: 'Our menu',
    button_text: 'See menu',
    sections: [
      { title: 'Pizzas', rows: [{ id: 'p1', title: 'Margherita', description: 'Tomato and mozzarella' }, { id: 'p2', title: 'Pepperoni' }] },
      { title: 'Drinks', rows: [{ id: 'd1', title: 'Lemonade' }] },
    ],
  };
  await withChat(harness, { entries: [turn('t1', [list])] }, async (view) => {
    const toggle = view.page.getByRole('button', { name: 'See menu', exact: true });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await view.page.getByRole('button', { name: 'Margherita', exact: true }).count(), 0, 'rows are hidden until the list opens');

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const row = view.page.getByRole('button', { name: 'Margherita', exact: true });
    assert.ok(await row.isVisible());
    assert.equal(await row.getAttribute('aria-description'), 'Tomato and mozzarella');
    assert.ok(await view.page.getByRole('group', { name: 'Drinks' }).getByRole('button', { name: 'Lemonade' }).isVisible());

    await row.click();
    await view.waitForMessage('send');
    assert.deepEqual(posted(view, 'send')[0]?.input, { text: 'Margherita', buttonId: 'p1' });

    await toggle.click();
    assert.equal(await row.isVisible(), false, 'the button closes the list again');
  });
});

test('an http(s) image shows inline with its caption as alt text', async () => {
  const image = { type: 'image' as const, media_url: `${MEDIA_ORIGIN}/pizza.png`, media_caption: 'Our margherita' };
  let requested: string[] = [];
  await withChat(harness, { entries: [turn('t1', [image])], prepare: async (view) => void (requested = await routeMedia(view)) }, async (view) => {
    const img = view.page.getByRole('img', { name: 'Our margherita' });
    await img.waitFor();
    await view.page.waitForFunction(() => document.querySelector('img')?.complete === true);
    assert.equal(await img.getAttribute('src'), `${MEDIA_ORIGIN}/pizza.png`);
    assert.ok(await view.page.getByRole('log').getByText('Our margherita', { exact: true }).isVisible(), 'the caption is shown');
    assert.deepEqual(requested, [`${MEDIA_ORIGIN}/pizza.png`]);
  });
});

test('media with a javascript:, data: or relative URL is refused and shown as labelled raw JSON', async () => {
  const hostile = [
    { type: 'image' as const, media_url: 'javascript:alert(1)', media_caption: 'evil' },
    { type: 'image' as const, media_url: 'data:image/png;base64,iVBORw0KGgo=' },
    { type: 'video' as const, media_url: '/relative/clip.mp4' },
    { type: 'audio' as const, media_url: 'file:///etc/passwd' },
    { type: 'document' as const, media_url: 'javascript:alert(2)', media_filename: 'x.pdf' },
  ];
  await withChat(harness, { entries: [turn('t1', hostile)] }, async (view) => {
    const log = view.page.getByRole('log');
    assert.equal(await log.locator('img, video, audio').count(), 0, 'no media element was created');
    assert.equal(await log.getByRole('button', { name: 'Open x.pdf' }).count(), 0);
    for (const label of ['Image not shown', 'Video not shown', 'Audio not shown', 'Document not shown']) {
      assert.ok(await log.getByRole('group', { name: new RegExp(label) }).first().isVisible(), label);
    }
    const blocks = await log.locator('.raw-json').allTextContents();
    assert.ok(blocks.some((block) => block.includes('"media_url": "javascript:alert(1)"')), 'the raw JSON is shown');
    assert.ok(blocks.some((block) => block.includes('data:image/png')));
  });
});

test('a document is a file card whose Open button asks the host to open the link', async () => {
  const documents = [
    { type: 'document' as const, media_url: `${MEDIA_ORIGIN}/files/menu%20card.pdf`, media_caption: 'Full menu' },
    { type: 'document' as const, media_url: `${MEDIA_ORIGIN}/download?id=7`, media_filename: 'invoice-7.pdf' },
  ];
  await withChat(harness, { entries: [turn('t1', documents)] }, async (view) => {
    const card = view.page.getByRole('group', { name: 'Document menu card.pdf' });
    assert.ok(await card.getByText('menu card.pdf').isVisible(), 'the file name comes from the URL when none is given');
    assert.ok(await card.getByText('Full menu').isVisible());
    await card.getByRole('button', { name: 'Open menu card.pdf' }).click();
    await view.waitForMessage('openLink');
    assert.deepEqual(posted(view, 'openLink'), [{ type: 'openLink', url: `${MEDIA_ORIGIN}/files/menu%20card.pdf` }]);
    assert.ok(await view.page.getByRole('group', { name: 'Document invoice-7.pdf' }).isVisible(), 'media_filename wins over the URL');
  });
});

test('video and audio use the native player controls', async () => {
  const media = [
    { type: 'video' as const, media_url: `${MEDIA_ORIGIN}/clip.mp4`, media_caption: 'How to order' },
    { type: 'audio' as const, media_url: `${MEDIA_ORIGIN}/voice.ogg` },
  ];
  await withChat(harness, { entries: [turn('t1', media)], prepare: async (view) => void (await routeMedia(view)) }, async (view) => {
    const video = view.page.locator('video');
    const audio = view.page.locator('audio');
    assert.equal(await video.getAttribute('src'), `${MEDIA_ORIGIN}/clip.mp4`);
    assert.equal(await video.evaluate((element) => (element as HTMLVideoElement).controls), true);
    assert.equal(await audio.evaluate((element) => (element as HTMLAudioElement).controls), true);
    assert.ok(await view.page.getByText('How to order').isVisible());
  });
});

test('HTML and script in any bot field render as text and never run', async () => {
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
  const hostile = [
    text(payload),
    { type: 'buttons' as const, text: payload, buttons: [{ id: '<i>id</i>', title: '<b>Click</b><script>window.__pwned=3</script>' }] },
    { type: 'list' as const, text: payload, button_text: '<u>Open</u>', sections: [{ title: '<h1>Section</h1>', rows: [{ id: 'r', title: '<a href="javascript:x">Row</a>', description: payload }] }] },
    { type: 'image' as const, media_url: `${MEDIA_ORIGIN}/a.png?"><script>window.__pwned=4</script>`, media_caption: payload },
    { type: 'document' as const, media_url: `${MEDIA_ORIGIN}/f.pdf`, media_filename: '<img src=x onerror="window.__pwned=5">.pdf', media_caption: payload },
  ];
  const entries = [turn('t1', hostile, { currentState: '<script>window.__pwned=6</script>', user: { text: payload } })];
  await withChat(harness, { entries, prepare: async (view) => void (await routeMedia(view)) }, async (view) => {
    const log = view.page.getByRole('log');
    await view.page.getByRole('button', { name: '<u>Open</u>' }).click();
    assert.equal(await log.locator('script, b, i, u, h1, a, iframe').count(), 0, 'no element came from the data');
    assert.equal(await log.locator('img').count(), 1, 'only the one real image element');
    assert.ok((await log.getByText(payload).count()) >= 3, 'the payload is shown as text');
    assert.ok(await view.page.getByRole('button', { name: '<b>Click</b><script>window.__pwned=3</script>' }).isVisible());
    assert.ok(await view.page.getByRole('button', { name: '<a href="javascript:x">Row</a>' }).isVisible());
    assert.ok(await view.page.getByRole('button', { name: /state <script>/ }).isVisible());
    await view.page.waitForTimeout(200);
    assert.equal(await view.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'no payload ran');
  });
});

test('an unknown type, a malformed message and a non-object show as labelled raw JSON, and the panel keeps working', async () => {
  const messages = [
    { type: 'unknown' as const, reason: "Unknown message type 'carousel'.", raw: { type: 'carousel', cards: [{ title: 'A' }] } },
    { type: 'unknown' as const, reason: "A 'buttons' message needs a list of buttons.", raw: { type: 'buttons', text: 'Pick' } },
    // Past the client's parser (a host bug, or a newer host): the page must cope on its own.
    { type: 'buttons', text: 'Pick', buttons: 'not a list' },
    { type: 'hologram', payload: 1 },
    null,
    42,
  ] as unknown as GenericMessage[];
  await withChat(harness, { entries: [turn('t1', messages)] }, async (view) => {
    const log = view.page.getByRole('log');
    const carousel = log.getByRole('group', { name: "Unknown message type 'carousel'" });
    assert.ok(await carousel.isVisible());
    assert.match((await carousel.locator('.raw-json').textContent()) ?? '', /"cards"/);
    assert.ok(await log.getByRole('group', { name: "Malformed 'buttons' message" }).first().getByText('needs a list of buttons').isVisible());
    assert.ok(await log.getByText("a \"buttons\" message whose 'buttons' should be a list but is a string").isVisible(), 'a message past the client is read again by the same reader, which says why');
    assert.ok(await log.getByRole('group', { name: "Unknown message type 'hologram'" }).isVisible());
    assert.equal(await log.getByRole('group', { name: 'Malformed message (not an object)' }).count(), 2);

    await view.post({ type: 'append', entry: turn('t2', [text('Still here')]) });
    assert.ok(await log.getByText('Still here').isVisible(), 'later turns still render');
  });
});

test('a greeting with no messages (a fork starting mid-conversation) shows its meta line and no empty bot bubble; a reply with none says so', async () => {
  await withChat(harness, { entries: [turn('g', [], { currentState: 'menu' }), turn('t1', [], { user: { text: 'hi' } })] }, async (view) => {
    const log = view.page.getByRole('log');
    assert.equal(await view.page.locator('[data-entry-id="g"] .bot-messages').count(), 0);
    assert.ok(await log.locator('[data-entry-id="g"]').getByRole('button', { name: 'state menu' }).isVisible());
    assert.equal(await log.getByText('No messages in this reply').count(), 1, 'only the reply says it had none');
    assert.ok(await log.locator('[data-entry-id="t1"]').getByText('No messages in this reply').isVisible());
  });
});

test('a turn whose messages are not a list at all still renders its meta line', async () => {
  const broken = { ...turn('t1', []), messages: 'oops' } as unknown as TurnEntry;
  await withChat(harness, { entries: [broken] }, async (view) => {
    assert.ok(await view.page.getByRole('log').getByText('No messages in this reply').isVisible());
    assert.ok(await view.page.getByRole('button', { name: 'Show raw JSON' }).isVisible());
  });
});

test('every control of a turn is reachable with Tab and shows the theme focus outline', async () => {
  const messages = [
    { type: 'buttons' as const, text: 'Pick', buttons: [{ id: 'a', title: 'Alpha' }] },
    { type: 'list' as const, text: 'Menu', button_text: 'See menu', sections: [{ title: 'All', rows: [{ id: 'r', title: 'Row one' }] }] },
    { type: 'document' as const, media_url: `${MEDIA_ORIGIN}/menu.pdf` },
  ];
  await withChat(harness, { entries: [turn('t1', messages, { currentState: 'menu' })] }, async (view) => {
    // VS Code defines every --vscode-* variable; the test page has none, so set the one checked here.
    await view.page.evaluate(() => document.documentElement.style.setProperty('--vscode-focusBorder', 'rgb(0, 120, 212)'));
    await view.page.getByRole('button', { name: 'See menu' }).click();
    await view.page.getByRole('log').focus();
    const reached: { name: string; outline: string }[] = [];
    for (let index = 0; index < 8; index += 1) {
      await view.page.keyboard.press('Tab');
      reached.push(
        await view.page.evaluate(() => {
          const active = document.activeElement as HTMLElement;
          const style = getComputedStyle(active);
          return { name: active.getAttribute('aria-label') ?? active.textContent ?? '', outline: `${style.outlineStyle} ${style.outlineColor}` };
        }),
      );
    }
    assert.deepEqual(
      reached.map((item) => item.name),
      ['Alpha', 'See menu', 'Row one', 'Open menu.pdf', 'state menu', 'Show raw JSON', 'Fork from here', 'Message'],
    );
    for (const item of reached) {
      assert.equal(item.outline, 'solid rgb(0, 120, 212)', item.name);
    }
  });
});
