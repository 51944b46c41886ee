// Helpers for the sandbox, engine and validator tests: temporary flow folders, a movable clock,
// a sandbox with a plain-fetch API caller, and a local HTTP server that records what it gets.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startSandbox } from '../../src/sandbox/server.js';
import type { RunningSandbox, SandboxOptions } from '../../src/sandbox/server.js';

/** Files to write: objects become JSON, strings are written as they are. */
export type FileSet = Record<string, unknown>;

const tempDirs: string[] = [];

export async function makeFlowDir(files: FileSet): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sarufi-sandbox-test-'));
  tempDirs.push(dir);
  await writeFiles(dir, files);
  return dir;
}

export async function writeFiles(dir: string, files: FileSet): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2026, 6, 1, 9, 0, 0)): FakeClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when it is not JSON. */
  body: unknown;
}

export interface ApiCallOptions {
  body?: unknown;
  rawBody?: string;
  /** null sends no Authorization header; a string sends that key instead. */
  key?: string | null;
}

export type Api = (method: string, path: string, options?: ApiCallOptions) => Promise<ApiResponse>;

export function apiFor(baseUrl: string, apiKey: string): Api {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const key = options.key === undefined ? apiKey : options.key;
    if (key !== null) {
      headers.Authorization = `Bearer ${key}`;
    }
    let body: string | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(baseUrl + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  };
}

export interface TestSandbox {
  sandbox: RunningSandbox;
  api: Api;
  logs: string[];
  dir: string;
  close(): Promise<void>;
}

export async function startTestSandbox(
  files: FileSet,
  options: Partial<SandboxOptions> = {},
  /** Runs on the folder before the sandbox starts: for what FileSet cannot write (FIFOs, links). */
  prepare?: (dir: string) => Promise<void>,
): Promise<TestSandbox> {
  const dir = await makeFlowDir(files);
  await prepare?.(dir);
  const logs: string[] = [];
  const sandbox = await startSandbox({ flowDirs: [dir], log: (line) => logs.push(line), ...options });
  return { sandbox, api: apiFor(sandbox.baseUrl, sandbox.apiKey), logs, dir, close: () => sandbox.close() };
}

/** The id of the chatbot whose flow file name ends with `fileName`. */
export function chatbotIdOf(sandbox: RunningSandbox, fileName: string): string {
  const chatbot = sandbox.chatbots().find((candidate) => candidate.file?.endsWith(fileName));
  if (!chatbot) {
    throw new Error(`No chatbot for ${fileName}`);
  }
  return chatbot.id;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type RecordingHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

/** A local HTTP server for API_CALL tests: records each request, then lets `handler` answer. */
export async function startRecordingServer(handler: RecordingHandler): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const recorded: RecordedRequest = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body };
      requests.push(recorded);
      void Promise.resolve(handler(recorded, response)).catch(() => response.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** A port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
