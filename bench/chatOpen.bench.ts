// Time from "Sarufi: Start Chat" (Enter in the command palette) to the bot's greeting visible in
// the panel, as a person sees it: code-server's workbench in Chromium, the embedded sandbox over
// examples/, the chatbot preset by `sarufi.chatbotId` so that no picker is timed.
import { launchChromium } from '../scripts/lib/chromium.mjs';
import { startCodeServer } from '../scripts/lib/codeServer.mjs';
import { EXAMPLES_DIR } from '../scripts/lib/paths.mjs';
import { startSandbox } from '../src/sandbox/server.js';
import { chatFrameShowing, openWorkbench, runFromPalette, showInPalette } from '../test/e2e/workbench.js';

const RUNS = 6;
const GREETING = 'Karibu Pizza Bahari';

async function pizzaId(): Promise<string> {
  // Ids are stable (derived from the file's path), so a sandbox of our own tells the embedded one's.
  const sandbox = await startSandbox({ flowDirs: [EXAMPLES_DIR] });
  try {
    const pizza = sandbox.chatbots().find((bot) => bot.name === 'Pizza Bahari');
    if (!pizza) {
      throw new Error('bench needs examples/pizza-order.flow.json');
    }
    return pizza.id;
  } finally {
    await sandbox.close();
  }
}

async function main(): Promise<void> {
  const server = await startCodeServer({ settings: { 'sarufi.environment': 'sandbox', 'sarufi.chatbotId': await pizzaId() } });
  const browser = await launchChromium();
  const samples: number[] = [];
  try {
    const page = await openWorkbench(server, browser, { width: 1280, height: 800 });
    for (let run = 0; run < RUNS; run += 1) {
      await showInPalette(page, 'Sarufi: Start Chat');
      const started = Date.now();
      await page.keyboard.press('Enter');
      while (!(await chatFrameShowing(page, GREETING))) {
        if (Date.now() - started > 60_000) {
          throw new Error(`run ${run + 1}: no greeting after 60 s`);
        }
        await page.waitForTimeout(10);
      }
      samples.push(Date.now() - started);
      await runFromPalette(page, 'View: Close All Editors');
      await page.waitForTimeout(500);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const [cold, ...warm] = samples;
  const sorted = [...warm].sort((a, b) => a - b);
  console.log('| Start Chat → greeting visible (code-server 1.100.3, embedded sandbox) | ms |');
  console.log('| --- | ---: |');
  console.log(`| first run (activates the extension, starts the sandbox) | ${cold} |`);
  console.log(`| next runs, median of ${warm.length} | ${sorted[Math.floor(sorted.length / 2)]} |`);
  console.log(`| next runs, min / max | ${sorted[0]} / ${sorted[sorted.length - 1]} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
