// A reply that arrives while the chat panel is hidden (VS Code drops a hidden webview's page): the
// author types, presses Enter, switches to another editor before the answer, and comes back. The
// reply is in the log, the box is empty, and the text went to the server once. The server holds
// the reply until the test lets it go, so the hiding always falls inside the send.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { chatFrame, chatFrameShowing, openWorkbench, quickOpen, runFromPalette, setApiKeyFromPalette, useWorkbench } from './workbench.js';

const KEY = 'sk-e2e-hidden-send-41c7';
const GREETING = 'Karibu! Type anything.';
const TEXT = 'Saa ngapi mnafungua?';

/** Sarufi's chat API as far as Set API Key and Start Chat use it; the first message's reply waits for `release()`. */
function slowServer(): { server: Server; messages: string[]; arrived: Promise<void>; release: () => void } {
  const messages: string[] = [];
  let arrive = (): void => undefined;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const reply = (json: unknown) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(json));
      };
      const url = request.url ?? '';
      if (request.headers.authorization !== `Bearer ${KEY}`) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ detail: 'Invalid or expired API key.' }));
      } else if (url.endsWith('/me')) {
        reply({ workspace: { id: 'w1', name: 'Slow workspace', plan: 'free' } });
      } else if (request.method === 'GET' && /\/chatbots\/slow-bot$/.test(url)) {
        reply({ id: 'slow-bot', name: 'Slow Bot' });
      } else if (url.endsWith('/chat/sessions')) {
        reply({ session_id: 's1', channel: 'api', created_at: new Date().toISOString(), messages: [{ type: 'text', text: GREETING }] });
      } else if (url.endsWith('/messages')) {
        const { message } = JSON.parse(body) as { message: string };
        messages.push(message);
        const answer = () => reply({ session_id: 's1', messages: [{ type: 'text', text: `You asked: ${message}` }], messages_count: 1, current_state: 'start', timestamp: new Date().toISOString() });
        if (messages.length === 1) {
          arrive();
          void released.then(answer);
        } else {
          answer();
        }
      } else {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ detail: 'Not Found' }));
      }
    });
  });
  return { server, messages, arrived, release };
}

const slow = slowServer();

const workbench = useWorkbench(async () => {
  await new Promise<void>((resolve) => slow.server.listen(0, '127.0.0.1', resolve));
  const { port } = slow.server.address() as AddressInfo;
  return { settings: { 'sarufi.environment': 'custom', 'sarufi.customBaseUrl': `http://127.0.0.1:${port}/api/dev/v1`, 'sarufi.chatbotId': 'slow-bot' } };
});

after(async () => {
  // A test that failed before releasing the reply must not leave the server holding it open.
  slow.release();
  slow.server.closeAllConnections();
  await new Promise((resolve) => slow.server.close(resolve));
});

async function untilHidden(page: Page): Promise<void> {
  while (await chatFrameShowing(page, GREETING)) {
    await page.waitForTimeout(100);
  }
}

test('a reply that arrives while the panel is hidden is in the log when it is shown again, the box is empty, and the text went once', async () => {
  const { server, browser } = workbench();
  const page = await openWorkbench(server, browser);
  try {
    await setApiKeyFromPalette(page, KEY, 'Slow workspace');
    await runFromPalette(page, 'Sarufi: Start Chat');
    let chat = await chatFrame(page, GREETING);

    await chat.locator('textarea[aria-label="Message"]').fill(TEXT);
    await chat.locator('textarea[aria-label="Message"]').press('Enter');
    await slow.arrived;
    // Another editor in the panel's group hides it, and VS Code drops its page.
    await quickOpen(page, 'README.md');
    await untilHidden(page);
    slow.release();

    await page.locator('.tabs-container .tab', { hasText: 'Slow Bot' }).click();
    chat = await chatFrame(page, `You asked: ${TEXT}`);
    assert.equal(await chat.locator('textarea[aria-label="Message"]').inputValue(), '', 'the sent text is not put back in the box');

    // A resent text would reach the server before this one: the page posts in order.
    await chat.locator('textarea[aria-label="Message"]').fill('and on Sunday?');
    await chat.locator('textarea[aria-label="Message"]').press('Enter');
    await chatFrame(page, 'You asked: and on Sunday?');
    assert.deepEqual(slow.messages, [TEXT, 'and on Sunday?'], 'the text hidden mid-send went to the server once');
  } finally {
    await page.close();
  }
});
