// One reader of bot messages: a shape that the panel shows as a message is a shape a flow may
// send, and a shape the panel shows raw is an error in a flow file, at the same field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseMessage } from '../../src/flow/botMessages.js';
import { validateFlow } from '../../src/flow/validator.js';

/** A flow whose state `s` sends `message`, so only the message can be wrong. */
function flowSending(message: unknown) {
  return { states: { s: { message, transitions: { default: 's' } } } };
}

const untitledSection = {
  type: 'list',
  text: 'Pick one',
  button_text: 'Menu',
  sections: [{ rows: [{ id: 'tea', title: 'Tea' }] }],
};

const malformed: { name: string; raw: Record<string, unknown>; field: string }[] = [
  { name: 'a text without text', raw: { type: 'text' }, field: 'text' },
  { name: 'a text whose text is a number', raw: { type: 'text', text: 5 }, field: 'text' },
  { name: 'buttons that are not a list', raw: { type: 'buttons', text: 'x', buttons: 'yes' }, field: 'buttons' },
  { name: 'a button without an id', raw: { type: 'buttons', text: 'x', buttons: [{ title: 'Yes' }] }, field: 'buttons[0].id' },
  { name: 'a list without button_text', raw: { type: 'list', text: 'x', sections: [{ title: 's', rows: [{ id: 'a', title: 'A' }] }] }, field: 'button_text' },
  {
    name: 'a section title that is a number',
    raw: { type: 'list', text: 'x', button_text: 'b', sections: [{ title: 3, rows: [{ id: 'a', title: 'A' }] }] },
    field: 'sections[0].title',
  },
  { name: 'a row without rows', raw: { type: 'list', text: 'x', button_text: 'b', sections: [{ title: 's' }] }, field: 'sections[0].rows' },
  { name: 'an image without media_url', raw: { type: 'image', media_caption: 'c' }, field: 'media_url' },
  { name: 'a document with a list for a filename', raw: { type: 'document', media_url: 'https://e.com/a.pdf', media_filename: [] }, field: 'media_filename' },
];

describe('bot messages: the client and the flow reader agree', () => {
  it('a list section without a title is a list message for the client and valid in a flow', () => {
    assert.deepEqual(normaliseMessage(untitledSection), untitledSection);
    const result = validateFlow(flowSending(untitledSection));
    assert.deepEqual(result.errors, []);
    assert.equal(result.valid, true);
  });

  it('a list of two sections, one untitled, gets the WhatsApp warning on that section', () => {
    const twoSections = { ...untitledSection, sections: [{ title: 'Hot', rows: [{ id: 'tea', title: 'Tea' }] }, { rows: [{ id: 'ice', title: 'Ice' }] }] };
    const { warnings, valid } = validateFlow(flowSending(twoSections));
    assert.equal(valid, true);
    assert.ok(
      warnings.some((warning) => warning.path === 'states.s.message.sections[1]' && /title on every section/.test(warning.message)),
      JSON.stringify(warnings),
    );
  });

  for (const { name, raw, field } of malformed) {
    it(`${name} is raw in the panel and an error at states.s.message.${field} in a flow, naming '${field}' in both`, () => {
      const read = normaliseMessage(raw);
      assert.ok(read.type === 'unknown', `the client read ${JSON.stringify(read)}`);
      assert.ok(read.reason.includes(`'${field}'`), read.reason);
      const { errors } = validateFlow(flowSending(raw));
      const error = errors.find((issue) => issue.path === `states.s.message.${field}`);
      assert.ok(error, JSON.stringify(errors));
      assert.ok(error.message.includes(`'${field}'`), error.message);
    });
  }

  it('an undocumented field is dropped by the client and warned about in a flow', () => {
    const image = { type: 'image', media_url: 'https://e.com/a.png', media_caption: 'A', extra: true };
    assert.deepEqual(normaliseMessage(image), { type: 'image', media_url: 'https://e.com/a.png', media_caption: 'A' });
    const { warnings } = validateFlow(flowSending(image));
    assert.ok(warnings.some((warning) => warning.path === 'states.s.message.extra'), 'the flow reader warns about the field it drops');
  });
});
