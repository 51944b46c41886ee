// "Fork from here" on each bot turn: it names the turn to the host, and is not offered where a fork
// cannot start (a read-only transcript, a turn still waiting for its reply).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { posted, text, turn, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

test('"Fork from here" on a turn posts fork with that turn\'s entry id', async () => {
  const entries = [turn('t1', [text('Hi')]), turn('t2', [text('Pick a size')], { user: { text: 'pizza' } }), turn('t3', [text('Done')], { user: { text: 'large' } })];
  await withChat(harness, { entries }, async (view) => {
    const forks = view.page.getByRole('button', { name: 'Fork from here' });
    assert.equal(await forks.count(), 3, 'one per bot turn');
    await view.page.locator('[data-entry-id="t2"]').getByRole('button', { name: 'Fork from here' }).click();
    await view.waitForMessage('fork');
    assert.deepEqual(posted(view, 'fork'), [{ type: 'fork', entryId: 't2' }]);
  });
});

test('a read-only transcript and a turn waiting for its reply offer no fork', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')])], readOnly: true }, async (view) => {
    assert.ok(await view.page.getByText('Hi', { exact: true }).isVisible());
    assert.equal(await view.page.getByRole('button', { name: 'Fork from here' }).count(), 0);
  });
  await withChat(harness, { entries: [turn('t1', [text('Hi')]), turn('t2', [], { user: { text: 'pizza' }, pending: true })] }, async (view) => {
    assert.equal(await view.page.locator('[data-entry-id="t1"]').getByRole('button', { name: 'Fork from here' }).count(), 1);
    assert.equal(await view.page.locator('[data-entry-id="t2"]').getByRole('button', { name: 'Fork from here' }).count(), 0);
  });
});

test('a replay in init shows its progress; replay messages move it; Cancel posts cancelReplay; null hides it', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')])], replay: { done: 3, total: 7 } }, async (view) => {
    const status = view.page.locator('.replay-bar');
    assert.equal(await status.getAttribute('role'), 'status');
    assert.equal(await status.locator('.replay-text').innerText(), 'Replaying your inputs in a new session: 3 of 7');
    await view.post({ type: 'replay', progress: { done: 4, total: 7 } });
    assert.equal(await status.locator('.replay-text').innerText(), 'Replaying your inputs in a new session: 4 of 7');
    assert.equal(await status.locator('progress').evaluate((bar) => [(bar as HTMLProgressElement).value, (bar as HTMLProgressElement).max].join('/')), '4/7');
    await view.page.getByRole('button', { name: 'Cancel the replay' }).click();
    await view.waitForMessage('cancelReplay');
    assert.deepEqual(posted(view, 'cancelReplay'), [{ type: 'cancelReplay' }]);
    await view.post({ type: 'replay', progress: null });
    assert.equal(await status.isVisible(), false);
  });
});

test('without a replay there is no replay bar', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')])] }, async (view) => {
    assert.ok(await view.page.getByText('Hi', { exact: true }).isVisible());
    assert.equal(await view.page.locator('.replay-bar').isVisible(), false);
  });
});
