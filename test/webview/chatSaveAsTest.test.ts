// The header's "Save as test" button: the page asks the host to save the conversation as a test.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { session, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

test('"Save as test" posts saveAsTest, from a click and from the keyboard', async () => {
  await withChat(harness, { session: session({ sessionId: 'S-SAVE' }) }, async (view) => {
    const button = view.page.getByRole('banner').getByRole('button', { name: 'Save as test' });
    assert.ok(await button.isVisible());
    await button.click();
    assert.deepEqual(await view.waitForMessage('saveAsTest'), { type: 'saveAsTest' });
    await button.focus();
    await view.page.keyboard.press('Enter');
    const saves = (): number => view.messages.filter((message) => message.type === 'saveAsTest').length;
    await view.waitFor(() => saves() === 2, 'a second saveAsTest from the keyboard');
    assert.equal(saves(), 2);
  });
});
