// `sarufi-sandbox` / `npm run sandbox`: the address it may listen on, and --version.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseCliArgs, UsageError } from '../../src/sandbox/cliOptions.js';

const ROOT = join(__dirname, '..', '..');
const ignore = (): void => undefined;

describe('sandbox CLI --host', () => {
  it('accepts loopback addresses only: 127.0.0.1, another 127.x address, ::1 and localhost', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      assert.equal(parseCliArgs(['--host', host], ignore)?.host, host);
    }
  });

  it('refuses any other address with a usage error that names it', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'example.com', 'localhost.']) {
      assert.throws(() => parseCliArgs(['--host', host], ignore), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, new RegExp(`--host must be a loopback address .*"${host.replace(/\./g, '\\.')}"`));
        return true;
      });
    }
  });
});

describe('sandbox CLI --version', () => {
  it('prints the version of package.json, from the sources', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', '--version'], { cwd: ROOT });
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(stdout, `${version}\n`);
  });
});
