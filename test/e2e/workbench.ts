// What the end-to-end tests (and the Start Chat bench) do in code-server's workbench as a person
// would: open it, run a command from the palette, open a file with Quick Open, find the chat panel
// among the webview frames, take a screenshot.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { startCodeServer } from '../../scripts/lib/codeServer.mjs';
import type { CodeServer, StartOptions } from '../../scripts/lib/codeServer.mjs';
import { ROOT, TEST_RESULTS_DIR } from '../../scripts/lib/paths.mjs';

/** A page on the workbench with this working tree loaded as a development extension. */
export async function openWorkbench(server: CodeServer, browser: Browser, viewport = { width: 1400, height: 860 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(server.workbenchUrl({ extensionDevelopmentPath: ROOT }));
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
  return page;
}

/**
 * Types `text` into a quick input opened by `key` until a row with `text` shows, and returns
 * without choosing it. The workbench registers a development extension's contributions a moment
 * after it shows: like a person, close the list and try again.
 */
async function typeIntoQuickInput(page: Page, key: string, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  for (;;) {
    await page.keyboard.press(key);
    await page.locator('.quick-input-widget input[type="text"]').waitFor({ state: 'visible' });
    await page.keyboard.type(text);
    try {
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) {
        throw new Error(`"${text}" did not show in the quick input within ${timeoutMs} ms`);
      }
    }
  }
}

/** Shows `label` in the command palette (F1: Ctrl+Shift+P belongs to the browser) without running it. */
export function showInPalette(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  return typeIntoQuickInput(page, 'F1', label, timeoutMs);
}

export async function runFromPalette(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  await showInPalette(page, label, timeoutMs);
  await page.keyboard.press('Enter');
}

/** Sarufi: Set API Key from the palette, typed into its password box; resolves once the key checked out against `workspace`. */
export async function setApiKeyFromPalette(page: Page, key: string, workspace: string): Promise<void> {
  await runFromPalette(page, 'Sarufi: Set API Key');
  const input = page.locator('.quick-input-widget input[type="password"]');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(key);
  await page.keyboard.press('Enter');
  await page.locator('.notifications-toasts', { hasText: `Connected to ${workspace}` }).waitFor({ timeout: 20_000 });
}

/** Opens a workspace file by name through Quick Open. */
export async function quickOpen(page: Page, name: string, timeoutMs = 30_000): Promise<void> {
  await typeIntoQuickInput(page, 'Control+P', name, timeoutMs);
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open and waits until its tab is the active one. */
export async function openFile(page: Page, name: string): Promise<void> {
  await quickOpen(page, name);
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 20_000 });
}

/** Clicks a button of the active editor's title bar (the extension contributes it a moment after the editor shows). */
export async function clickEditorAction(page: Page, label: string): Promise<void> {
  const button = page.locator(`.editor-actions [aria-label^="${label}"]`).first();
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  await button.click();
}

/**
 * Opens the pizza example, presses Preview Flow, and orders (Agiza / Order): the preview's chat
 * frame, standing in choose_pizza.
 */
export async function previewAndOrder(page: Page): Promise<Frame> {
  await openFile(page, 'pizza-order.flow.json');
  await clickEditorAction(page, 'Preview Flow');
  const chat = await chatFrame(page, 'Karibu Pizza Bahari', 45_000);
  await chat.getByRole('button', { name: 'Agiza / Order' }).last().click();
  await chat.locator('.state-badge', { hasText: 'choose_pizza' }).last().waitFor({ timeout: 15_000 });
  return chat;
}

/** The chat panel's frame whose conversation shows `text`, or undefined when none does yet. */
export async function chatFrameShowing(page: Page, text: string): Promise<Frame | undefined> {
  for (const frame of page.frames()) {
    const found = await frame
      .evaluate((wanted) => document.querySelector('[role="log"]')?.textContent?.includes(wanted) ?? false, text)
      .catch(() => false);
    if (found) {
      return frame;
    }
  }
  return undefined;
}

export async function chatFrame(page: Page, text: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await chatFrameShowing(page, text);
    if (frame) {
      return frame;
    }
    if (Date.now() > deadline) {
      throw new Error(`no chat panel showing "${text}" after ${timeoutMs} ms`);
    }
    await page.waitForTimeout(200);
  }
}

/** Saves a screenshot under test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(TEST_RESULTS_DIR, { recursive: true });
  const path = join(TEST_RESULTS_DIR, name);
  await page.screenshot({ path });
  return path;
}

export interface Workbench {
  server: CodeServer;
  browser: Browser;
}

/**
 * Starts code-server and Chromium before the file's tests and stops them after; the returned
 * function gives both to a test. `options` may be a function, for settings known only in `before`.
 */
export function useWorkbench(options: StartOptions | (() => Promise<StartOptions>) = {}): () => Workbench {
  let running: Partial<Workbench> = {};
  before(async () => {
    const resolved = typeof options === 'function' ? await options() : options;
    running = { server: await startCodeServer(resolved), browser: await launchChromium() };
  });
  after(async () => {
    await running.browser?.close();
    await running.server?.stop();
  });
  return () => {
    const { server, browser } = running;
    if (!server || !browser) {
      throw new Error('code-server and Chromium did not start (see the before hook)');
    }
    return { server, browser };
  };
}
