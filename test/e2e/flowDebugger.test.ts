// A flow author debugs a flow as code, through the UI: click the gutter of a state in the flow file,
// press F5, chat in the panel that opens beside it; the editor stops on that state's line and the
// Variables view shows the answer just given. Takes the README's screenshot of the debugger.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/lib/paths.mjs';
import { chatFrame, openFile, openWorkbench, screenshot, useWorkbench } from './workbench.js';

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

    await openFile(page, 'pizza-order.flow.json');
    // Bring the state's line into view (Go to Line), then click the gutter left of its number.
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(line));
    await page.keyboard.press('Enter');
    const lineNumber = page.locator('.monaco-editor .line-numbers', { hasText: new RegExp(`^${line}$`) }).first();
    const glyph = page.locator('.codicon-debug-breakpoint').first();
    // The extension's CodeLenses ("Chat from here") can arrive just after the line is measured and
    // move it down: as a person would, look again and click again when no breakpoint appeared.
    for (let attempt = 1; ; attempt += 1) {
      // A breakpoint that showed late is not clicked away.
      if (await glyph.isVisible()) {
        break;
      }
      await lineNumber.waitFor({ timeout: 10_000 });
      const box = await lineNumber.boundingBox();
      assert.ok(box, 'the line number is on screen');
      await page.mouse.click(box.x - 8, box.y + box.height / 2);
      const shown = await glyph.waitFor({ timeout: 3_000 }).then(
        () => true,
        () => false,
      );
      if (shown) {
        break;
      }
      assert.ok(attempt < 3, 'no breakpoint appeared after three clicks in the gutter');
      // Give a late one its chance before the next look.
      await page.waitForTimeout(1_000);
    }

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
