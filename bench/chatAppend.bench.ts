// The chat page's cost of one more turn with 1, 100 and 1,000 turns already shown, in real
// Chromium, on the production bundle. It must not grow with the count: the page appends one node.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { measureAppend } from '../test/webview/appendBench.js';
import { startWebviewHarness, WEBVIEW_DIST } from '../test/webview/harness.js';

async function main(): Promise<void> {
  const harness = await startWebviewHarness();
  const rows: string[] = [];
  try {
    for (const shown of [1, 100, 1000]) {
      const result = await measureAppend({ shown, appends: 30, harness });
      rows.push(`| ${shown} | ${result.initMs.toFixed(1)} | ${result.medianAppendMs.toFixed(2)} |`);
    }
  } finally {
    await harness.close();
  }
  console.log('Chat page (headless Chromium, production bundle)\n');
  console.log('| turns already shown | init ms | append one turn, median of 30, ms |');
  console.log('| ---: | ---: | ---: |');
  console.log(rows.join('\n'));
  const size = (file: string) => statSync(join(WEBVIEW_DIST, file)).size;
  console.log(`\nWebview JS + CSS: ${((size('chat.js') + size('chat.css')) / 1024).toFixed(1)} KiB (chat.js ${(size('chat.js') / 1024).toFixed(1)} KiB, chat.css ${(size('chat.css') / 1024).toFixed(1)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
