// The sandbox CLI's arguments (node:util parseArgs), apart from cli.ts so they can be
// tested without starting a process.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isLoopbackHost } from '../sarufi/loopback.js';
import { FAULT_KINDS } from './faults.js';
import type { FaultKind } from './faults.js';
import { SANDBOX_API_KEY } from './sandboxKeys.js';
import { DEFAULT_TURN_TIMEOUT_MS, MAX_TURN_TIMEOUT_MS, MIN_TURN_TIMEOUT_MS } from './turnBudget.js';
import type { SandboxOptions } from './server.js';

export const DEFAULT_CLI_PORT = 8787;

export const USAGE = `Usage: sarufi-sandbox [options]     (in a clone of the extension: npm run sandbox -- [options])

  --flows <dir>        folder with *.flow.json files (repeatable; default: examples)
  --port <n>           port (default ${DEFAULT_CLI_PORT}; 0 picks a free one)
  --host <addr>        loopback address to listen on: 127.0.0.1 (default), ::1 or localhost
  --key <key>          API key clients must send (default ${SANDBOX_API_KEY})
  --latency <ms>       delay every answer
  --turn-timeout <ms>  stop a turn that keeps the sandbox busy this long (default ${DEFAULT_TURN_TIMEOUT_MS})
  --rate-limits        answer 429 like the real service (reads 1/s, writes 1 per 2 s)
  --faults <rate>      fail this share of requests (0..1)
  --fault-kinds <list> comma-separated: ${FAULT_KINDS.join(',')} (default: all)
  --no-trace           send no sandbox_trace in greetings and replies
  --quiet              do not log requests
  --help               show this text
  --version            print the version`;

export class UsageError extends Error {}

function number(value: string | undefined, name: string, min: number, max: number, integer = false): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed))) {
    throw new UsageError(`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}.`);
  }
  return parsed;
}

/** Null for --help; throws UsageError on anything it cannot use. */
export function parseCliArgs(argv: string[], log: (line: string) => void): SandboxOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        flows: { type: 'string', multiple: true },
        port: { type: 'string' },
        host: { type: 'string' },
        key: { type: 'string' },
        latency: { type: 'string' },
        'turn-timeout': { type: 'string' },
        'rate-limits': { type: 'boolean' },
        faults: { type: 'string' },
        'fault-kinds': { type: 'string' },
        quiet: { type: 'boolean' },
        'no-trace': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    return null;
  }
  // The sandbox answers only requests addressed to this machine (hostHeader.ts), and its key is
  // printed in the terminal: it is a tool for this machine, never a server for the network.
  if (values.host !== undefined && !isLoopbackHost(values.host.includes(':') ? `[${values.host}]` : values.host)) {
    throw new UsageError(`--host must be a loopback address (127.0.0.1, ::1 or localhost), not "${values.host}": the sandbox serves this machine only.`);
  }
  const faultRate = number(values.faults, 'faults', 0, 1);
  const kinds = values['fault-kinds']?.split(',').map((kind) => kind.trim());
  const unknownKind = kinds?.find((kind) => !(FAULT_KINDS as readonly string[]).includes(kind));
  if (unknownKind !== undefined) {
    throw new UsageError(`Unknown fault kind '${unknownKind}'; use ${FAULT_KINDS.join(', ')}.`);
  }
  if (kinds !== undefined && faultRate === undefined) {
    throw new UsageError('--fault-kinds needs --faults <rate>.');
  }
  return {
    flowDirs: (values.flows ?? ['examples']).map((dir) => resolve(dir)),
    port: number(values.port, 'port', 0, 65535, true) ?? DEFAULT_CLI_PORT,
    host: values.host,
    apiKey: values.key,
    latencyMs: number(values.latency, 'latency', 0, 600_000),
    turnTimeoutMs: number(values['turn-timeout'], 'turn-timeout', MIN_TURN_TIMEOUT_MS, MAX_TURN_TIMEOUT_MS, true),
    rateLimits: values['rate-limits'] ?? false,
    faults: faultRate === undefined ? undefined : { rate: faultRate, kinds: kinds as FaultKind[] | undefined },
    log: values.quiet ? undefined : log,
    trace: !values['no-trace'],
  };
}
