// A flow author's path through the canvas: open a flow file, press the editor's Show Flow Graph
// button, click a state on the graph and see the editor move to it, draw a transition between two
// states and see the file change, then chat beside the graph and see the conversation's path on it.
// The README's picture of the canvas beside a chat is taken here.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/paths.mjs';
import { chatFrame, openWorkbench, quickOpen, runFromPalette, screenshot, useWorkbench } from './workbench.js';

const workbench = useWorkbench();
const EXAMPLE_PATH = join(ROOT, 'examples', 'pizza-order.flow.json');
const FLOW = readFileSync(EXAMPLE_PATH, 'utf8');

/** The flow graph's frame, once it has drawn its nodes. */
async function graphFrame(page: Page, timeoutMs = 45_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const drawn = await frame.evaluate(() => document.querySelectorAll('svg.canvas .node').length > 0).catch(() => false);
      if (drawn) {
        return frame;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no flow graph drawn after ${timeoutMs} ms`);
    }
    await page.waitForTimeout(200);
  }
}

async function cursorLine(page: Page): Promise<number> {
  await page.waitForFunction(() => /Ln \d+, Col \d+/.test(document.querySelector('[id*="status.editor.selection"]')?.textContent ?? ''), undefined, { timeout: 15_000 });
  return Number(/Ln (\d+)/.exec((await page.locator('.statusbar-item[id*="status.editor.selection"]').first().textContent()) ?? '')?.[1]);
}

test('the flow graph beside its file: a click moves the editor, a drawn transition changes the file, a chat draws its path', async () => {
  const { server, browser } = workbench();
  const page = await openWorkbench(server, browser, { width: 1600, height: 900 });
  try {
    await quickOpen(page, 'pizza-order.flow.json');
    await page.locator('.tab.active', { hasText: 'pizza-order.flow.json' }).waitFor({ timeout: 20_000 });
    const graphButton = page.locator('.editor-actions [aria-label^="Show Flow Graph"]').first();
    await graphButton.waitFor({ state: 'visible', timeout: 30_000 });
    await graphButton.click();
    const graph = await graphFrame(page);
    assert.equal(await graph.locator('.node').count(), 16, 'every state of the pizza flow is a node');

    // A click on a state puts the editor's cursor on its key (the search box brings it into view first).
    await graph.getByRole('searchbox', { name: 'Find a state' }).fill('ask_quantity');
    await graph.locator('.node[data-state="ask_quantity"]').click();
    const keyLine = FLOW.split('\n').findIndex((text) => /^\s*"ask_quantity": \{/.test(text)) + 1;
    await page.waitForFunction((line) => new RegExp(`Ln ${line},`).test(document.querySelector('[id*="status.editor.selection"]')?.textContent ?? ''), keyLine, { timeout: 15_000 });
    assert.equal(await cursorLine(page), keyLine);

    // Draw a transition: from 'cancelled' (it has none) to 'main_menu', on `default`.
    await graph.locator('.node[data-state="cancelled"]').click({ button: 'right' });
    await graph.getByRole('menuitem', { name: 'Draw Transition from Here…' }).click();
    await graph.locator('.node[data-state="main_menu"]').click();
    const quickInput = page.locator('.quick-input-widget');
    await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.type('default');
    await page.keyboard.press('Enter');
    await graph.locator('.edge[data-edge="states.cancelled.transitions.default"]').waitFor({ timeout: 15_000 });
    // The file changed: the editor, moved to 'cancelled' by a click on it, shows the new field.
    await graph.locator('.node[data-state="cancelled"]').click();
    await page.locator('.monaco-editor .view-lines', { hasText: '"default": "main_menu"' }).first().waitFor({ timeout: 15_000 });
    // One undo in the editor takes the whole transition back, and the graph follows.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    await graph.locator('.edge[data-edge="states.cancelled.transitions.default"]').waitFor({ state: 'detached', timeout: 15_000 });

    // Preview the flow beside the graph: the file joins the graph's group (the focus is in its editor),
    // so the chat opens in a group of its own and the canvas and the chat stand side by side.
    await runFromPalette(page, 'View: Move Editor into Next Group');
    await page.locator('.editor-actions [aria-label^="Preview Flow"]').first().click();
    const chat = await chatFrame(page, 'Karibu Pizza Bahari', 45_000);
    await chat.getByRole('button', { name: 'Agiza / Order' }).last().click();
    await chat.locator('.state-badge', { hasText: 'choose_pizza' }).last().waitFor({ timeout: 15_000 });
    await page.locator('.tab[aria-label^="Flow Graph: pizza-order.flow.json"]').first().click();
    const liveGraph = await graphFrame(page);
    await liveGraph.getByRole('button', { name: 'Fit' }).click();
    await liveGraph.locator('.node.current[data-state="choose_pizza"]').waitFor({ timeout: 15_000 });
    const steps = await liveGraph.locator('.edge.live .edge-label text').allTextContents();
    assert.ok(steps.some((label) => /#1$/.test(label)) && steps.some((label) => /#2$/.test(label)), `the greeting's move and the click are numbered: ${JSON.stringify(steps)}`);
    await page.waitForTimeout(600);
    // The README's picture (media/screenshots/flow-graph.png) is copied from this one.
    await screenshot(page, 'flow-graph.png');
  } catch (error) {
    await screenshot(page, 'flow-graph-failure.png');
    throw error;
  } finally {
    await page.close();
    // code-server saves edits after a delay (VS Code's default on the web): leave the example as it was.
    if (readFileSync(EXAMPLE_PATH, 'utf8') !== FLOW) {
      writeFileSync(EXAMPLE_PATH, FLOW);
    }
  }
});
