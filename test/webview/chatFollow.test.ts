// The log follows the newest turn: after a reply the last bot turn's buttons are in view, even
// though a new entry is laid out at a placeholder height until it is on screen; unless the author
// scrolled up to read, in which case the log stays where they are.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { GenericMessage } from '../../src/flow/botMessages.js';
import { benchTranscript } from './appendBench.js';
import { text, turn, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness, type WebviewPage } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

/** A reply taller than an entry's placeholder: several paragraphs, then buttons. */
const TALL_REPLY: GenericMessage[] = [
  ...Array.from({ length: 6 }, (_, n) => text(`Paragraph ${n + 1} of a long reply.\nIt has a second line, and a third one\nto be tall.`)),
  { type: 'buttons', text: 'What next?', buttons: [{ id: 'yes', title: 'Yes please' }, { id: 'no', title: 'No thanks' }] },
];

/** Two animation frames: layout, the resize observer, and the scroll it asks for have all run. */
async function frames(view: WebviewPage): Promise<void> {
  await view.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

async function lastButtonInView(view: WebviewPage): Promise<boolean> {
  const button = view.page.getByRole('button', { name: 'No thanks' }).last();
  const [buttonBox, logBox] = await Promise.all([button.boundingBox(), view.page.getByRole('log').boundingBox()]);
  assert.ok(buttonBox && logBox);
  return buttonBox.y >= logBox.y && buttonBox.y + buttonBox.height <= logBox.y + logBox.height;
}

test("after a tall reply the log shows the last bot turn's buttons", async () => {
  await withChat(harness, { entries: benchTranscript(40) }, async (view) => {
    await view.page.setViewportSize({ width: 700, height: 500 });
    await frames(view);
    await view.post({ type: 'append', entry: turn('tall', TALL_REPLY, { user: { text: 'tell me more' } }) });
    await frames(view);
    await frames(view);
    assert.equal(await lastButtonInView(view), true, 'the buttons of the newest turn are visible');
  });
});

test('after the author scrolled up, a reply leaves the log where they are', async () => {
  await withChat(harness, { entries: benchTranscript(40) }, async (view) => {
    await view.page.setViewportSize({ width: 700, height: 500 });
    await frames(view);
    const log = view.page.getByRole('log');
    const atEnd = await log.evaluate((element) => element.scrollTop);
    await log.hover();
    await view.page.mouse.wheel(0, -2000);
    await view.page.waitForFunction((end) => (document.querySelector('[role="log"]')?.scrollTop ?? end) < end, atEnd);
    await frames(view);
    const before = await log.evaluate((element) => element.scrollTop);
    await view.post({ type: 'append', entry: turn('tall', TALL_REPLY, { user: { text: 'tell me more' } }) });
    await frames(view);
    await frames(view);
    assert.equal(await log.evaluate((element) => element.scrollTop), before);
    assert.equal(await lastButtonInView(view), false);
  });
});
