// The input box: what Enter, Shift+Enter, Up and Down do, the length limit, the typed text's fate
// after a send, the draft across a reload, and the typing indicator.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ChatViewState } from '../../src/protocol.js';
import { shownEntry } from '../../src/chat/shownEntry.js';
import { initMessage, openChat, posted, text, turn, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness, type WebviewPage } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

const box = (view: WebviewPage) => view.page.getByRole('textbox', { name: 'Message' });

/** Types and sends `text`, then answers the send as the host would. */
async function sendAndSettle(view: WebviewPage, text: string, ok = true): Promise<void> {
  const before = posted(view, 'send').length;
  await box(view).fill(text);
  await box(view).press('Enter');
  await view.waitFor(() => posted(view, 'send').length > before, `the send of '${text}'`);
  const sent = posted(view, 'send')[before];
  assert.ok(sent);
  await view.post({ type: 'sendResult', requestId: sent.requestId, ok });
}

test('Enter sends the typed text, which stays in the box until the host says it was sent', async () => {
  await withChat(harness, {}, async (view) => {
    await box(view).fill('I want a pizza');
    await box(view).press('Enter');
    const send = await view.waitForMessage('send');
    assert.deepEqual(send.input, { text: 'I want a pizza' });
    assert.equal(await box(view).inputValue(), 'I want a pizza', 'kept while the send is under way');

    await view.post({ type: 'sendResult', requestId: send.requestId, ok: true });
    assert.equal(await box(view).inputValue(), '');
    assert.equal((view.state as ChatViewState).draft, '');
  });
});

test('a failed send keeps the typed text', async () => {
  await withChat(harness, {}, async (view) => {
    await sendAndSettle(view, 'Keep me', false);
    assert.equal(await box(view).inputValue(), 'Keep me');
  });
});

test('the Send button sends too, and a second Enter before the answer sends nothing more', async () => {
  await withChat(harness, {}, async (view) => {
    await box(view).fill('Once');
    await view.page.getByRole('button', { name: 'Send', exact: true }).click();
    await view.waitForMessage('send');
    await box(view).press('Enter');
    await view.page.waitForTimeout(100);
    assert.equal(posted(view, 'send').length, 1);
  });
});

test('Shift+Enter adds a line instead of sending; empty and blank text is not sent', async () => {
  await withChat(harness, {}, async (view) => {
    await box(view).press('Enter');
    await box(view).fill('   \n  ');
    await box(view).press('Enter');
    await box(view).fill('line one');
    await box(view).press('Shift+Enter');
    await box(view).pressSequentially('line two');
    assert.equal(await box(view).inputValue(), 'line one\nline two');
    await view.page.waitForTimeout(100);
    assert.deepEqual(posted(view, 'send'), []);
    await box(view).press('Enter');
    assert.deepEqual((await view.waitForMessage('send')).input, { text: 'line one\nline two' });
  });
});

test('the counter appears near the limit, and a message over 4,096 characters is refused and kept', async () => {
  await withChat(harness, {}, async (view) => {
    const counter = view.page.getByText(/^\d+ \/ 4096$/);
    await box(view).fill('x'.repeat(3499));
    assert.equal(await counter.isVisible(), false, 'no counter far from the limit');
    await box(view).fill('x'.repeat(3500));
    assert.equal(await counter.textContent(), '3500 / 4096');

    await box(view).fill('x'.repeat(4097));
    assert.equal(await counter.textContent(), '4097 / 4096');
    await box(view).press('Enter');
    const alert = view.page.getByRole('alert');
    assert.match((await alert.textContent()) ?? '', /4097 characters.*at most 4096/);
    assert.equal((await box(view).inputValue()).length, 4097, 'the text stays');
    assert.deepEqual(posted(view, 'send'), []);

    await box(view).press('Backspace');
    assert.equal(await alert.isVisible(), false, 'editing clears the refusal');
    await box(view).press('Enter');
    assert.equal((await view.waitForMessage('send')).input.text.length, 4096, 'exactly 4,096 is allowed');
  });
});

test('Up and Down recall earlier inputs when the caret is on the first or last line', async () => {
  await withChat(harness, {}, async (view) => {
    await sendAndSettle(view, 'first');
    await sendAndSettle(view, 'second');
    await box(view).fill('my draft');
    await box(view).press('ArrowUp');
    assert.equal(await box(view).inputValue(), 'second');
    await box(view).press('ArrowUp');
    assert.equal(await box(view).inputValue(), 'first');
    await box(view).press('ArrowUp');
    assert.equal(await box(view).inputValue(), 'first', 'the oldest stays');
    await box(view).press('ArrowDown');
    assert.equal(await box(view).inputValue(), 'second');
    await box(view).press('ArrowDown');
    assert.equal(await box(view).inputValue(), 'my draft', 'past the newest comes the draft back');

    // In the second line of a two-line text, Up moves the caret instead of recalling.
    await box(view).fill('a\nb');
    await box(view).press('ArrowUp');
    assert.equal(await box(view).inputValue(), 'a\nb');
  });
});

test('the draft and the input history come back after the page is reloaded', async () => {
  let reopened: WebviewPage | undefined;
  await withChat(harness, {}, async (view) => {
    await sendAndSettle(view, 'sent before');
    await box(view).fill('half typed');
    await view.waitFor(() => (view.state as ChatViewState | undefined)?.draft === 'half typed', 'the saved draft');
    assert.deepEqual(view.state, { panelId: 'panel-1', draft: 'half typed', history: ['sent before'], pendingSends: [], nextRequestId: 2, whatsapp: false });

    reopened = await view.reopen();
    await reopened.waitForMessage('ready');
    assert.equal(await box(reopened).inputValue(), 'half typed', 'restored before init arrives');
    await reopened.post(initMessage());
    assert.equal(await box(reopened).inputValue(), 'half typed');
    await box(reopened).press('Control+Home');
    await box(reopened).press('ArrowUp');
    assert.equal(await box(reopened).inputValue(), 'sent before');
    assert.deepEqual(reopened.problems(), []);
  }).catch(async (error: unknown) => {
    await reopened?.close();
    throw error;
  });
  await reopened?.close();
});

/** Sends `text` and hides the panel before the answer, as VS Code drops a hidden panel's page. */
async function sendThenHide(view: WebviewPage, text: string): Promise<{ requestId: number; reopened: WebviewPage }> {
  await box(view).fill(text);
  await box(view).press('Enter');
  const { requestId } = await view.waitForMessage('send');
  await view.waitFor(() => (view.state as ChatViewState | undefined)?.pendingSends.length === 1, 'the pending send in the saved state');
  const reopened = await view.reopen();
  await reopened.waitForMessage('ready');
  return { requestId, reopened };
}

test('a send that succeeded while the panel was hidden leaves the box empty when it is shown again', async () => {
  const view = await openChat(harness);
  const { requestId, reopened } = await sendThenHide(view, 'sent while hidden');
  try {
    await reopened.post({ ...initMessage(), sends: [{ requestId, ok: true }] });
    assert.equal(await box(reopened).inputValue(), '');
    assert.deepEqual((reopened.state as ChatViewState).pendingSends, []);
    assert.deepEqual(reopened.problems(), []);
  } finally {
    await reopened.close();
  }
});

test('a send still under way when the panel is shown again keeps its text, and Enter does not send it twice', async () => {
  const view = await openChat(harness);
  const { requestId, reopened } = await sendThenHide(view, 'still going');
  try {
    await reopened.post({ ...initMessage(), busy: { busy: true }, sends: [{ requestId, ok: null }] });
    assert.equal(await box(reopened).inputValue(), 'still going');
    assert.ok(await reopened.page.locator('.typing-dots').isVisible(), 'the typing indicator is back');
    await box(reopened).press('Enter');
    await reopened.post({ type: 'sendResult', requestId, ok: true });
    assert.equal(await box(reopened).inputValue(), '');
    assert.equal(posted(reopened, 'send').length, 0, 'the reopened page sent nothing');
    assert.deepEqual(reopened.problems(), []);
  } finally {
    await reopened.close();
  }
});

test('while busy the page shows three dots and says "Bot is typing…" with the host\'s note', async () => {
  await withChat(harness, {}, async (view) => {
    const status = view.page.getByRole('status');
    assert.equal((await status.textContent())?.trim(), '');
    await view.post({ type: 'busy', busy: true, note: 'Rate limited — waiting 2 s' });
    assert.equal(await status.textContent(), 'Bot is typing… Rate limited — waiting 2 s');
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.ok(await view.page.locator('.typing-dots').isVisible());
    await view.post({ type: 'busy', busy: false });
    assert.equal(await status.textContent(), '');
    assert.equal(await view.page.locator('.typing-dots').isVisible(), false);
  });
});

test('while the flow debugger holds a turn, what the bot has sent so far shows at once above the dots, not clickable, and goes when the turn ends', async () => {
  await withChat(harness, {}, async (view) => {
    const sent = view.page.locator('.sent-so-far');
    assert.equal(await sent.isVisible(), false);
    const messages = [
      { type: 'text' as const, text: 'Looking up your order…' },
      { type: 'buttons' as const, text: 'Pick one', buttons: [{ id: 'a', title: 'Alpha' }] },
    ];
    await view.post({ type: 'busy', busy: true, note: "Debugger: paused before the API_CALL of 'lookup'", sent: messages });
    assert.ok(await sent.getByText('Looking up your order…').isVisible());
    assert.ok(await sent.getByText('Pick one').isVisible());
    await sent.getByRole('button', { name: 'Alpha' }).click({ force: true });
    assert.deepEqual(posted(view, 'send'), [], 'a message of a turn still running sends nothing');
    assert.match((await view.page.getByRole('status').textContent()) ?? '', /Bot is typing… Debugger: paused before the API_CALL of 'lookup'$/);
    await view.post({ type: 'busy', busy: false });
    assert.equal(await sent.isVisible(), false);
    assert.equal(await sent.locator('*').count(), 0);
  });
});

test('a batch from the host is handled message by message in order: the reply shows, the typing indicator goes and the sent text leaves the box', async () => {
  await withChat(harness, {}, async (view) => {
    await box(view).fill('Batched');
    await box(view).press('Enter');
    const send = await view.waitForMessage('send');
    await view.post({ type: 'busy', busy: true });
    assert.ok(await view.page.locator('.typing-dots').isVisible());
    const reply = shownEntry(turn('t-batched', [text('you said Batched')], { user: { text: 'Batched' } }));
    await view.post({
      type: 'batch',
      messages: [
        { type: 'append', entry: reply },
        { type: 'busy', busy: false },
        { type: 'sendResult', requestId: send.requestId, ok: true },
      ],
    });
    assert.ok(await view.page.getByRole('log').getByText('you said Batched').isVisible());
    assert.equal(await view.page.locator('.typing-dots').isVisible(), false);
    assert.equal(await box(view).inputValue(), '');
  });
});
