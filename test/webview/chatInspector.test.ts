// The per-turn inspector and meta line: state badge, status, duration, the raw JSON built on first
// open, and the copy buttons (JSON and curl, never a key).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { errorEntry, exchange, posted, text, turn, withChat } from './chatFixtures.js';
import { startWebviewHarness, WEBVIEW_DIST, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

test('each bot turn shows its state as a badge that reveals the state, with status and duration', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')], { currentState: 'choose_size', status: 200, durationMs: 1520 })] }, async (view) => {
    const log = view.page.getByRole('log');
    const badge = log.getByRole('button', { name: 'state choose_size' });
    assert.ok(await badge.isVisible());
    assert.ok(await log.getByText('HTTP 200').isVisible());
    assert.ok(await log.getByText('1.52 s').isVisible());
    await badge.click();
    await view.waitForMessage('revealState');
    assert.deepEqual(posted(view, 'revealState'), [{ type: 'revealState', state: 'choose_size' }]);
  });
});

test('the inspector is collapsed and not built until "Show raw JSON" is pressed', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')]), turn('t2', [text('Again')])] }, async (view) => {
    const toggles = view.page.getByRole('button', { name: 'Show raw JSON' });
    assert.equal(await toggles.count(), 2);
    assert.equal(await view.page.locator('.inspector, .json-tree').count(), 0, 'nothing built before the first open');
    assert.equal(await toggles.first().getAttribute('aria-expanded'), 'false');

    const first = view.page.locator('.inspector-toggle').first();
    await first.click();
    const inspector = view.page.getByRole('region', { name: 'Raw JSON' });
    assert.equal(await inspector.count(), 1, 'only the opened turn has an inspector');
    assert.equal(await first.textContent(), 'Hide raw JSON', 'an open inspector is closed by "Hide raw JSON"');
    assert.equal(await first.getAttribute('aria-expanded'), 'true');
    assert.equal(await first.getAttribute('aria-controls'), await inspector.getAttribute('id'));
    assert.ok(await inspector.getByText('HTTP 200').isVisible());
    assert.ok(await inspector.getByText('412 ms').isVisible());
    assert.ok(await inspector.getByText('https://developers.sarufi.io/api/dev/v1/chatbots/bot-1/chat/sessions/s-1/messages').isVisible());
    // Request and response are pretty-printed trees with syntax classes.
    assert.ok(await inspector.locator('.json-key', { hasText: '"message_type"' }).isVisible());
    assert.ok(await inspector.locator('.json-string', { hasText: '"text"' }).first().isVisible());
    assert.ok(await inspector.locator('.json-number', { hasText: '2' }).first().isVisible());
    assert.ok(await inspector.locator('.json-boolean', { hasText: 'true' }).isVisible());
    assert.ok(await inspector.locator('.json-null', { hasText: 'null' }).first().isVisible());

    await first.click();
    assert.equal(await inspector.isVisible(), false, 'a second press hides it');
    assert.equal(await first.getAttribute('aria-expanded'), 'false');
    assert.equal(await first.textContent(), 'Show raw JSON');
  });
});

test('JSON nodes collapse and expand', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')])] }, async (view) => {
    await view.page.getByRole('button', { name: 'Show raw JSON' }).click();
    const response = view.page.locator('.inspector-section', { hasText: 'Response' });
    const messages = response.locator('details.json-node', { hasText: '"messages"' }).last();
    assert.ok(await messages.getByText('"Hello"').isVisible());
    await messages.locator('> summary').click();
    assert.equal(await messages.getByText('"Hello"').isVisible(), false);
    assert.ok(await messages.getByText('1 item').isVisible(), 'a collapsed node says how much it hides');
  });
});

test('colours come from theme variables only', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')])] }, async (view) => {
    const css = await readFile(join(WEBVIEW_DIST, 'chat.css'), 'utf8');
    assert.ok(await view.page.getByText('Hi', { exact: true }).isVisible(), 'the stylesheet is the one the page uses');
    const colours = css.match(/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/gi) ?? [];
    assert.deepEqual(colours, [], 'no literal colour in chat.css');
    for (const token of ['--vscode-debugTokenExpression-string', '--vscode-debugTokenExpression-number', '--vscode-focusBorder', '--vscode-contrastBorder']) {
      assert.ok(css.includes(token), token);
    }
  });
});

test('"Copy as curl" asks the host for the command of that entry (the page never builds one with a key), and says Copied', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')])] }, async (view) => {
    await view.page.getByRole('button', { name: 'Show raw JSON' }).click();
    const button = view.page.getByRole('button', { name: 'Copy as curl' });
    await button.click();
    const copy = await view.waitForMessage('copyCurl');
    assert.deepEqual(copy, { type: 'copyCurl', entryId: 't1' });
    assert.equal(await button.textContent(), 'Copied', 'the button says the copy happened');
    assert.equal(await button.getAttribute('aria-label'), 'Copy as curl: copied');
    assert.deepEqual(posted(view, 'copy'), [], 'no command text is posted by the page');
  });
});

test('opening the raw JSON of the newest turn shows the top of the block, not its bottom, and the log stops following', async () => {
  const entries = Array.from({ length: 8 }, (_, index) => turn(`t${index}`, [text(`Turn ${index}`)]));
  await withChat(harness, { entries }, async (view) => {
    await view.page.setViewportSize({ width: 600, height: 420 });
    const log = view.page.getByRole('log');
    await view.page.locator('.inspector-toggle').last().click();
    const inspector = view.page.getByRole('region', { name: 'Raw JSON' });
    await inspector.waitFor();
    // Two frames: the log's growth observer would scroll to the end in the frame after the open.
    await view.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const [logBox, blockBox] = await Promise.all([log.boundingBox(), inspector.boundingBox()]);
    assert.ok(logBox && blockBox);
    assert.ok(blockBox.height > logBox.height, `the block (${blockBox.height} px) is taller than the log (${logBox.height} px), so only one end can show`);
    assert.ok(Math.abs(blockBox.y - logBox.y) <= 2, `the block's top (${blockBox.y}) is at the log's top (${logBox.y})`);
  });
});

test('"Copy JSON" posts the request and response as JSON', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')])] }, async (view) => {
    await view.page.getByRole('button', { name: 'Show raw JSON' }).click();
    await view.page.getByRole('button', { name: 'Copy JSON' }).click();
    const copy = await view.waitForMessage('copy');
    const copied = JSON.parse(copy.text) as { request: { body: unknown; method: string }; response: { status: number; body: { current_state: string } } };
    assert.equal(copied.request.method, 'POST');
    assert.deepEqual(copied.request.body, { message: 'hi', message_type: 'text', button_id: null });
    assert.equal(copied.response.status, 200);
    assert.equal(copied.response.body.current_state, 'menu');
  });
});

test('a response that is not JSON shows as text, and a request that got no answer says so', async () => {
  const html = exchange({ status: 502, responseJson: undefined, responseText: '<html><body><script>window.__pwned=1</script>Bad gateway</body></html>' });
  const none = exchange({ status: null, responseJson: undefined, responseText: '', error: 'The request timed out after 30 s.' });
  const entries = [turn('t1', [text('a')], { exchange: html }), errorEntry({ id: 'e1', remedy: 'retry', status: null, exchange: none })];
  await withChat(harness, { entries }, async (view) => {
    const toggles = view.page.locator('.inspector-toggle');
    await toggles.nth(0).click();
    await toggles.nth(1).click();
    const [first, second] = [view.page.getByRole('region', { name: 'Raw JSON' }).nth(0), view.page.getByRole('region', { name: 'Raw JSON' }).nth(1)];
    assert.ok(await first.getByText('<html><body><script>').isVisible());
    assert.ok(await first.getByText('HTTP 502').isVisible());
    assert.ok(await second.getByText('No response').first().isVisible());
    assert.ok(await second.getByText('The request timed out after 30 s.').isVisible());
    assert.equal(await view.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  });
});

test("a sandbox greeting shows the state its trace names, marked as the sandbox's", async () => {
  await withChat(harness, { entries: [turn('t1', [text('Welcome')], { currentState: 'main_menu', stateFrom: 'sandbox-trace', status: 201 })] }, async (view) => {
    const badge = view.page.getByRole('log').getByRole('button', { name: 'state main_menu (sandbox)' });
    assert.ok(await badge.isVisible());
    assert.match((await badge.getAttribute('title')) ?? '', /Sarufi reports no state when a session starts; the local sandbox's trace says the greeting came from here/);
    assert.equal(await view.page.getByText('no state reported').count(), 0);
  });
});

test('a greeting, which Sarufi gives no state, says so instead of showing a badge', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Welcome')], { currentState: null, status: 201 })] }, async (view) => {
    const log = view.page.getByRole('log');
    assert.ok(await log.getByText('no state reported').isVisible());
    assert.equal(await log.getByRole('button', { name: /^state / }).count(), 0);
    assert.ok(await log.getByText('HTTP 201').isVisible());
  });
});
