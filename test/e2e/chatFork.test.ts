// A flow author's "what if" through the UI, in the local sandbox: chat three turns into the pizza
// flow, press Fork from here on the third bot turn (the size buttons), and in the new panel take
// the other size. The fork starts from the sandbox's snapshot of that turn, so the order it builds
// has the pizza picked before the fork and the size picked after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatFrame, openWorkbench, runFromPalette, screenshot, useWorkbench } from './workbench.js';

// The extension's own sandbox, over the examples folder the workbench opens.
const workbench = useWorkbench({ settings: { 'sarufi.environment': 'sandbox' } });

test('an author forks from the third turn and takes the other button', async () => {
  const { server, browser } = workbench();
  const page = await openWorkbench(server, browser);
  try {
    await runFromPalette(page, 'Sarufi: Start Chat');
    await page.locator('.quick-input-widget input[placeholder*="chatbot" i]').waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.type('Pizza Bahari');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Pizza Bahari' }).first().waitFor();
    await page.keyboard.press('Enter');

    const original = await chatFrame(page, 'Karibu Pizza Bahari', 45_000);
    await original.getByRole('button', { name: 'Agiza / Order' }).last().click();
    await original.getByRole('button', { name: 'Menyu / Menu' }).last().click();
    await original.getByRole('button', { name: /^Margherita/ }).last().click();
    await original.getByRole('button', { name: 'Wastani / Medium' }).last().click();
    await original.getByText('Ngapi? How many?').first().waitFor({ timeout: 15_000 });

    // Bot turns: the greeting, the menu, the size buttons (the third), the quantity question.
    await original.getByRole('button', { name: 'Fork from here' }).nth(2).click();

    const fork = await chatFrame(page, "Forked from turn 2 (state 'choose_size')", 30_000);
    // The copied size turn and the fork's own first turn both stand in choose_size once the session is open.
    await fork.waitForFunction(() => Array.from(document.querySelectorAll('.state-badge')).filter((badge) => badge.textContent?.includes('choose_size')).length >= 2, undefined, { timeout: 20_000 });
    const before = await fork.evaluate(() => document.querySelector('[role="log"]')?.textContent ?? '');
    assert.ok(!before.includes('Ngapi? How many?'), 'the fork holds the chat up to the forked turn only');

    await fork.getByRole('button', { name: 'Kubwa / Large' }).last().click();
    await fork.getByText('Ngapi? How many?').first().waitFor({ timeout: 15_000 });
    const box = fork.locator('textarea[aria-label="Message"]');
    await box.fill('2');
    await box.press('Enter');
    await fork.getByText('Where should we deliver?').first().waitFor({ timeout: 15_000 });
    await box.fill('Sinza');
    await box.press('Enter');
    await fork.getByText('Your order:').last().waitFor({ timeout: 15_000 });
    const summary = await fork.evaluate(() => Array.from(document.querySelectorAll('[role="log"] *')).map((node) => node.textContent ?? '').filter((text) => text.includes('Your order:')).at(-1) ?? '');
    assert.match(summary, /2 × Margherita/, 'the pizza chosen before the fork came with the snapshot');
    assert.match(summary, /large/i, 'the other button was taken');
    assert.doesNotMatch(summary, /medium/i);
    await screenshot(page, 'chat-fork.png');
  } catch (error) {
    await screenshot(page, 'chat-fork-failure.png');
    throw error;
  } finally {
    await page.close();
  }
});
