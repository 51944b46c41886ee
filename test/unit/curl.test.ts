// "Copy as curl" and the bug report's requests are built by one pure function (src/sarufi/curl.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { API_KEY_HEADER, shellQuote, toCurl } from '../../src/sarufi/curl.js';
import { exchange } from '../webview/chatFixtures.js';

test('the curl command reads the key from $SARUFI_API_KEY and never carries the redacted header', () => {
  const command = toCurl(exchange({ requestHeaders: { Authorization: 'Bearer •••', 'content-type': 'application/json' } }));
  assert.ok(command.includes('-H "Authorization: Bearer $SARUFI_API_KEY"'));
  assert.ok(!command.includes('•••'));
  assert.equal(command.match(/authorization/gi)?.length, 1, 'one Authorization header');
});

test('the curl command has the method, URL, headers and JSON body, one option per line', () => {
  const command = toCurl(exchange());
  assert.equal(
    command,
    [
      "curl -X POST 'https://developers.sarufi.io/api/dev/v1/chatbots/bot-1/chat/sessions/s-1/messages'",
      "-H 'content-type: application/json'",
      "-H 'accept: application/json'",
      API_KEY_HEADER,
      `--data-raw '{"message":"hi","message_type":"text","button_id":null}'`,
    ].join(' \\\n  '),
  );
});

test('a request without a body has no --data-raw, and headers curl sets itself are left out', () => {
  const command = toCurl(exchange({ method: 'GET', requestBody: undefined, requestHeaders: { host: 'x', 'content-length': '0', accept: 'application/json' } }));
  assert.ok(!command.includes('--data-raw'));
  assert.ok(!/host:|content-length/i.test(command));
  assert.ok(command.startsWith("curl -X GET '"));
});

test('single quotes and shell syntax in the body are quoted so that the shell runs nothing', () => {
  const command = toCurl(exchange({ requestBody: { message: "it's $(rm -rf ~) `x`" } }));
  assert.ok(command.endsWith(`--data-raw '{"message":"it'\\''s $(rm -rf ~) \`x\`"}'`));
  assert.equal(shellQuote("a'b"), `'a'\\''b'`);
});

test('a request to the local sandbox carries its key, single-quoted, so that the command works as pasted', () => {
  const command = toCurl(exchange({ url: 'http://127.0.0.1:43117/api/dev/v1/chatbots/b/chat/sessions' }), { sandboxKey: "sk-sandbox-ab'c" });
  assert.ok(command.includes(`-H 'Authorization: Bearer sk-sandbox-ab'\\''c'`), command);
  assert.ok(!command.includes('$SARUFI_API_KEY'));
  assert.equal(command.match(/authorization/gi)?.length, 1, 'the redacted header is not copied beside it');
});

test('oneLine writes the command on one line, as the bug report keeps it', () => {
  const command = toCurl(exchange(), { oneLine: true });
  assert.ok(!command.includes('\n'));
  assert.ok(command.startsWith("curl -X POST 'https://developers.sarufi.io/api/dev/v1/chatbots/bot-1/chat/sessions/s-1/messages' -H 'content-type: application/json'"));
});
