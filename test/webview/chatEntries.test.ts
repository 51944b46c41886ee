// Errors and dividers in the conversation, and a transcript reopened read-only from history.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { divider, errorEntry, exchange, posted, text, turn, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

test('an error shows in place, in plain words, and each remedy button posts its message', async () => {
  const entries = [
    turn('t1', [text('Hi')]),
    errorEntry({ id: 'e-gone', message: 'This session has ended.', remedy: 'new-session' }),
    errorEntry({ id: 'e-key', message: 'The API key was refused.', status: 401, remedy: 'set-key' }),
    errorEntry({ id: 'e-retry', message: 'Sarufi could not process the message.', status: 500, remedy: 'retry', input: { text: 'hi' } }),
    errorEntry({ id: 'e-none', message: 'Something odd happened.', status: null, remedy: 'none' }),
  ];
  await withChat(harness, { entries }, async (view) => {
    const log = view.page.getByRole('log');
    const errors = log.getByRole('group', { name: 'Error' });
    assert.equal(await errors.count(), 4);
    assert.ok(await errors.nth(0).getByText('This session has ended.').isVisible());
    assert.ok(await errors.nth(0).getByText('HTTP 410').isVisible());

    await errors.nth(0).getByRole('button', { name: 'Start new session' }).click();
    await errors.nth(1).getByRole('button', { name: 'Set API Key' }).click();
    await errors.nth(2).getByRole('button', { name: 'Retry' }).click();
    assert.equal(await errors.nth(3).getByRole('button').count(), 0, "'none' offers no button (and no inspector without an exchange)");
    await view.waitFor(() => view.messages.length >= 4, 'three remedy messages');
    assert.deepEqual(view.messages.slice(1), [{ type: 'newSession' }, { type: 'setApiKey' }, { type: 'retry', entryId: 'e-retry' }]);
  });
});

test('an error with an exchange has its own inspector', async () => {
  const failed = exchange({ status: 410, responseJson: { detail: 'Session closed' }, responseText: '{"detail":"Session closed"}' });
  await withChat(harness, { entries: [errorEntry({ exchange: failed })] }, async (view) => {
    const error = view.page.getByRole('group', { name: 'Error' });
    await error.getByRole('button', { name: 'Show raw JSON' }).click();
    const inspector = view.page.getByRole('region', { name: 'Raw JSON' });
    assert.ok(await inspector.getByText('"Session closed"').isVisible());
    assert.ok(await inspector.getByText('HTTP 410').isVisible());
  });
});

test('a divider is a labelled separator with the old transcript above it', async () => {
  const entries = [turn('t1', [text('Old session')]), divider('New session started'), turn('t2', [text('New session')])];
  await withChat(harness, { entries }, async (view) => {
    const separator = view.page.getByRole('separator', { name: /New session started/ });
    assert.ok(await separator.isVisible());
    const order = await view.page.getByRole('log').evaluate((log) => Array.from(log.querySelectorAll('.entry')).map((child) => child.textContent ?? ''));
    assert.ok(order[0]?.includes('Old session'));
    assert.ok(order[1]?.includes('New session started'));
    assert.ok(order[2]?.includes('New session'));
  });
});

test('an entry of an unknown kind shows as raw JSON and is reported to the host', async () => {
  const strange = { kind: 'poll', id: 'x1', question: 'Pizza?' } as unknown as ReturnType<typeof divider>;
  await withChat(harness, { entries: [strange, turn('t1', [text('After')])] }, async (view) => {
    const block = view.page.getByRole('group', { name: 'This entry could not be shown' });
    assert.ok(await block.getByText('"question": "Pizza?"').isVisible());
    assert.ok(await view.page.getByText('After').isVisible());
    const log = await view.waitForMessage('log');
    assert.equal(log.level, 'warn');
    assert.match(log.text, /unknown entry kind 'poll'/);
  });
});

test('a transcript reopened read-only has no input and nothing that sends', async () => {
  const entries = [
    turn('t1', [
      { type: 'buttons', text: 'Pick', buttons: [{ id: 'a', title: 'Alpha' }] },
      { type: 'list', text: 'Menu', button_text: 'See menu', sections: [{ title: 'All', rows: [{ id: 'r', title: 'Row one' }] }] },
    ]),
    errorEntry({ remedy: 'retry' }),
  ];
  await withChat(harness, { entries, readOnly: true }, async (view) => {
    assert.equal(await view.page.getByRole('textbox', { name: 'Message' }).count(), 0);
    assert.equal(await view.page.getByRole('button', { name: 'Send' }).count(), 0);
    assert.ok(await view.page.getByRole('button', { name: 'Alpha' }).isDisabled());
    assert.ok(await view.page.getByRole('button', { name: 'Retry' }).isDisabled());
    assert.equal(await view.page.getByRole('button', { name: 'Restart session' }).count(), 0);
    // Looking is still allowed: the list opens (its rows cannot send), the inspector opens, export works.
    await view.page.getByRole('button', { name: 'See menu' }).click();
    assert.ok(await view.page.getByRole('button', { name: 'Row one' }).isDisabled());
    await view.page.getByRole('button', { name: 'Show raw JSON' }).click();
    assert.ok(await view.page.getByRole('region', { name: 'Raw JSON' }).isVisible());
    await view.page.getByRole('button', { name: 'Alpha' }).click({ force: true });
    await view.page.getByRole('button', { name: 'Export transcript' }).click();
    await view.page.getByRole('button', { name: 'Export as Markdown' }).click();
    await view.waitForMessage('export');
    assert.deepEqual(posted(view, 'send'), []);
    assert.ok(await view.page.getByText('(read-only)').isVisible());
  });
});
