// A flow author's path through the UI: open a flow file, press the editor's Preview Flow button,
// chat beside the file, click the current_state badge to find the state in the file, and take the
// README's screenshot of the preview beside its flow file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/lib/paths.mjs';
import { openWorkbench, previewAndOrder, screenshot, useWorkbench } from './workbench.js';

// No key and no environment: Preview Flow always runs the file in the embedded sandbox.
const workbench = useWorkbench();

test('preview a flow beside its file: chat, see the current state marked, click a badge to find it', async () => {
  const { server, browser } = workbench();
  const page = await openWorkbench(server, browser, { width: 1500, height: 880 });
  try {
    // Preview Flow is the editor title button that only flow files get.
    const chat = await previewAndOrder(page);

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
    // The README's picture (media/screenshots/flow-preview.png) is copied from this one.
    await screenshot(page, 'flow-preview.png');
  } catch (error) {
    await screenshot(page, 'flow-preview-failure.png');
    throw error;
  } finally {
    await page.close();
  }
});
