// Proves the harness itself: a check that cannot fail is worth nothing, so each collector is shown
// catching the problem it exists for.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

test('an inline script is refused by the page CSP and reported as a violation', async () => {
  const view = await harness.open();
  try {
    await view.waitForMessage('ready');
    await view.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.inlineRan = "yes";';
      document.body.append(script);
    });
    await view.waitFor(() => view.cspViolations.length > 0, 'a CSP violation');
    assert.equal(view.cspViolations[0]?.directive, 'script-src-elem');
    assert.equal(await view.page.evaluate(() => document.body.dataset.inlineRan), undefined, 'the inline script did not run');
    assert.ok(view.problems().some((line) => line.startsWith('CSP violation: script-src-elem')), view.problems().join('\n'));
  } finally {
    await view.close();
  }
});

test('a stylesheet from an origin the CSP does not name is refused and reported', async () => {
  const view = await harness.open();
  try {
    await view.page.evaluate(() => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = `http://127.0.0.1:${location.port}/chat.css`;
      document.head.append(link);
    });
    await view.waitFor(() => view.cspViolations.some((v) => v.directive === 'style-src-elem'), 'a style-src violation');
  } finally {
    await view.close();
  }
});

test('an exception thrown by the page is reported', async () => {
  const view = await harness.open();
  try {
    await view.page.evaluate(() => {
      setTimeout(() => {
        throw new Error('thrown on purpose');
      });
    });
    await view.waitFor(() => view.pageErrors.some((text) => text.includes('thrown on purpose')), 'the uncaught error');
    assert.ok(view.problems().some((line) => line.includes('thrown on purpose')));
  } finally {
    await view.close();
  }
});

test('post() delivers a host message as a message event whose data is the message', async () => {
  const view = await harness.open();
  try {
    await view.page.evaluate(() => {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        document.body.dataset.received = JSON.stringify(event.data);
      });
    });
    await view.post({ type: 'busy', busy: true, note: 'from the host' });
    assert.equal(await view.page.evaluate(() => document.body.dataset.received), JSON.stringify({ type: 'busy', busy: true, note: 'from the host' }));
  } finally {
    await view.close();
  }
});

test('the fake VS Code API can be acquired once, like the real one', async () => {
  const view = await harness.open();
  try {
    // The page under test has already acquired the API, as every webview page does.
    await view.waitForMessage('ready');
    const secondCall = await view.page.evaluate(() => {
      try {
        (window as unknown as TestWindow).acquireVsCodeApi();
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    });
    assert.match(secondCall, /already been acquired/);
  } finally {
    await view.close();
  }
});

test('state given to setState comes back from getState after the page is reopened', async () => {
  const view = await harness.open({ state: { draft: 'first' } });
  let reopened = view;
  try {
    assert.deepEqual(await view.page.evaluate(() => (window as unknown as TestWindow).__harnessVsCodeApi.getState()), { draft: 'first' });
    await view.page.evaluate(() => (window as unknown as TestWindow).__harnessVsCodeApi.setState({ draft: 'second' }));
    await view.waitFor(() => JSON.stringify(view.state) === '{"draft":"second"}', 'the saved state');
    reopened = await view.reopen();
    assert.deepEqual(await reopened.page.evaluate(() => (window as unknown as TestWindow).__harnessVsCodeApi.getState()), { draft: 'second' });
  } finally {
    await reopened.close();
  }
});

/** What the harness's init script puts on the page's window (functions passed to page.evaluate run there). */
interface TestWindow {
  acquireVsCodeApi(): unknown;
  __harnessVsCodeApi: { getState(): unknown; setState(value: unknown): unknown };
}
