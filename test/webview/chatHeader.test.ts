// The session header: what it says about the bot and the session, the live countdown to expiry,
// and the session-level buttons.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { posted, session, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

/** Where the countdown tests start the page's fake clock. */
const CLOCK_START = Date.parse('2026-01-01T12:00:00Z');

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

test("the header names the bot, the environment, the session, the last reply's message count (labelled as the last reply's), creation time and trail", async () => {
  const info = session({ chatbotName: 'Pizza Bot', environment: 'sandbox', sessionId: 'S-123', messagesCount: 7, trail: ['greeting', 'menu', 'checkout'] });
  await withChat(harness, { session: info }, async (view) => {
    const header = view.page.getByRole('banner');
    assert.equal(await header.getByRole('heading', { level: 1 }).textContent(), 'Pizza Bot');
    assert.ok(await header.getByText('sandbox').isVisible());
    assert.ok(await header.getByText('S-123').isVisible());
    assert.equal(await header.locator('.messages-count').textContent(), '7 messages');
    assert.equal(await header.locator('.messages-count').evaluate((element) => element.previousElementSibling?.textContent), 'Last reply');
    assert.equal(await header.locator('.created-at').getAttribute('datetime'), info.createdAt);
    assert.ok(await header.getByText('open', { exact: true }).isVisible());
    const trail = header.getByRole('list', { name: 'States visited' });
    assert.deepEqual(await trail.getByRole('button').allTextContents(), ['greeting', 'menu', 'checkout']);
    await trail.getByRole('button', { name: 'menu' }).click();
    assert.deepEqual(await view.waitForMessage('revealState'), { type: 'revealState', state: 'menu' });
  });
});

test('the time left counts down every second and says "expired" at zero', async () => {
  const info = session({ expiresAt: new Date(CLOCK_START + 90_500).toISOString() });
  await withChat(harness, { session: info, clockAt: CLOCK_START }, async (view) => {
    const timeLeft = view.page.locator('.time-left');
    // 90.5 s left rounds up to the next whole second, as a countdown does.
    assert.equal(await timeLeft.textContent(), '1:31');
    await view.page.clock.runFor(2_000);
    assert.equal(await timeLeft.textContent(), '1:29');
    await view.page.clock.runFor(89_000);
    assert.equal(await timeLeft.textContent(), 'expired');
    // The countdown at zero is reason enough to offer a new session, even before the host says so.
    await view.page.getByRole('button', { name: 'Start new session' }).click();
    await view.waitForMessage('newSession');
  });
});

test('the time left is said once (no "left" after the "Time left" label) and stops on a closed session', async () => {
  await withChat(harness, { session: session({ expiresAt: new Date(CLOCK_START + 29 * 60_000 + 43_000).toISOString() }), clockAt: CLOCK_START }, async (view) => {
    const fact = view.page.locator('.session-fact', { has: view.page.locator('.time-left') });
    assert.equal((await fact.innerText()).replace(/\s+/g, ' ').trim(), 'Time left 29:43');
    await view.post({ type: 'session', session: session({ status: 'closed', expiresAt: new Date(CLOCK_START + 29 * 60_000).toISOString() }) });
    await view.page.clock.runFor(5_000);
    assert.equal(await view.page.locator('.time-left').textContent(), '—');
  });
});

test('"Copy session id" posts the id to copy', async () => {
  await withChat(harness, { session: session({ sessionId: 'S-COPY-ME' }) }, async (view) => {
    await view.page.getByRole('button', { name: 'Copy session id' }).click();
    assert.deepEqual(await view.waitForMessage('copy'), { type: 'copy', text: 'S-COPY-ME', what: 'session id' });
  });
});

test('"Copy session id" works from the keyboard', async () => {
  await withChat(harness, { session: session({ sessionId: 'S-KEYS' }) }, async (view) => {
    await view.page.getByRole('button', { name: 'Copy session id' }).focus();
    await view.page.keyboard.press('Enter');
    assert.equal((await view.waitForMessage('copy')).text, 'S-KEYS');
  });
});

test('"Restart session" and both export formats post their messages', async () => {
  await withChat(harness, {}, async (view) => {
    await view.page.getByRole('button', { name: 'Restart session' }).click();
    const exportButton = view.page.getByRole('button', { name: 'Export transcript' });
    assert.equal(await exportButton.getAttribute('aria-expanded'), 'false');
    await exportButton.click();
    assert.equal(await exportButton.getAttribute('aria-expanded'), 'true');
    await view.page.getByRole('button', { name: 'Export as JSON' }).click();
    assert.equal(await exportButton.getAttribute('aria-expanded'), 'false', 'choosing closes the menu');
    await exportButton.click();
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.getByRole('button', { name: 'Export as Markdown' }).isVisible(), false, 'Escape closes the menu');
    await exportButton.click();
    await view.page.getByRole('button', { name: 'Export as Markdown' }).click();
    await view.waitFor(() => posted(view, 'export').length === 2, 'two exports');
    assert.deepEqual(view.messages.slice(1), [{ type: 'restartSession' }, { type: 'export', format: 'json' }, { type: 'export', format: 'markdown' }]);
  });
});

test('the header says who the author chats as when a persona is set, and shows no such line otherwise', async () => {
  await withChat(harness, { session: session({ persona: { contactName: 'Asha', userId: '255700000001', channel: 'whatsapp' } }) }, async (view) => {
    const persona = view.page.locator('.session-persona');
    assert.equal(await persona.textContent(), 'Asha, 255700000001, whatsapp');
    assert.equal(await persona.evaluate((element) => element.previousElementSibling?.textContent), 'As');
    assert.ok(await persona.isVisible());
    await view.post({ type: 'session', session: session({}) });
    assert.equal(await persona.isVisible(), false, 'the default user needs no line');
  });
});

test('"Start new session" appears only when the session is closed or expired', async () => {
  await withChat(harness, {}, async (view) => {
    const start = view.page.getByRole('button', { name: 'Start new session' });
    assert.equal(await start.count(), 0, 'not offered while the session is open');
    await view.post({ type: 'session', session: session({ status: 'closed', messagesCount: 9 }) });
    assert.ok(await start.isVisible());
    assert.equal(await view.page.locator('.messages-count').textContent(), '9 messages', 'a session message updates the header');
    await start.click();
    await view.waitForMessage('newSession');
    await view.post({ type: 'session', session: session({ status: 'open' }) });
    assert.equal(await start.count(), 0);
  });
});

test('every header control is reachable with Tab and shows a focus ring', async () => {
  await withChat(harness, {}, async (view) => {
    // VS Code's theme defines the focus colour (the harness page has no theme of its own).
    await view.page.evaluate(() => document.documentElement.style.setProperty('--vscode-focusBorder', 'rgb(0, 120, 212)'));
    // Each control as Tab reaches it (so :focus-visible applies), with the outline it shows then.
    const reached = new Map<string, string>();
    for (let index = 0; index < 8; index += 1) {
      await view.page.keyboard.press('Tab');
      const [name, outline] = await view.page.evaluate(() => {
        const active = document.activeElement as HTMLElement | null;
        if (!active) {
          return ['', ''];
        }
        const base = active.shadowRoot?.querySelector('.base') ?? active;
        return [active.getAttribute('aria-label') ?? active.textContent?.trim() ?? '', `${getComputedStyle(base).outlineStyle} ${getComputedStyle(active).outlineStyle}`];
      });
      reached.set(name ?? '', outline ?? '');
    }
    for (const name of ['Restart session', 'Export transcript', 'Copy session id', 'greeting', 'menu']) {
      assert.ok(reached.has(name), `${name} in ${JSON.stringify([...reached.keys()])}`);
      assert.match(reached.get(name) ?? '', /solid/, `${name} shows a visible focus outline`);
    }
  });
});
