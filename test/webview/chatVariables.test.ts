// The Variables view of the selected turn: every variable after the turn, what the turn added,
// changed or removed (a class and a word), long values folded behind "show all", masked values
// shown as masked with the reason.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MASKED_VALUE } from '../../src/flow/turnTrace.js';
import { posted, text, trace, tracedTurn, turn, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

const changes = trace({
  turn: 3,
  to: 'size',
  variables: {
    before: { contact_name: 'Asha', menu: 'drinks', coupon: 'SAVE10' },
    after: { contact_name: 'Asha', menu: 'pizza', size: 'large' },
  },
});

test('Why? selects its turn: the Variables view marks added, changed and removed variables in words and classes', async () => {
  await withChat(harness, { entries: [tracedTurn('t1', [text('Which size?')], changes)] }, async (view) => {
    await view.page.getByRole('button', { name: 'Why?' }).click();
    const variables = view.page.getByRole('region', { name: 'Variables' });
    assert.equal(await variables.getByRole('heading').innerText(), 'Variables after turn 3 (state size)');
    const row = (name: string) => variables.locator(`tr[data-variable="${name}"]`);
    assert.deepEqual(await variables.locator('tbody tr').evaluateAll((rows) => rows.map((item) => item.getAttribute('data-variable'))), ['contact_name', 'menu', 'size', 'coupon']);
    assert.equal(await row('contact_name').locator('.variable-change').innerText(), '');
    assert.ok(await row('contact_name').evaluate((item) => item.classList.contains('var-same')));
    assert.equal(await row('menu').locator('.variable-change').innerText(), 'changed');
    assert.ok(await row('menu').evaluate((item) => item.classList.contains('var-changed')));
    assert.equal(await row('menu').locator('.variable-value').innerText(), '"pizza"\nwas "drinks"');
    assert.equal(await row('size').locator('.variable-change').innerText(), 'added');
    assert.ok(await row('size').evaluate((item) => item.classList.contains('var-added')));
    assert.equal(await row('coupon').locator('.variable-change').innerText(), 'removed');
    assert.ok(await row('coupon').evaluate((item) => item.classList.contains('var-removed')));
    assert.equal(await variables.locator('.variables-note').innerText(), '3 changed in this turn.');
    assert.equal(await view.page.locator('[data-entry-id="t1"]').getAttribute('aria-current'), 'true');
  });
});

test('beside a long log the Variables view keeps 40% of the panel, and only its body scrolls: the title and Close stay in sight', async () => {
  const many = Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`answer_${index}`, `value ${index}`]));
  const traced = trace({ turn: 30, to: 'size', variables: { before: {}, after: many } });
  const entries = [...Array.from({ length: 30 }, (_, index) => turn(`t${index}`, [text(`Turn ${index}`)])), tracedTurn('t30', [text('Which size?')], traced)];
  await withChat(harness, { entries }, async (view) => {
    await view.page.setViewportSize({ width: 700, height: 600 });
    await view.page.getByRole('button', { name: 'Why?' }).click();
    const variables = view.page.getByRole('region', { name: 'Variables' });
    await variables.locator('tbody tr').first().waitFor();
    const box = await variables.boundingBox();
    assert.ok(box && box.height >= 0.39 * 600, `the view is ${box?.height} px tall of 600`);
    await variables.locator('.variables-body').evaluate((body) => {
      body.scrollTop = body.scrollHeight;
    });
    await variables.locator('tr[data-variable="answer_39"]').waitFor();
    const close = variables.getByRole('button', { name: 'Close variables' });
    const [closeBox, after] = await Promise.all([close.boundingBox(), variables.boundingBox()]);
    assert.ok(closeBox && after && closeBox.y >= after.y && closeBox.y + closeBox.height <= after.y + after.height, 'Close is inside the view after scrolling its body');
    assert.ok(await close.isVisible());
    await close.click();
    assert.equal(await variables.count(), 0);
  });
});

test('clicking a traced turn selects it, clicking another moves the selection, and Close hides the view', async () => {
  const first = trace({ turn: 1, to: 'menu', variables: { before: {}, after: { contact_name: 'Asha' } } });
  const second = trace({ turn: 2, to: 'size', variables: { before: { contact_name: 'Asha' }, after: { contact_name: 'Asha', menu: 'pizza' } } });
  await withChat(harness, { entries: [tracedTurn('t1', [text('Welcome')], first), tracedTurn('t2', [text('Which size?')], second, { user: { text: 'pizza' } })] }, async (view) => {
    const variables = view.page.getByRole('region', { name: 'Variables' });
    assert.equal(await variables.count(), 0, 'hidden until a turn is selected');
    await view.page.getByText('Welcome').click();
    assert.equal(await variables.getByRole('heading').innerText(), 'Variables after turn 1 (state menu)');
    await view.page.getByText('Which size?').click();
    assert.equal(await variables.getByRole('heading').innerText(), 'Variables after turn 2 (state size)');
    assert.equal(await view.page.locator('[data-entry-id="t1"]').getAttribute('aria-current'), null);
    assert.equal(await view.page.locator('[data-entry-id="t2"]').getAttribute('aria-current'), 'true');
    // The Why? of a selected turn reuses the trace the selection asked for.
    await view.page.locator('[data-entry-id="t2"]').getByRole('button', { name: 'Why?' }).click();
    assert.deepEqual(posted(view, 'trace').map(({ entryId }) => entryId), ['t1', 't2']);
    await variables.getByRole('button', { name: 'Close variables' }).click();
    assert.equal(await variables.count(), 0);
    assert.equal(await view.page.locator('[data-entry-id="t2"]').getAttribute('aria-current'), null);
  });
});

test('a click on an untraced turn (Sarufi) opens no Variables view and asks for nothing', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hello from Sarufi')])] }, async (view) => {
    await view.page.getByText('Hello from Sarufi').click();
    assert.equal(await view.page.getByRole('region', { name: 'Variables' }).count(), 0);
    assert.deepEqual(posted(view, 'trace'), []);
  });
});

test('a long value and a deep object fold behind "show all"; a short one does not', async () => {
  const long = 'x'.repeat(250);
  const deep = { order: { items: [{ name: 'pizza' }] } };
  const folding = trace({ variables: { before: {}, after: { note: long, order: deep, size: 'large' } } });
  await withChat(harness, { entries: [tracedTurn('t1', [text('Hi')], folding)] }, async (view) => {
    await view.page.getByRole('button', { name: 'Why?' }).click();
    const variables = view.page.getByRole('region', { name: 'Variables' });
    const note = variables.locator('tr[data-variable="note"]');
    const preview = await note.locator('.variable-preview').innerText();
    assert.equal(preview, `"${'x'.repeat(199)}…`, 'the first 200 characters, marked as cut');
    assert.equal(await note.locator('.variable-full').isVisible(), false);
    const showAll = note.getByRole('button', { name: 'show all' });
    assert.equal(await showAll.getAttribute('aria-expanded'), 'false');
    await showAll.click();
    assert.equal(await note.locator('.variable-full').innerText(), JSON.stringify(long));
    assert.equal(await note.locator('.variable-preview').isVisible(), false);
    assert.equal(await note.getByRole('button', { name: 'show less' }).getAttribute('aria-expanded'), 'true');

    const order = variables.locator('tr[data-variable="order"]');
    assert.equal(await order.getByRole('button', { name: 'show all' }).count(), 1, 'three levels deep folds, short as it is');
    await order.getByRole('button', { name: 'show all' }).click();
    assert.equal(await order.locator('.variable-full').innerText(), JSON.stringify(deep, null, 2));
    assert.equal(await variables.locator('tr[data-variable="size"]').getByRole('button').count(), 0);
  });
});

test('a masked value shows as masked, with the reason, and so does an object holding one', async () => {
  const masked = trace({
    variables: { before: {}, after: { api_token: MASKED_VALUE, login: { user: 'asha', password: MASKED_VALUE } } },
    masked: ['api_token', 'login.password'],
  });
  await withChat(harness, { entries: [tracedTurn('t1', [text('Hi')], masked)] }, async (view) => {
    await view.page.getByRole('button', { name: 'Why?' }).click();
    const variables = view.page.getByRole('region', { name: 'Variables' });
    const token = variables.locator('tr[data-variable="api_token"] .variable-value');
    assert.equal(await token.innerText(), `${MASKED_VALUE} masked: its name looks like a secret`);
    const login = variables.locator('tr[data-variable="login"] .variable-value');
    assert.ok((await login.innerText()).endsWith('some values masked: their names look like a secret'));
    assert.ok((await login.innerText()).startsWith(`{ "user": "asha", "password": "${MASKED_VALUE}" }`), 'the other fields show as they are');
  });
});

test('a traced turn whose trace is gone says the trace is a sandbox feature in the Variables view', async () => {
  await withChat(harness, { entries: [tracedTurn('t1', [text('Hi')], null)] }, async (view) => {
    await view.page.getByText('Hi', { exact: true }).click();
    const variables = view.page.getByRole('region', { name: 'Variables' });
    assert.equal(await variables.locator('.variables-note').innerText(), "The trace is a sandbox feature: Sarufi doesn't say why.");
  });
});

test('from the keyboard: Tab reaches Why? and Fork from here, Enter on Why? opens it and the Variables view', async () => {
  await withChat(harness, { entries: [tracedTurn('t1', [text('Which size?')], changes)] }, async (view) => {
    await view.page.getByRole('log').focus();
    const reached: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      await view.page.keyboard.press('Tab');
      reached.push(await view.page.evaluate(() => document.activeElement?.textContent ?? ''));
    }
    assert.deepEqual(reached, ['state menu', 'Show raw JSON', 'Why?', 'Fork from here']);
    await view.page.keyboard.press('Shift+Tab');
    await view.page.keyboard.press('Enter');
    assert.ok(await view.page.getByRole('region', { name: 'Why' }).isVisible());
    assert.equal(await view.page.getByRole('region', { name: 'Variables' }).getByRole('heading').innerText(), 'Variables after turn 3 (state size)');
  });
});
