// A person's path through VS Code's UI: open the command palette, run "Sarufi: Start Chat", see the
// chat panel. Runs in code-server's workbench (VS Code 1.100.3) in Debian's Chromium, with the
// extension loaded in development mode from this working tree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { openWorkbench, runFromPalette, screenshot, useWorkbench } from './workbench.js';

const workbench = useWorkbench();

/** The frame, among the webviews' nested iframes, whose document has `selector`. */
async function findFrame(page: Page, selector: string, timeoutMs: number, meanwhile?: () => Promise<void>): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await meanwhile?.();
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) {
        return frame;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no frame with ${selector} after ${timeoutMs} ms (frames: ${page.frames().map((f) => f.url()).join(', ')})`);
    }
    await page.waitForTimeout(200);
  }
}

/** What the workbench shows in dialogs and toasts: where VS Code reports a command that failed. */
async function notifications(page: Page): Promise<string[]> {
  const texts = [
    ...(await page.locator('.monaco-dialog-box .dialog-message-container').allInnerTexts()),
    ...(await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts()),
  ];
  return texts.map((text) => text.replace(/\s+/g, ' ').trim());
}

test('Sarufi: Start Chat from the command palette shows the chat panel, rendered under its CSP', async () => {
  const { server, browser } = workbench();
  const page = await openWorkbench(server, browser, { width: 1280, height: 800 });
  const cspErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      cspErrors.push(message.text());
    }
  });
  // Uncaught errors of the page and of its same-origin frames, the webview among them.
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const context = async (): Promise<string> =>
    `; notifications: ${JSON.stringify(await notifications(page))}; page errors: ${JSON.stringify(pageErrors)}`;
  try {
    await runFromPalette(page, 'Sarufi: Start Chat');
    // In a fresh workspace Start Chat offers the flows of examples/ in the local sandbox: take the first.
    const chatbotPicker = page.locator('.quick-input-widget input[placeholder*="chatbot" i]');
    const chat = await findFrame(page, '#app', 30_000, async () => {
      if (await chatbotPicker.isVisible()) {
        await page.keyboard.press('Enter');
      }
    }).catch(async (error: Error) => {
      throw new Error(`the chat panel did not open: ${error.message.split(' (frames:')[0]}${await context()}`);
    });
    // An #app that stays empty means the page's script never ran, or failed.
    await chat
      .waitForFunction(() => (document.querySelector('#app')?.childNodes.length ?? 0) > 0, undefined, { timeout: 15_000 })
      .catch(async () => {
        throw new Error(`the chat page's #app stayed empty for 15 s: its script did not run${await context()}`);
      });
    assert.deepEqual(cspErrors, []);
  } finally {
    await screenshot(page, 'e2e-start-chat.png');
    await page.close();
  }
});
