// A flow author renames a state as VS Code users do: F2 on the state's key in code-server, type the
// new name, Enter. The key, every transition to it, the condition and the template that read its
// answer, and both conversation tests that expect it change in one edit, saved as
// files.refactoring.autoSave says; and the conversation tests still pass.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/paths.mjs';
import { parseTestFile } from '../../src/conversationTests/format.js';
import { runConversationTests } from '../../src/conversationTests/runner.js';
import { openWorkbench, quickOpen, screenshot, useWorkbench } from './workbench.js';

const FILES = ['pizza-order.flow.json', 'pizza-order.sarufi-test.yaml', 'pizza-order-wrong-input.sarufi-test.yaml'];
const folder = mkdtempSync(join(tmpdir(), 'sarufi-rename-'));
for (const file of FILES) {
  copyFileSync(join(ROOT, 'examples', file), join(folder, file));
}
after(() => rmSync(folder, { recursive: true, force: true }));

const workbench = useWorkbench({ folder });

const original = (file: string): string => readFileSync(join(ROOT, 'examples', file), 'utf8');
const now = (file: string): string => readFileSync(join(folder, file), 'utf8');

/** Puts the cursor at a 1-based line and column with Go to Line (Ctrl+G), as a person would. */
async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+g');
  await page.locator('.quick-input-widget input[type="text"]').waitFor({ state: 'visible' });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.statusbar-item[id*="status.editor.selection"]', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: 10_000 });
}

/**
 * Presses F2 until the rename box opens with the cursor in it: the extension registers its
 * providers a moment after the file shows (before that VS Code answers that nothing here can be
 * renamed), and while the workbench is still settling the box can show without the focus.
 */
async function openRenameBox(page: Page): Promise<void> {
  const box = page.locator('.rename-box input');
  const deadline = Date.now() + 45_000;
  for (;;) {
    await page.keyboard.press('F2');
    try {
      await box.waitFor({ state: 'visible', timeout: 3_000 });
      await page.waitForFunction(() => document.activeElement?.closest('.rename-box') != null, undefined, { timeout: 2_000 });
      return;
    } catch {
      if (Date.now() > deadline) {
        throw new Error('F2 on the state key opened no focused rename box within 45 s');
      }
      await page.keyboard.press('Escape');
    }
  }
}

test('F2 on a state key renames it in the flow, its template and condition, and the conversation tests, which still pass', async () => {
  const { server, browser } = workbench();
  const page = await openWorkbench(server, browser, { width: 1400, height: 860 });
  try {
    await quickOpen(page, 'pizza-order.flow.json');
    await page.locator('.tab.active', { hasText: 'pizza-order.flow.json' }).waitFor({ timeout: 20_000 });
    // The extension's "Chat from here" lenses say it is active on this file.
    await page.locator('.codelens-decoration', { hasText: 'Chat from here' }).first().waitFor({ timeout: 45_000 });
    const keyLine = original('pizza-order.flow.json').split('\n').findIndex((line) => line.startsWith('    "ask_quantity": {')) + 1;
    assert.ok(keyLine > 0, 'the example flow has the ask_quantity state');
    // Inside the quotes of the key, on its first letter.
    await goTo(page, keyLine, 6);

    await openRenameBox(page);
    // The box holds the name, selected: typing replaces it.
    assert.equal(await page.locator('.rename-box input').inputValue(), 'ask_quantity');
    await page.keyboard.type('how_many');
    await screenshot(page, 'flow-rename-box.png');
    await page.keyboard.press('Enter');

    // files.refactoring.autoSave (on by default) saves every file the rename changed.
    const deadline = Date.now() + 20_000;
    while (FILES.some((file) => now(file).includes('ask_quantity'))) {
      if (Date.now() > deadline) {
        throw new Error(`the rename was not saved to ${FILES.filter((file) => now(file).includes('ask_quantity')).join(', ')} within 20 s`);
      }
      await page.waitForTimeout(200);
    }
    for (const file of FILES) {
      assert.equal(now(file), original(file).replaceAll('ask_quantity', 'how_many'), `${file} changed exactly where it named the state`);
    }
    const flow = now('pizza-order.flow.json');
    assert.match(flow, /"if": "\{\{variables\.how_many\}\} >= 5"/);
    assert.match(flow, /\{\{variables\.how_many\}\} × \{\{variables\.choose_pizza\}\}/);
    assert.match(now('pizza-order.sarufi-test.yaml'), /state: how_many/);
    await screenshot(page, 'flow-rename.png');

    const tests = ['pizza-order.sarufi-test.yaml', 'pizza-order-wrong-input.sarufi-test.yaml'].map((file) => parseTestFile(now(file), join(folder, file)));
    const result = await runConversationTests(tests);
    assert.equal(result.failed, 0, JSON.stringify(result, null, 1).slice(0, 2000));
    assert.equal(result.passed, 2);
  } catch (error) {
    await screenshot(page, 'flow-rename-failure.png');
    throw error;
  } finally {
    await page.close();
  }
});
