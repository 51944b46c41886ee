// The WhatsApp view: a phone-width column, at most 3 reply buttons (the rest hidden and counted),
// a list behind its button, text cut where WhatsApp cuts it, and each limit a message breaks
// marked beside it with the rule, in the words of src/flow/whatsappLimits.ts. The toggle is kept
// across reloads (ChatViewState.whatsapp).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KnownMessage, ListRow } from '../../src/flow/botMessages.js';
import { WHATSAPP_LIMITS, whatsappWarnings } from '../../src/flow/whatsappLimits.js';
import { initMessage, openChat, posted, text, turn, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness, type WebviewPage } from './harness.js';
import type { Locator } from 'playwright-core';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

const long = (length: number, letter = 'a'): string => letter.repeat(length);
const rows = (count: number, make: (index: number) => Partial<ListRow> = () => ({})): ListRow[] =>
  Array.from({ length: count }, (_, index) => ({ id: `r${index}`, title: `Row ${index}`, ...make(index) }));
const list = (overrides: Partial<Extract<KnownMessage, { type: 'list' }>>): KnownMessage => ({ type: 'list', text: 'Menu', button_text: 'See menu', sections: [{ title: 'Pizzas', rows: rows(2) }], ...overrides });
const buttons = (overrides: Partial<Extract<KnownMessage, { type: 'buttons' }>>): KnownMessage => ({ type: 'buttons', text: 'Pick one', buttons: [{ id: 'a', title: 'Alpha' }], ...overrides });

/** One message per WhatsApp limit, each breaking that limit only. */
const LIMITS: [string, KnownMessage][] = [
  ['a text message too long', { type: 'text', text: long(WHATSAPP_LIMITS.text + 1) }],
  ['an interactive body too long', buttons({ text: long(WHATSAPP_LIMITS.interactiveBody + 1) })],
  ['more than 3 reply buttons', buttons({ buttons: [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `Button ${n}` })) })],
  ['a button title too long', buttons({ buttons: [{ id: 'a', title: long(WHATSAPP_LIMITS.buttonTitle + 1) }] })],
  ['a button id too long', buttons({ buttons: [{ id: long(WHATSAPP_LIMITS.buttonId + 1), title: 'Alpha' }] })],
  ['a list button label too long', list({ button_text: long(WHATSAPP_LIMITS.listButtonText + 1) })],
  // Eleven sections of one row are also eleven rows: the one case that breaks two limits.
  ['too many sections', list({ sections: Array.from({ length: WHATSAPP_LIMITS.sections + 1 }, (_, index) => ({ title: `S${index}`, rows: rows(1) })) })],
  ['too many rows', list({ sections: [{ title: 'Pizzas', rows: rows(WHATSAPP_LIMITS.rowsTotal + 1) }] })],
  ['a section title too long', list({ sections: [{ title: long(WHATSAPP_LIMITS.sectionTitle + 1), rows: rows(1) }] })],
  ['a section without a title among several', list({ sections: [{ title: 'Pizzas', rows: rows(1) }, { rows: rows(1) }] })],
  ['a row title too long', list({ sections: [{ title: 'Pizzas', rows: rows(1, () => ({ title: long(WHATSAPP_LIMITS.rowTitle + 1) })) }] })],
  ['a row description too long', list({ sections: [{ title: 'Pizzas', rows: rows(1, () => ({ description: long(WHATSAPP_LIMITS.rowDescription + 1) })) }] })],
  ['a row id too long', list({ sections: [{ title: 'Pizzas', rows: rows(1, () => ({ id: long(WHATSAPP_LIMITS.rowId + 1) })) }] })],
];

let limitsPage: WebviewPage | undefined;

/**
 * The text of an element as shown, once the page has laid it out: an entry scrolled into view is
 * laid out at a later frame (content-visibility), and innerText before that reads ''. Waits for
 * frames, not for time.
 */
async function shownText(locator: Locator): Promise<string> {
  await locator.scrollIntoViewIfNeeded();
  const shown = await locator.evaluate(async (element) => {
    for (let frame = 0; frame < 120 && (element as HTMLElement).innerText === ''; frame += 1) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return (element as HTMLElement).innerText;
  });
  // An empty read is never an answer: a check that a text lacks something would pass on it.
  if (shown === '') {
    throw new Error(`${String(locator)} still showed no text after 120 frames`);
  }
  return shown;
}

/** One page for the limit tests: a turn per limit, the WhatsApp view on. */
async function whatsappPage(): Promise<WebviewPage> {
  if (!limitsPage) {
    limitsPage = await openChat(harness, { entries: LIMITS.map(([, message], index) => turn(`t${index}`, [message])) });
    await limitsPage.page.getByRole('button', { name: 'WhatsApp view' }).click();
  }
  return limitsPage;
}

for (const [index, [limit, message]] of LIMITS.entries()) {
  test(`the WhatsApp view marks ${limit} beside the message, with the rule it breaks`, async () => {
    const page = (await whatsappPage()).page;
    const rules = whatsappWarnings(message, '').map((warning) => `Breaks a WhatsApp limit: ${warning.message}`);
    assert.ok(rules.length > 0, 'the case breaks a limit');
    const marked = page.locator(`[data-entry-id="t${index}"]`).locator('.wa-warnings');
    assert.equal(await marked.getAttribute('aria-label'), 'WhatsApp limits broken');
    const shown: string[] = [];
    for (const item of await marked.locator('li').all()) {
      shown.push(await shownText(item));
    }
    assert.deepEqual(shown, rules);
  });
}

test('outside the WhatsApp view no limit is marked', async () => {
  await withChat(harness, { entries: [turn('t1', [LIMITS[2]?.[1] ?? text('')])] }, async (view) => {
    assert.ok(await view.page.getByRole('button', { name: 'Button 4' }).isVisible(), 'every button shows');
    assert.equal(await view.page.getByRole('list', { name: 'WhatsApp limits broken' }).count(), 0);
    assert.equal(await view.page.getByText(/more button/).isVisible(), false);
  });
});

test('the WhatsApp view shows 3 reply buttons and says how many it hides', async () => {
  const page = (await whatsappPage()).page;
  const message = page.locator('[data-entry-id="t2"]');
  await message.scrollIntoViewIfNeeded();
  for (const title of ['Button 1', 'Button 2', 'Button 3']) {
    assert.ok(await message.getByRole('button', { name: title }).isVisible(), title);
  }
  assert.equal(await message.getByRole('button', { name: 'Button 4' }).count(), 0, 'the fourth is hidden');
  assert.equal(await shownText(message.locator('.wa-hidden-note')), '1 more button hidden: WhatsApp shows at most 3');
});

test('the WhatsApp view cuts text where WhatsApp cuts it, and a cut button still sends its whole title', async () => {
  const page = await whatsappPage();
  const body = page.page.locator('[data-entry-id="t0"] .message-text');
  assert.equal(await shownText(body), `${long(WHATSAPP_LIMITS.text)}… (cut at ${WHATSAPP_LIMITS.text})`);
  const title = long(WHATSAPP_LIMITS.buttonTitle + 1);
  const cut = page.page.locator('[data-entry-id="t3"]').locator('.reply-button');
  assert.equal(await shownText(cut), `${long(WHATSAPP_LIMITS.buttonTitle)}… (cut at ${WHATSAPP_LIMITS.buttonTitle})`);
  await cut.click();
  await page.waitForMessage('send');
  assert.deepEqual(posted(page, 'send')[0]?.input, { text: title, buttonId: 'a' });
});

test('the WhatsApp view keeps a list behind its button, in a phone-width column', async () => {
  const page = (await whatsappPage()).page;
  const message = page.locator('[data-entry-id="t7"]');
  await message.scrollIntoViewIfNeeded();
  assert.equal(await message.getByRole('button', { name: 'Row 0' }).isVisible(), false, 'rows closed');
  await message.getByRole('button', { name: 'See menu' }).click();
  assert.ok(await message.getByRole('button', { name: 'Row 0' }).isVisible(), 'its button opens the rows');
  const width = await page.locator('.log-block').first().evaluate((block) => block.getBoundingClientRect().width);
  assert.ok(width <= 380, `phone width, not ${width}px`);
});

test('the limit tests\' page stayed healthy', async () => {
  const page = await whatsappPage();
  assert.deepEqual(page.problems(), []);
  await page.close();
});

test('the WhatsApp toggle is pressed, saved in the view state, and still on after a reload', async () => {
  const view = await openChat(harness, { entries: [turn('t1', [text(long(WHATSAPP_LIMITS.text + 5))])] });
  const toggle = view.page.getByRole('button', { name: 'WhatsApp view' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  assert.equal(await shownText(view.page.locator('.message-text')), long(WHATSAPP_LIMITS.text + 5), 'off: the whole text, uncut');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await view.waitFor(() => (view.state as { whatsapp?: boolean } | undefined)?.whatsapp === true, 'the state to say whatsapp');
  const again = await view.reopen();
  try {
    await again.waitForMessage('ready');
    await again.post(initMessage({ entries: [turn('t1', [text(long(WHATSAPP_LIMITS.text + 5))])] }));
    assert.equal(await again.page.getByRole('button', { name: 'WhatsApp view' }).getAttribute('aria-pressed'), 'true');
    assert.ok((await shownText(again.page.locator('.message-text'))).endsWith(`(cut at ${WHATSAPP_LIMITS.text})`));
    await again.page.getByRole('button', { name: 'WhatsApp view' }).click();
    assert.equal(await shownText(again.page.locator('.message-text')), long(WHATSAPP_LIMITS.text + 5), 'off again: the whole text');
    assert.deepEqual(again.problems(), []);
  } finally {
    await again.close();
  }
});

test('Compare… posts compare', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')])] }, async (view) => {
    await view.page.getByRole('button', { name: 'Compare…' }).click();
    await view.waitForMessage('compare');
    assert.deepEqual(posted(view, 'compare'), [{ type: 'compare' }]);
  });
});
