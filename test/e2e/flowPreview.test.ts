// A flow author's path through the UI: open a flow file, press the editor's Preview Flow button,
// chat beside the file, click the current_state badge to find the state in the file, and take the
// README's screenshot of the preview beside its flow file.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { startCodeServer, type CodeServer } from '../../scripts/lib/codeServer.mjs';
import { ROOT, TEST_RESULTS_DIR } from '../../scripts/lib/paths.mjs';

let server: CodeServer | undefined;
let browser: Browser | undefined;

before(async () => {
  // No key and no environment: Preview Flow always runs the file in the embedded sandbox.
  server = await startCodeServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(TEST_RESULTS_DIR, { recursive: true });
  const path = join(TEST_RESULTS_DIR, name);
  await page.screenshot({ path });
  return path;
}

async function chatFrame(page: Page, text: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const found = await frame
        .evaluate((wanted) => document.querySelector('[role="log"]')?.textContent?.includes(wanted) ?? false, text)
        .catch(() => false);
      if (found) {
        return frame;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no chat panel showing "${text}" after ${timeoutMs} ms`);
    }
    await page.waitForTimeout(200);
  }
}

/** Opens a workspace file by name through Quick Open, as a person would. */
async function quickOpen(page: Page, name: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input[type="text"]').waitFor({ state: 'visible' });
    await page.keyboard.type(name);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt > 10) {
        throw error;
      }
    }
  }
  await page.keyboard.press('Enter');
}

test('preview a flow beside its file: chat, see the current state marked, click a badge to find it', async () => {
  assert.ok(server && browser);
  const page = await browser.newPage({ viewport: { width: 1500, height: 880 } });
  try {
    await page.goto(server.workbenchUrl({ extensionDevelopmentPath: ROOT }));
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });

    await quickOpen(page, 'pizza-order.flow.json');
    await page.locator('.tab.active', { hasText: 'pizza-order.flow.json' }).waitFor({ timeout: 20_000 });
    // The editor title button that only flow files get.
    const previewButton = page.locator('.editor-actions [aria-label^="Preview Flow"]').first();
    await previewButton.waitFor({ state: 'visible', timeout: 30_000 });
    await previewButton.click();

    const chat = await chatFrame(page, 'Karibu Pizza Bahari', 45_000);
    await chat.getByRole('button', { name: 'Agiza / Order' }).last().click();
    await chat.locator('.state-badge', { hasText: 'choose_pizza' }).last().waitFor({ timeout: 15_000 });

    // The editor follows the conversation: the status bar says where the preview stands.
    const status = page.locator('.statusbar-item', { hasText: 'states visited' }).first();
    await status.waitFor({ timeout: 15_000 });
    assert.match((await status.textContent()) ?? '', /choose_pizza · 3\/\d+ states visited/);

    // A click on the badge puts the cursor on the state's definition in the flow file.
    await chat.locator('.state-badge', { hasText: 'choose_pizza' }).last().click();
    const cursor = page.locator('.statusbar-item[id*="status.editor.selection"]').first();
    await page.waitForFunction(
      () => /Ln \d+, Col \d+ \(\d+ selected\)/.test(document.querySelector('[id*="status.editor.selection"]')?.textContent ?? ''),
      undefined,
      { timeout: 15_000 },
    );
    const position = (await cursor.textContent()) ?? '';
    const line = Number(/Ln (\d+)/.exec(position)?.[1]);
    const fileLine = readFileSync(join(ROOT, 'examples', 'pizza-order.flow.json'), 'utf8')
      .split('\n')
      .findIndex((text) => /^\s*"choose_pizza": \{/.test(text));
    assert.equal(line, fileLine + 1, `the cursor is on the choose_pizza state (status bar: ${position})`);
    await page.waitForTimeout(600);
    const path = await shot(page, 'flow-preview.png');
    mkdirSync(join(ROOT, 'media', 'screenshots'), { recursive: true });
    copyFileSync(path, join(ROOT, 'media', 'screenshots', 'flow-preview.png'));
  } catch (error) {
    await shot(page, 'flow-preview-failure.png');
    throw error;
  } finally {
    await page.close();
  }
});
