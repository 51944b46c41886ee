// `persona:` in a test file: the sandbox session talks to that user, so a flow that greets by
// contact name (and a bug report saved from a persona chat) replays as it ran.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Transcript } from '../../src/chat/transcript.js';
import { parseTestFile, TestFileError } from '../../src/conversationTests/format.js';
import { transcriptToTestYaml } from '../../src/conversationTests/fromTranscript.js';
import { runConversationTests } from '../../src/conversationTests/runner.js';
import { DEFAULT_CONTACT_NAME } from '../../src/flow/engine.js';

const SUPPORT_FLOW = join(__dirname, '..', '..', 'examples', 'support-bot.flow.json');
const at = (name: string) => join(__dirname, '..', '..', 'examples', name);

const greetsAmina = `
target: { flow: support-bot.flow.json }
persona: { contact_name: Amina, user_id: "+255700000001", channel: whatsapp, language: sw }
greeting:
  messages:
    - contains: Habari Amina!
steps: []
`;

describe('persona in conversation tests', () => {
  it('the sandbox session of a test with a persona greets its contact name', async () => {
    const test = parseTestFile(greetsAmina, at('persona.sarufi-test.yaml'));
    assert.deepEqual(test.persona, { contactName: 'Amina', userId: '+255700000001', channel: 'whatsapp', language: 'sw' });
    const suite = await runConversationTests([test], { env: {} });
    assert.equal(suite.tests[0]?.status, 'passed', JSON.stringify(suite.tests[0]?.steps));
    const greeting = suite.tests[0]?.steps[0];
    assert.equal(greeting?.step.kind, 'greeting', 'the step that passed is the greeting');
    assert.equal(greeting?.status, 'passed');
    assert.match(greeting?.actual ?? '', /Habari Amina! I am Duka's support bot/, 'the greeting read names Amina');
  });

  it('without a persona the same test fails: the greeting names the default contact', async () => {
    const test = parseTestFile(greetsAmina.replace(/^persona:.*$/m, ''), at('persona.sarufi-test.yaml'));
    assert.equal(test.persona, null);
    const suite = await runConversationTests([test], { env: {} });
    assert.equal(suite.tests[0]?.status, 'failed');
    const greeting = suite.tests[0]?.steps[0];
    assert.equal(greeting?.step.kind, 'greeting', 'the step that failed is the greeting');
    assert.match(greeting?.actual ?? '', new RegExp(`Habari ${DEFAULT_CONTACT_NAME}! I am Duka's support bot`), 'the greeting read names the default contact');
    assert.match(greeting?.failures.join(' ') ?? '', /Habari Amina!/, 'the failure names the expected text');
  });

  it('a persona on a chatbot of Sarufi is refused at its line: Sarufi takes none', () => {
    const text = 'target: { chatbot: "42", environment: sarufi }\npersona: { contact_name: Amina }\nsteps: []\n';
    assert.throws(() => parseTestFile(text, at('x.sarufi-test.yaml')), (error: unknown) => error instanceof TestFileError && error.line === 1 && /sandbox feature/.test(error.detail));
  });

  it('an unknown persona key is refused, naming the keys it takes', () => {
    const text = 'target: { flow: support-bot.flow.json }\npersona: { phone: "+255" }\nsteps: []\n';
    assert.throws(() => parseTestFile(text, at('x.sarufi-test.yaml')), /unknown key "phone" in persona; expected one of: contact_name, user_id, channel, language/);
  });

  it('a chat saved as a test keeps its persona', () => {
    const transcript: Transcript = {
      version: 1,
      session: { chatbotId: 'support-bot', chatbotName: 'Duka', environmentId: 'sandbox', environment: 'Local sandbox', baseUrl: 'http://127.0.0.1:1/api', sessionId: 's1', createdAt: null, messagesCount: null, expiresAt: null, trail: [], status: 'open', persona: { contactName: 'Amina', channel: 'web' } },
      entries: [{ kind: 'turn', id: 'g', sessionId: 's1', messages: [{ type: 'text', text: 'Habari Amina!' }], currentState: 'start', messagesCount: null, at: '2026-12-04T10:00:00.000Z', durationMs: 1, status: 200, exchange: { method: 'POST', url: 'http://127.0.0.1:1/api', requestHeaders: {}, requestBody: undefined, status: 200, responseHeaders: {}, responseText: '', responseJson: undefined, startedAt: '', durationMs: 1, attempt: 1 } }],
    };
    const yaml = transcriptToTestYaml(transcript, { flow: SUPPORT_FLOW });
    assert.deepEqual(parseTestFile(yaml, at('saved.sarufi-test.yaml')).persona, { contactName: 'Amina', channel: 'web' });
  });
});
