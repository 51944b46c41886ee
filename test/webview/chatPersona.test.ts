// The persona form: on a sandbox session it posts setPersona with the fields filled in (empty ones
// left to the sandbox's defaults) and shows the session's persona; elsewhere the page says that
// personas are a sandbox feature, and a read-only transcript offers none.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { posted, session, text, turn, withChat } from './chatFixtures.js';
import { startWebviewHarness, type WebviewHarness } from './harness.js';

let harness: WebviewHarness;

before(async () => {
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

const sandbox = session({ environmentId: 'sandbox', environment: 'sandbox' });

test('on a sandbox session the persona form posts setPersona with the fields filled in', async () => {
  await withChat(harness, { session: sandbox, entries: [turn('t1', [text('Hi')])] }, async (view) => {
    const toggle = view.page.getByRole('button', { name: 'Persona…' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await view.page.getByRole('form', { name: 'Persona' }).count(), 0, 'closed until asked');
    await toggle.click();
    const form = view.page.getByRole('form', { name: 'Persona' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await view.page.evaluate(() => document.activeElement?.closest('label')?.textContent), 'Contact name', 'focus goes to the first field');
    await form.getByLabel('Contact name').fill('Asha');
    await form.getByLabel('User id or phone').fill('+255700000001');
    await form.getByLabel('Channel').selectOption('whatsapp');
    await form.getByRole('button', { name: 'Start a session as this persona' }).click();
    await view.waitForMessage('setPersona');
    assert.deepEqual(posted(view, 'setPersona'), [{ type: 'setPersona', persona: { channel: 'whatsapp', contactName: 'Asha', userId: '+255700000001' } }]);
    assert.equal(await form.isVisible(), false, 'the form closes once sent');
    assert.equal(await view.page.getByText(/Personas are a sandbox feature/).isVisible(), false);
  });
});

test('the form shows the persona the session has', async () => {
  const persona = { contactName: 'Juma', userId: 'u-7', channel: 'ussd', language: 'sw' };
  await withChat(harness, { session: { ...sandbox, persona } }, async (view) => {
    await view.page.getByRole('button', { name: 'Persona…' }).click();
    const form = view.page.getByRole('form', { name: 'Persona' });
    assert.equal(await form.getByLabel('Contact name').inputValue(), 'Juma');
    assert.equal(await form.getByLabel('User id or phone').inputValue(), 'u-7');
    assert.equal(await form.getByLabel('Channel').inputValue(), 'ussd');
    assert.equal(await form.getByLabel('Language').inputValue(), 'sw');
    await form.getByRole('button', { name: 'Start a session as this persona' }).click();
    await view.waitForMessage('setPersona');
    assert.deepEqual(posted(view, 'setPersona'), [{ type: 'setPersona', persona }]);
  });
});

test('on Sarufi there is no persona form, and the page says personas are a sandbox feature', async () => {
  await withChat(harness, { entries: [turn('t1', [text('Hi')])] }, async (view) => {
    assert.equal(await view.page.getByRole('button', { name: 'Persona…' }).count(), 0);
    assert.ok(await view.page.getByText(/^Personas are a sandbox feature/).isVisible());
  });
});

test('a read-only sandbox transcript offers no persona', async () => {
  await withChat(harness, { session: sandbox, readOnly: true, entries: [turn('t1', [text('Hi')])] }, async (view) => {
    assert.ok(await view.page.getByText('Hi', { exact: true }).isVisible());
    assert.equal(await view.page.getByRole('button', { name: 'Persona…' }).count(), 0);
  });
});
