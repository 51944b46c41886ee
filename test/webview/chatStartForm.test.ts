// Chat from here: the start form names the state, prefills the variables as JSON, and Start posts
// them; text that is not a JSON object stays as typed, with what is wrong (and where) in words.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { posted, session, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

const sandbox = session({ environmentId: 'sandbox', environment: 'sandbox', sessionId: null, status: 'starting' });
const startForm = { state: 'confirm_order', variables: { contact_name: '', order: { size: '', count: '' } } };

test('the start form names the state, prefills the variables, hides the input box, and Start posts startAt', async () => {
  await withChat(harness, { session: sandbox, startForm }, async (view) => {
    const form = view.page.getByRole('form', { name: 'Chat from here' });
    assert.equal(await form.locator('.start-title').innerText(), 'Chat from here: the session starts in state confirm_order with these variables.');
    const box = form.getByLabel('Variables (JSON)');
    assert.equal(await box.inputValue(), JSON.stringify(startForm.variables, null, 2));
    assert.equal(await view.page.getByRole('textbox', { name: 'Message' }).count(), 0, 'no input box before the session starts');
    await box.fill('{"contact_name": "Asha", "order": {"size": "large"}}');
    await form.getByRole('button', { name: 'Start' }).click();
    await view.waitForMessage('startAt');
    assert.deepEqual(posted(view, 'startAt'), [{ type: 'startAt', variables: { contact_name: 'Asha', order: { size: 'large' } } }]);
  });
});

test('a JSON error is said with its line and column, the text stays, and nothing is posted', async () => {
  await withChat(harness, { session: sandbox, startForm }, async (view) => {
    const form = view.page.getByRole('form', { name: 'Chat from here' });
    const box = form.getByLabel('Variables (JSON)');
    const broken = '{\n  "contact_name": "Asha"\n  "order": {}\n}';
    await box.fill(broken);
    await form.getByRole('button', { name: 'Start' }).click();
    const error = form.getByRole('alert');
    const message = await error.innerText();
    assert.match(message, /^The variables are not valid JSON \(line 3, column 3\): .+\. Your text is kept: fix it and press Start again\.$/);
    assert.equal(await box.inputValue(), broken, 'the text stays as typed');
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    assert.equal(await box.getAttribute('aria-describedby'), await error.getAttribute('id'));
    assert.deepEqual(posted(view, 'startAt'), []);

    await box.fill('["not", "an object"]');
    await form.getByRole('button', { name: 'Start' }).click();
    assert.equal(await error.innerText(), 'The variables must be a JSON object, such as {"name": "Asha"}. Your text is kept: fix it and press Start again.');
    assert.deepEqual(posted(view, 'startAt'), []);

    await box.fill('{"contact_name": "Asha"}');
    await form.getByRole('button', { name: 'Start' }).click();
    await view.waitForMessage('startAt');
    assert.equal(await error.isVisible(), false, 'the error goes once the text parses');
  });
});

test('the form goes, and the input box comes, when the session opens; without a start form there is none', async () => {
  await withChat(harness, { session: sandbox, startForm }, async (view) => {
    await view.post({ type: 'session', session: { ...sandbox, sessionId: 's-9', status: 'open' } });
    assert.equal(await view.page.getByRole('form', { name: 'Chat from here' }).count(), 0);
    assert.ok(await view.page.getByRole('textbox', { name: 'Message' }).isVisible());
  });
  await withChat(harness, {}, async (view) => {
    assert.ok(await view.page.getByRole('textbox', { name: 'Message' }).isVisible());
    assert.equal(await view.page.getByRole('form', { name: 'Chat from here' }).count(), 0);
  });
});

test('an init sent again (the panel shown again) keeps what the author typed in the form', async () => {
  await withChat(harness, { session: sandbox, startForm }, async (view) => {
    const box = view.page.getByLabel('Variables (JSON)');
    await box.fill('{"contact_name": "Half typed"');
    await view.post({ type: 'init', panelId: 'panel-1', session: sandbox, entries: [], readOnly: false, startForm });
    assert.equal(await box.inputValue(), '{"contact_name": "Half typed"');
  });
});
