// A 2,000-turn transcript: it renders, and a new turn is appended without touching the others.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { benchTranscript, benchTurn, measureAppend, timeHostMessage } from './appendBench.js';
import { initMessage, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

interface ScaleWindow {
  __first?: Element | null;
  __records?: { target: string; added: number; removed: number }[];
}

test('an init with 2,000 turns renders them all, and one append adds exactly one node to the log', async () => {
  await withChat(harness, {}, async (view) => {
    const initMs = await timeHostMessage(view, initMessage({ entries: benchTranscript(2_000) }));
    const log = view.page.getByRole('log');
    assert.equal(await log.evaluate((element) => element.querySelectorAll('.entry').length), 2_000);
    assert.equal(await log.evaluate((element) => element.children.length), 40, 'the entries are kept in 40 blocks of 50');
    assert.ok(Number.isFinite(initMs) && initMs > 0, 'the init was timed');
    assert.ok(await log.locator('.turn').first().getByRole('button', { name: 'Option 0' }).evaluate((element) => element.classList.contains('earlier')));

    await log.evaluate((element) => {
      const scale = window as unknown as ScaleWindow;
      scale.__first = element.querySelector('.entry');
      scale.__records = [];
      new MutationObserver((records) => {
        for (const record of records) {
          if (record.type === 'childList') {
            scale.__records?.push({
              target: record.target === element ? 'log' : (record.target as Element).className,
              added: record.addedNodes.length,
              removed: record.removedNodes.length,
            });
          }
        }
      }).observe(element, { childList: true, subtree: true });
    });
    await view.post({ type: 'append', entry: benchTurn(2_000) });
    await view.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));

    const result = await log.evaluate((element) => {
      const scale = window as unknown as ScaleWindow;
      return { sameFirst: scale.__first === element.querySelector('.entry'), records: scale.__records, count: element.querySelectorAll('.entry').length };
    });
    assert.equal(result.count, 2_001);
    assert.ok(result.sameFirst, 'the first entry is the very same node');
    // 2,000 entries fill 40 blocks exactly, so the 2,001st starts a new block: one node, added to the log.
    assert.deepEqual(result.records, [{ target: 'log', added: 1, removed: 0 }], 'one node added, nothing removed or rebuilt');
    // The next append goes into that block, and only there.
    await log.evaluate(() => {
      (window as unknown as ScaleWindow).__records = [];
    });
    await view.post({ type: 'append', entry: benchTurn(2_001) });
    await view.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    assert.deepEqual(await log.evaluate(() => (window as unknown as ScaleWindow).__records), [{ target: 'log-block', added: 1, removed: 0 }]);
    const previous = log.locator('.turn').nth(2_000);
    assert.ok(await previous.getByRole('button', { name: 'Option 1' }).evaluate((element) => element.classList.contains('earlier')), 'the previous turn is now earlier');
  });
});

test('the bench helper times each of 10 appends to 2,000 shown turns', async () => {
  const result = await measureAppend({ shown: 2_000, appends: 10, harness });
  assert.equal(result.appendMs.length, 10);
  // Speed itself is for `npm run bench`; here the helper must measure every append.
  assert.ok(result.appendMs.every((ms) => Number.isFinite(ms) && ms >= 0), `measurements: ${result.appendMs.join(', ')}`);
});
