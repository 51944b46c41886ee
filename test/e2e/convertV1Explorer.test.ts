// An author with an existing Sarufi bot (the dashboard's export, names with spaces) converts it from
// the Explorer: the folder's context menu offers Convert v1 Flow (a folder without a bot does not),
// and the dev/v1 flow is written beside the export and opened.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/paths.mjs';
import { openWorkbench, screenshot, useWorkbench } from './workbench.js';

const workspace = mkdtempSync(join(tmpdir(), 'sarufi-convert-e2e-'));
cpSync(join(ROOT, 'test', 'fixtures', 'v1', 'shule-export'), join(workspace, 'shule-export'), { recursive: true });
mkdirSync(join(workspace, 'notes'));
writeFileSync(join(workspace, 'notes', 'todo.txt'), 'not a bot\n');
after(() => rmSync(workspace, { recursive: true, force: true }));

const workbench = useWorkbench({ folder: workspace });
const MENU_ITEM = '.monaco-menu .action-item:not(.disabled) .action-label';

/** The labels of the Explorer context menu of the row named `name`. */
async function contextMenuOf(page: Page, name: string): Promise<string[]> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click({ button: 'right' });
  await page.locator('.monaco-menu').first().waitFor({ timeout: 10_000 });
  const labels = await page.locator(MENU_ITEM).allTextContents();
  await page.keyboard.press('Escape');
  return labels.map((label) => label.trim());
}

test("a bot's folder offers Convert v1 Flow in the Explorer, a folder without one does not, and the export converts beside itself", async () => {
  const { server, browser } = workbench();
  const page = await openWorkbench(server, browser);
  // The extension activates on the export's flow file and then marks the folders that hold a bot.
  const deadline = Date.now() + 45_000;
  while (!(await contextMenuOf(page, 'shule-export')).includes('Convert v1 Flow')) {
    assert.ok(Date.now() < deadline, 'Convert v1 Flow never showed in the menu of the folder that holds a bot');
    await page.waitForTimeout(500);
  }
  assert.ok(!(await contextMenuOf(page, 'notes')).includes('Convert v1 Flow'), 'a folder without a bot is not offered the conversion');

  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'shule-export' }).first().click({ button: 'right' });
  await page.locator(MENU_ITEM, { hasText: 'Convert v1 Flow' }).first().click();
  await page.locator('.notifications-toasts', { hasText: 'Wrote shule-bot.flow.json, a dev/v1 flow.' }).waitFor({ timeout: 30_000 });
  await page.locator('.tab.active', { hasText: 'shule-bot.flow.json' }).waitFor({ timeout: 15_000 });
  await screenshot(page, 'convert-v1-explorer.png');
  const written = join(workspace, 'shule-export', 'shule-bot.flow.json');
  assert.ok(existsSync(written));
  assert.equal((JSON.parse(readFileSync(written, 'utf8')) as { name: string }).name, 'Shule Bot');
});
