// Nothing lost across a reload of code-server's browser tab: a Preview Flow panel comes back (by
// VS Code's serializer, or reopened by the extension when the workbench reloaded before saving it),
// its sandbox chat (whose session died with the old sandbox process) goes on from where it stood,
// and the flow editor's marks follow it again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatFrame, openWorkbench, previewAndOrder, quickOpen, screenshot, useWorkbench } from './workbench.js';

const workbench = useWorkbench();

test('after a reload of the browser tab the preview comes back and its chat goes on from the state it stood in', async () => {
  const { server, browser } = workbench();
  const page = await openWorkbench(server, browser, { width: 1500, height: 880 });
  try {
    await previewAndOrder(page);
    // The transcript is written a moment after each turn.
    await page.waitForTimeout(1_500);

    await page.reload();
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    await page.locator('.tab', { hasText: 'Preview: Pizza Bahari' }).waitFor({ timeout: 45_000 });
    const restored = await chatFrame(page, 'Karibu Pizza Bahari', 45_000);
    await restored.getByText("this chat goes on in a new session from 'choose_pizza'", { exact: false }).first().waitFor({ timeout: 30_000 });
    // A pizza of the list the turn before the reload showed: the resumed session stands in choose_pizza.
    await restored.getByRole('button', { name: 'Menyu / Menu' }).last().click();
    await restored.locator('.list-row').first().click();
    await restored.locator('.state-badge', { hasText: 'choose_size' }).last().waitFor({ timeout: 15_000 });
    // The editor follows the restored preview as before: the status bar counts the states reached.
    await quickOpen(page, 'pizza-order.flow.json');
    const status = page.locator('.statusbar-item', { hasText: 'states visited' }).first();
    await status.waitFor({ timeout: 15_000 });
    assert.match((await status.textContent()) ?? '', /choose_size · \d+\/\d+ states visited/);
    const log = (await restored.locator('[role="log"]').textContent()) ?? '';
    assert.ok(!/closed the chat session|\(404\)/.test(log), `no 404 after the reload: ${log.slice(-400)}`);
    await screenshot(page, 'reload-resumed.png');
  } catch (error) {
    await screenshot(page, 'reload-failure.png');
    throw error;
  } finally {
    await page.close();
  }
});
