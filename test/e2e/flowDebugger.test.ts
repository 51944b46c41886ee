// A flow author debugs a flow as code, through the UI: click the gutter of a state in the flow file,
// press F5, chat in the panel that opens beside it; the editor stops on that state's line and the
// Variables view shows the answer just given. Takes the README's screenshot of the debugger.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/lib/paths.mjs';
import { chatFrame, openWorkbench, quickOpen, screenshot, useWorkbench } from './workbench.js';

const workbench = useWorkbench();

const STATE = 'choose_pizza';

test("click a state's gutter, press F5, chat: the editor stops on that state's line and Variables shows the answer just given", async () => {
  const { server, browser } = workbench();
  const page = await openWorkbench(server, browser, { width: 1500, height: 900 });
  try {
    const line = readFileSync(join(ROOT, 'examples', 'pizza-order.flow.json'), 'utf8')
      .split('\n')
      .findIndex((text) => text.includes(`"${STATE}": {`)) + 1;
    assert.ok(line > 0, `the example flow has the state ${STATE}`);

    await quickOpen(page, 'pizza-order.flow.json');
    await page.locator('.tab.active', { hasText: 'pizza-order.flow.json' }).waitFor({ timeout: 20_000 });
    // Bring the state's line into view (Go to Line), then click the gutter left of its number.
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(line));
    await page.keyboard.press('Enter');
    const lineNumber = page.locator('.monaco-editor .line-numbers', { hasText: new RegExp(`^${line}$`) }).first();
    await lineNumber.waitFor({ timeout: 10_000 });
    const box = await lineNumber.boundingBox();
    assert.ok(box, 'the line number is on screen');
    await page.mouse.click(box.x - 8, box.y + box.height / 2);
    await page.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });

    await page.keyboard.press('F5');
    const chat = await chatFrame(page, 'Karibu Pizza Bahari', 60_000);
    await chat.getByRole('button', { name: 'Agiza / Order' }).last().click();

    // The editor stops on the state's line: VS Code marks the top stack frame's line.
    await page.locator('.debug-top-stack-frame-line').first().waitFor({ timeout: 30_000 });
    const cursor = page.locator('.statusbar-item[id*="status.editor.selection"]').first();
    await page.waitForFunction((wanted) => (document.querySelector('[id*="status.editor.selection"]')?.textContent ?? '').includes(`Ln ${wanted},`), line, { timeout: 15_000 });
    assert.match((await cursor.textContent()) ?? '', new RegExp(`Ln ${line},`));

    // The Variables view holds the answer just given to main_menu (the button's title).
    const variables = page.locator('.debug-view-content .monaco-list-row', { hasText: /^main_menu\b/ }).first();
    await variables.waitFor({ timeout: 20_000 });
    assert.match((await variables.textContent()) ?? '', /^main_menu.*"Agiza \/ Order"/);
    await page.waitForTimeout(800);
    // The README's picture (media/screenshots/flow-debugger.png) is copied from this one.
    await screenshot(page, 'flow-debugger.png');
  } catch (error) {
    await screenshot(page, 'flow-debugger-failure.png');
    throw error;
  } finally {
    await page.close();
  }
});
