// A flow author's path through the UI, against a sandbox on loopback: set the key from the palette,
// pick the chatbot, click through the flow, see current_state and the raw JSON, look at the side
// panel, switch to a light theme, reload the window and find the transcript again.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { EXAMPLES_DIR } from '../../scripts/lib/paths.mjs';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { chatFrame, openWorkbench, runFromPalette, screenshot, setApiKeyFromPalette, useWorkbench } from './workbench.js';

const KEY = 'sk-e2e-9b2c4d6e8f';

let sandbox: RunningSandbox | undefined;

const workbench = useWorkbench(async () => {
  sandbox = await startSandbox({ flowDirs: [EXAMPLES_DIR], apiKey: KEY });
  return { settings: { 'sarufi.environment': 'custom', 'sarufi.customBaseUrl': sandbox.baseUrl } };
});

after(async () => {
  await sandbox?.close();
});

/** The workbench's theme kind, read from the classes VS Code puts on it. */
async function themeOf(page: Page): Promise<'dark' | 'light'> {
  const dark = await page.evaluate(() => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark') ?? false);
  return dark ? 'dark' : 'light';
}

test('set the key, chat through a flow, inspect it, and find it again after a reload', async () => {
  const { server, browser } = workbench();
  const page = await openWorkbench(server, browser);
  try {

    await setApiKeyFromPalette(page, KEY, 'Local sandbox');

    await runFromPalette(page, 'Sarufi: Start Chat');
    await page.locator('.quick-input-widget input[placeholder*="chatbot" i]').waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.type('Pizza Bahari');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Pizza Bahari' }).first().waitFor();
    await page.keyboard.press('Enter');

    let chat = await chatFrame(page, 'Karibu Pizza Bahari');
    await chat.getByRole('button', { name: 'Agiza / Order' }).last().click();
    await chat.getByText('choose_pizza').first().waitFor({ timeout: 15_000 });
    await chat.getByRole('button', { name: 'Show raw JSON' }).last().click();
    await chat.getByText('"button_id"').first().waitFor({ timeout: 10_000 });
    const shown = await chat.evaluate(() => document.body.textContent ?? '');
    assert.ok(!shown.includes(KEY), 'the key never reaches the webview');
    // Closed again for the README's picture: the conversation, not one exchange's JSON, is its subject.
    await chat.getByRole('button', { name: 'Hide raw JSON' }).last().click();

    // The side panel beside the chat.
    await page.locator('.activitybar [aria-label^="Sarufi"]').first().click();
    await page.locator('.pane-header', { hasText: 'Chatbots' }).waitFor({ timeout: 15_000 });
    // Duka Support is listed only by the Chatbots view; the Workspace view names the sandbox's workspace.
    await page.locator('.monaco-list-row', { hasText: 'Duka Support' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.monaco-list-row', { hasText: 'Workspace: Local sandbox' }).first().waitFor({ timeout: 15_000 });
    const first = await themeOf(page);
    await screenshot(page, `chat-${first}.png`);

    await runFromPalette(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.waitForFunction((before) => !document.querySelector('.monaco-workbench')?.classList.contains(before === 'dark' ? 'vs-dark' : 'vs'), first);
    const second = await themeOf(page);
    assert.notEqual(second, first, 'the theme switched');
    await page.waitForTimeout(500);
    await screenshot(page, `chat-${second}.png`);

    await runFromPalette(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    chat = await chatFrame(page, 'Karibu Pizza Bahari', 45_000);
    await chat.getByText('choose_pizza').first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'chat-after-reload.png');
  } catch (error) {
    await screenshot(page, 'chat-flow-failure.png');
    throw error;
  } finally {
    await page.close();
  }
});
