import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_CLI_PORT, parseCliArgs, UsageError } from '../../src/sandbox/cliOptions.js';
import { makeFlowDir, removeTempDirs } from './sandboxTestKit.js';

const ROOT = join(__dirname, '..', '..');
const ignore = (): void => undefined;

after(removeTempDirs);

describe('sandbox CLI', () => {
  it('prints its base URL and key, serves the flows, and stops cleanly on SIGINT', async () => {
    const dir = await makeFlowDir({ 'hi.flow.json': { name: 'Hi bot', states: { s: { message: 'Hi' } } } });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', '--flows', dir, '--port', '0', '--key', 'sk-cli-test-key-1234'], { cwd: ROOT });
    let output = '';
    let logs = '';
    child.stderr.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
    });
    try {
      const banner = await new Promise<RegExpExecArray>((resolveBanner, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening at (http:\/\/127\.0\.0\.1:\d+\/api\/dev\/v1)\n[^]*API key: sk-cli-test-key-1234\n[^]*Hi bot/.exec(output);
          if (match) {
            resolveBanner(match);
          }
        });
        child.once('exit', () => reject(new Error(`exited early: ${output}${logs}`)));
      });
      const response = await fetch(`${banner[1]}/chatbots`, { headers: { Authorization: 'Bearer sk-cli-test-key-1234' } });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { total: number }).total, 1);
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0);
      assert.match(output, /Sandbox stopped\.\n$/);
      assert.match(logs, /\[sandbox\] GET \/api\/dev\/v1\/chatbots 200/, 'requests are logged to stderr');
      assert.ok(!logs.includes('sk-cli-test-key-1234'), 'the log never holds the key');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('parses every option', () => {
    const options = parseCliArgs(
      ['--flows', 'a', '--flows', 'b', '--port', '9000', '--host', '::1', '--key', 'k', '--latency', '50', '--turn-timeout', '500', '--rate-limits', '--faults', '0.25', '--fault-kinds', '500,drop', '--quiet', '--no-trace'],
      ignore,
    );
    assert.ok(options);
    const { log, ...rest } = options;
    assert.equal(log, undefined, '--quiet');
    assert.deepEqual(rest, {
      flowDirs: [resolve('a'), resolve('b')],
      port: 9000,
      host: '::1',
      apiKey: 'k',
      latencyMs: 50,
      turnTimeoutMs: 500,
      rateLimits: true,
      faults: { rate: 0.25, kinds: ['500', 'drop'] },
      trace: false,
    });
  });

  it('defaults to the examples folder on port 8787, logging requests', () => {
    const options = parseCliArgs([], ignore);
    assert.deepEqual(options?.flowDirs, [resolve('examples')]);
    assert.equal(options?.port, DEFAULT_CLI_PORT);
    assert.equal(DEFAULT_CLI_PORT, 8787);
    assert.equal(options?.log, ignore);
    assert.equal(options?.faults, undefined);
    assert.equal(options?.trace, true, 'the trace is on unless --no-trace');
    assert.equal(parseCliArgs(['--help'], ignore), null);
  });

  it('refuses bad arguments with a UsageError', () => {
    for (const [args, message] of [
      [['--faults', '2'], /--faults must be a number from 0 to 1/],
      [['--port', '80.5'], /--port must be a whole number/],
      [['--port', ''], /--port must be/],
      [['--latency=-1'], /--latency must be/],
      [['--faults', '0.1', '--fault-kinds', '500,teapot'], /Unknown fault kind 'teapot'/],
      [['--fault-kinds', '500'], /needs --faults/],
      [['--flow', 'x'], /Unknown option '--flow'/],
      [['extra'], /positional/],
    ] as const) {
      assert.throws(() => parseCliArgs([...args], ignore), (error: unknown) => error instanceof UsageError && message.test(error.message), args.join(' '));
    }
  });
});
