// The chat page in real Chromium under its real CSP: the first thing every later webview test relies on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

test('the chat page loads under its real CSP without a console error and posts ready', async () => {
  const view = await harness.open({ bundle: 'chat', title: 'Sarufi Chat' });
  try {
    await view.waitForMessage('ready');
    assert.ok(await view.page.locator('#app').count(), 'the page has its #app root');
    assert.deepEqual(view.problems(), []);
    assert.deepEqual(view.blockedRequests, []);
  } finally {
    await view.close();
  }
});
