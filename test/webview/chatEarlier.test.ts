// A long transcript reaches the page a window at a time: `init` brings the newest entries, and
// scrolling to the top of the log asks the host for the ones before, which go in above without
// moving what the author is reading.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { benchTranscript } from './appendBench.js';
import { posted, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness, type WebviewPage } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

const TURNS = benchTranscript(1_000);

function entryCount(view: WebviewPage): Promise<number> {
  return view.page.getByRole('log').evaluate((log) => log.querySelectorAll('.entry').length);
}

/** The first shown entry's id and its distance from the log's top edge, in px. */
function firstShown(view: WebviewPage): Promise<{ id: string; offset: number }> {
  return view.page.getByRole('log').evaluate((log) => {
    const first = log.querySelector<HTMLElement>('[data-entry-id]');
    return { id: first?.dataset.entryId ?? '', offset: (first?.getBoundingClientRect().top ?? 0) - log.getBoundingClientRect().top + log.scrollTop };
  });
}

async function scrollToTop(view: WebviewPage): Promise<void> {
  await view.page.getByRole('log').evaluate((log) => log.scrollTo({ top: 0 }));
}

test('scrolling to the top asks for the entries before the first one shown and puts them above it', async () => {
  await withChat(harness, { entries: TURNS.slice(800), earlier: TURNS.slice(0, 800) }, async (view) => {
    assert.equal(await entryCount(view), 200, 'init shows what it was sent');
    assert.deepEqual(posted(view, 'earlier'), [], 'nothing is asked before the author scrolls up');

    const reading = await firstShown(view);
    await scrollToTop(view);
    await view.waitFor(() => posted(view, 'earlier').length === 1, 'the page to ask for earlier entries');
    assert.equal(posted(view, 'earlier')[0].beforeId, 'turn-800');
    await view.page.waitForFunction(() => document.querySelectorAll('[role="log"] .entry').length === 400);

    assert.equal((await firstShown(view)).id, 'turn-600', 'the earlier entries come first, oldest first');
    await view.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const stayed = await view.page.getByRole('log').evaluate((log, id) => {
      const entry = log.querySelector<HTMLElement>(`[data-entry-id="${id}"]`);
      return (entry?.getBoundingClientRect().top ?? Number.NaN) - log.getBoundingClientRect().top;
    }, reading.id);
    assert.equal(reading.id, 'turn-800');
    assert.ok(Math.abs(stayed - reading.offset) <= 1, `the entry at the top stays where it was on screen (${reading.offset} px, now ${stayed} px)`);
  });
});

test('scrolling up to the first entry loads all 1,000, then asks no more', async () => {
  await withChat(harness, { entries: TURNS.slice(800), earlier: TURNS.slice(0, 800) }, async (view) => {
    for (let asked = 1; asked <= 4; asked += 1) {
      await scrollToTop(view);
      await view.waitFor(() => posted(view, 'earlier').length === asked, `request ${asked} for earlier entries`);
      await view.page.waitForFunction((count) => document.querySelectorAll('[role="log"] .entry').length === count, 200 + asked * 200);
    }
    assert.equal((await firstShown(view)).id, 'turn-0');
    await scrollToTop(view);
    await view.page.getByRole('log').evaluate((log) => log.scrollBy({ top: 10 }));
    await view.page.getByRole('log').evaluate((log) => log.scrollTo({ top: 0 }));
    await view.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    assert.equal(posted(view, 'earlier').length, 4, 'with nothing earlier left the page asks no more');
    assert.equal(await entryCount(view), 1_000);
    assert.equal(await view.page.locator('[data-entry-id="turn-0"] .earlier').count() > 0, true, 'loaded turns say they are earlier');
  });
});
