// The chat-mocks file a sarufi.sandbox.json names is hostile input: it may be a FIFO that never
// answers, /dev/zero, a path out of the flow folders, or a legal 1 MiB YAML. Only a regular file
// under the flow folders (links resolved), at most 1 MiB, is read, and it is parsed once per
// change; anything else is one log line that quotes nothing of the file, and chats run unmocked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Catalog } from '../../src/sandbox/catalog.js';
import { MAX_MOCKS_FILE_BYTES } from '../../src/sandbox/mocksFile.js';
import type { CreateSessionResponse } from '../../src/sarufi/types.js';
import { chatbotIdOf, makeFlowDir, removeTempDirs, sendJson, startRecordingServer, startTestSandbox } from './sandboxTestKit.js';
import type { RecordingServer, TestSandbox } from './sandboxTestKit.js';

const FLOW = {
  name: 'Mocked bot',
  states: { lookup: { actions: [{ type: 'API_CALL', integration: 'orders', path: '/orders/12', save_to: 'order' }], message: 'Order {{variables.order.status}}.' } },
};
const GOOD_MOCKS = 'orders:\n  /orders/*:\n    body: {status: mocked}\n';
/** Text that must never reach a log line: it stands for /etc/passwd's first bytes. */
const PRIVATE = 'root:x:0:0:PRIVATE-LINE';

let backend: RecordingServer;

before(async () => {
  backend = await startRecordingServer((_request, response) => sendJson(response, 200, { status: 'live' }));
});

after(async () => {
  await backend.close();
  await removeTempDirs();
});

async function sandboxNaming(mocks: string, prepare: (dir: string) => Promise<void>): Promise<{ t: TestSandbox; text: string }> {
  const t = await startTestSandbox(
    { 'bot.flow.json': FLOW, 'sarufi.sandbox.json': { integrations: { orders: { baseUrl: backend.url } }, mocks } },
    // The file is prepared before the sandbox starts, so its first walk meets it.
    {},
    prepare,
  );
  const response = await t.api('POST', `/chatbots/${chatbotIdOf(t.sandbox, 'bot.flow.json')}/chat/sessions`);
  assert.equal(response.status, 201, response.text);
  return { t, text: ((response.body as CreateSessionResponse).messages[0] as { text: string }).text };
}

function mocksLines(t: TestSandbox): string[] {
  return t.logs.filter((line) => line.includes('mocks:'));
}

/** One line naming the file and the reason, nothing of the file's content, and an unmocked chat. */
function assertRefused(t: TestSandbox, text: string, reason: RegExp): void {
  assert.equal(text, 'Order live.', 'the chat ran without mocks');
  const lines = mocksLines(t);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0] ?? '', reason);
  assert.match(lines[0] ?? '', /chats run without mocks$/);
  assert.ok(!lines[0]?.includes('\n'), 'one line');
  assert.ok(!t.logs.join('\n').includes('PRIVATE'), t.logs.join('\n'));
}

describe('the chat-mocks file, hostile', () => {
  it('refuses a FIFO without opening it: the sandbox starts, answers, chats unmocked, and uses the mocks once the config is fixed', async () => {
    const { t, text } = await sandboxNaming('pipe.yaml', async (dir) => {
      execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    });
    try {
      assertRefused(t, text, /mocks: cannot use pipe\.yaml \(not a regular file\)/);
      const me = await t.api('GET', '/me');
      assert.equal(me.status, 200, 'a later request is answered too');
      // Fixed: the config names a real file now, and the next chat uses it.
      await writeFile(join(t.dir, 'good.yaml'), GOOD_MOCKS);
      await writeFile(join(t.dir, 'sarufi.sandbox.json'), JSON.stringify({ integrations: { orders: { baseUrl: backend.url } }, mocks: 'good.yaml' }));
      await t.sandbox.reload();
      const fixed = await t.api('POST', `/chatbots/${chatbotIdOf(t.sandbox, 'bot.flow.json')}/chat/sessions`);
      assert.equal(((fixed.body as CreateSessionResponse).messages[0] as { text: string }).text, 'Order mocked.', 'the fixed config is used');
    } finally {
      await t.close();
    }
  });

  it('refuses /dev/zero as outside the flow folders, named directly or through a link in the folder', async () => {
    const direct = await sandboxNaming('/dev/zero', async () => undefined);
    try {
      assertRefused(direct.t, direct.text, /mocks: cannot use \/dev\/zero \(outside the flow folders\)/);
    } finally {
      await direct.t.close();
    }
    const linked = await sandboxNaming('zero.yaml', async (dir) => symlink('/dev/zero', join(dir, 'zero.yaml')));
    try {
      assertRefused(linked.t, linked.text, /mocks: cannot use zero\.yaml \(outside the flow folders\)/);
    } finally {
      await linked.t.close();
    }
  });

  it('refuses a path above the flow folders, and a link that leads there, even to valid mocks, quoting none of the file', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'sarufi-outside-'));
    await writeFile(join(outside, 'passwd.json'), `${PRIVATE}\n`);
    await writeFile(join(outside, 'valid.yaml'), GOOD_MOCKS);
    const above = await sandboxNaming('../../../../../../../../..' + join(outside, 'passwd.json'), async () => undefined);
    try {
      assertRefused(above.t, above.text, /\(outside the flow folders\)/);
    } finally {
      await above.t.close();
    }
    const linked = await sandboxNaming('linked.yaml', async (dir) => symlink(join(outside, 'valid.yaml'), join(dir, 'linked.yaml')));
    try {
      assertRefused(linked.t, linked.text, /mocks: cannot use linked\.yaml \(outside the flow folders\)/);
    } finally {
      await linked.t.close();
    }
  });

  it('refuses a folder, and a file one byte over the bound, in one line each', async () => {
    const folder = await sandboxNaming('mocks', async (dir) => mkdir(join(dir, 'mocks')));
    try {
      assertRefused(folder.t, folder.text, /mocks: cannot use mocks \(not a regular file\)/);
    } finally {
      await folder.t.close();
    }
    const big = await sandboxNaming('big.yaml', async (dir) => writeFile(join(dir, 'big.yaml'), `# ${PRIVATE}\n`.padEnd(MAX_MOCKS_FILE_BYTES + 1, 'x')));
    try {
      assertRefused(big.t, big.text, new RegExp(`mocks: cannot use big\\.yaml \\(${MAX_MOCKS_FILE_BYTES + 1} bytes, more than the ${MAX_MOCKS_FILE_BYTES} the sandbox reads\\)`));
    } finally {
      await big.t.close();
    }
  });

  it('logs a file that is not JSON by its position only, quoting none of it', async () => {
    const { t, text } = await sandboxNaming('broken.json', async (dir) => writeFile(join(dir, 'broken.json'), `{"orders": ${PRIVATE}}`));
    try {
      assertRefused(t, text, /mocks: cannot use broken\.json \(not valid JSON\b[^)]*\)/);
    } finally {
      await t.close();
    }
  });

  it('refuses a file nested deeper than 64 levels without parsing it (the YAML parser would spend seconds failing)', async () => {
    const { t, text } = await sandboxNaming('deep.yaml', async (dir) => writeFile(join(dir, 'deep.yaml'), `orders:\n  /x: ${'['.repeat(500_000)}`));
    try {
      assertRefused(t, text, /mocks: cannot use deep\.yaml \(nested deeper than 64 levels at line 2\)/);
    } finally {
      await t.close();
    }
  });

  it('parses a legal mocks file once per change: walks of an unchanged file reuse it, a change is read again', async () => {
    const dir = await makeFlowDir({
      'bot.flow.json': FLOW,
      'sarufi.sandbox.json': { integrations: { orders: { baseUrl: backend.url } }, mocks: 'mocks.yaml' },
      'mocks.yaml': GOOD_MOCKS,
    });
    const catalog = new Catalog([dir], () => ['orders'], () => undefined);
    await catalog.sync(true);
    const first = catalog.mocks;
    assert.ok(first, 'the mocks were read');
    await catalog.sync(true);
    await catalog.sync(true);
    assert.equal(catalog.mocks, first, 'the same parsed set, not a new parse');
    await writeFile(join(dir, 'mocks.yaml'), GOOD_MOCKS.replace('mocked', 'changed') + '# a change of size too\n');
    await catalog.sync(true);
    assert.notEqual(catalog.mocks, first, 'a changed file is parsed again');
    assert.deepEqual(catalog.mocks?.integrations.orders?.['/orders/*']?.body, { status: 'changed' });
  });
});
