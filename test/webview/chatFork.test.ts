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
    assert.ok(await view.page.getByText('Hi').isVisible());
    assert.equal(await view.page.getByRole('button', { name: 'Fork from here' }).count(), 0);
  });
  await withChat(harness, { entries: [turn('t1', [text('Hi')]), turn('t2', [], { user: { text: 'pizza' }, pending: true })] }, async (view) => {
    assert.equal(await view.page.locator('[data-entry-id="t1"]').getByRole('button', { name: 'Fork from here' }).count(), 1);
    assert.equal(await view.page.locator('[data-entry-id="t2"]').getByRole('button', { name: 'Fork from here' }).count(), 0);
  });
});
