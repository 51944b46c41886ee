// A bug report that reproduces itself: one JSON file with what the chat ran (the flow file's
// content hash, its git commit), who talked (the persona), the transcript, the mocks in effect,
// each request as curl, and the chat as a conversation test whose expectations are the replies
// seen. `sarufi-test replay` runs that test again and says where the new run first differs.
// Every known key is scrubbed from the whole file. Pure Node: the extension and the CLI use it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import type { Transcript, TurnEntry } from '../chat/transcript.js';
import { DEFAULT_CONTACT_NAME } from '../flow/engine.js';
import type { MockSet } from '../flow/mocks.js';
import type { Exchange } from '../sarufi/exchange.js';
import type { Persona } from '../sarufi/sandboxExtensions.js';
import { toCurl } from '../sarufi/curl.js';
import { scrubSecrets } from '../sarufi/redaction.js';
import { parseTestFile } from './format.js';
import type { ConversationTest } from './format.js';
import { lastSessionTurns, transcriptToTestYaml } from './fromTranscript.js';
import type { SavedTarget } from './fromTranscript.js';

export const BUG_REPORT_FORMAT = 'sarufi-bug-report';
export const BUG_REPORT_SUFFIX = '.sarufi-bug.json';

export interface FlowIdentity {
  /** As the report's test names it: relative to the report file. */
  file: string;
  sha256: string;
  /** The commit checked out where the flow file is, and whether the file differs from it. */
  git: { commit: string; fileModified: boolean } | null;
}

export interface BugReport {
  format: typeof BUG_REPORT_FORMAT;
  version: 1;
  exportedAt: string;
  chatbot: { id: string; name: string; environment: string; baseUrl: string };
  flow: FlowIdentity | null;
  /** Who the bot talked to: the sandbox chat's persona (its contact name at least); contactName null for a chatbot on a server, which knows its own. */
  persona: Omit<Persona, 'contactName'> & { contactName: string | null };
  mocks: MockSet | null;
  /** The last session, as a conversation test (YAML): what replay runs. */
  test: string;
  /** One curl command per request of the last session; the key is `$SARUFI_API_KEY`. */
  requests: string[];
  transcript: Transcript;
}

/** `pizza-order.sarufi-bug.json` for a sandbox chat with that flow, else from the chatbot's name. */
export function bugReportFileName(flowPath: string | undefined, chatbotName: string): string {
  const base = flowPath === undefined ? chatbotName : basename(flowPath).replace(/\.flow\.json$/, '');
  return `${base.replace(/[^\w.-]+/g, '-')}${BUG_REPORT_SUFFIX}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const run = promisify(execFile);

/** The git commit of the flow file's folder, or null outside a repository (or without git). */
export async function gitIdentity(file: string): Promise<FlowIdentity['git']> {
  try {
    const cwd = dirname(file);
    const { stdout: commit } = await run('git', ['rev-parse', 'HEAD'], { cwd });
    const { stdout: status } = await run('git', ['status', '--porcelain', '--', file], { cwd });
    return { commit: commit.trim(), fileModified: status.trim() !== '' };
  } catch {
    return null;
  }
}

/** The request as one line of curl: the key stays in the environment ($SARUFI_API_KEY), never in the file. */
export function curlOf(exchange: Exchange): string {
  return toCurl(exchange, { oneLine: true });
}

export interface BugReportInput {
  transcript: Transcript;
  /** For a sandbox chat: its flow file, with its path relative to where the report is written. */
  flow: { path: string; fromReport: string } | null;
  mocks: MockSet | null;
  /** Every key that must not appear in the file. */
  secrets: readonly string[];
  now?: Date;
}

export async function buildBugReport(input: BugReportInput): Promise<string> {
  const { transcript } = input;
  const session = transcript.session;
  const target: SavedTarget = input.flow ? { flow: input.flow.fromReport } : { chatbot: session.chatbotId, environment: session.environmentId as 'sarufi' | 'sandbox' | 'custom' };
  let test = transcriptToTestYaml(transcript, target, `Replay of a chat with ${session.chatbotName}`);
  if (input.mocks) {
    // The same format as a test file's own `mocks:`, so the replay answers the same.
    const document = parseDocument(test);
    document.set('strict_mocks', input.mocks.strict);
    document.set('mocks', mocksForYaml(input.mocks));
    test = document.toString({ lineWidth: 0 });
  }
  const flow: FlowIdentity | null = input.flow
    ? { file: input.flow.fromReport, sha256: sha256(readFileSync(input.flow.path, 'utf8')), git: await gitIdentity(input.flow.path) }
    : null;
  const report: BugReport = {
    format: BUG_REPORT_FORMAT,
    version: 1,
    exportedAt: (input.now ?? new Date()).toISOString(),
    chatbot: { id: session.chatbotId, name: session.chatbotName, environment: session.environment, baseUrl: session.baseUrl },
    flow,
    persona: session.environmentId === 'sandbox' ? { ...session.persona, contactName: session.persona?.contactName ?? DEFAULT_CONTACT_NAME } : { contactName: null },
    mocks: input.mocks,
    test,
    requests: lastSessionTurns(transcript).map((turn: TurnEntry) => curlOf(turn.exchange)),
    transcript,
  };
  return `${scrubSecrets(JSON.stringify(report, null, 2), input.secrets)}\n`;
}

function mocksForYaml(mocks: MockSet): Record<string, unknown> {
  const reply = (value: MockSet['urls'][string]) => ({ status: value.status, body: value.body, delay_ms: value.delayMs });
  return {
    ...Object.fromEntries(Object.entries(mocks.integrations).map(([name, paths]) => [name, Object.fromEntries(Object.entries(paths).map(([key, value]) => [key, reply(value)]))])),
    ...Object.fromEntries(Object.entries(mocks.urls).map(([url, value]) => [url, reply(value)])),
  };
}

export interface LoadedBugReport {
  report: BugReport;
  test: ConversationTest;
  /** Null for a chatbot on a server; else whether the flow file now has other content. */
  flowChanged: boolean | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What replay reads of a report, checked, so that a hand-edited or hostile one fails in one line. */
function checkReportShape(value: unknown): string | null {
  if (!isObject(value) || value.format !== BUG_REPORT_FORMAT) {
    return `not a Sarufi bug report (no "format": "${BUG_REPORT_FORMAT}")`;
  }
  const { chatbot, persona, flow, test } = value;
  if (!isObject(chatbot) || typeof chatbot.name !== 'string' || typeof chatbot.baseUrl !== 'string') {
    return '"chatbot" must be an object with a "name" and a "baseUrl"';
  }
  if (!isObject(persona) || !(persona.contactName === null || typeof persona.contactName === 'string')) {
    return '"persona" must be an object whose "contactName" is a text or null';
  }
  if (flow !== null && flow !== undefined) {
    const git = isObject(flow) ? flow.git : undefined;
    if (!isObject(flow) || typeof flow.sha256 !== 'string' || !(git === null || git === undefined || (isObject(git) && typeof git.commit === 'string' && typeof git.fileModified === 'boolean'))) {
      return '"flow" must be null or an object with a "sha256" text and "git" null or {"commit": text, "fileModified": true|false}';
    }
  }
  if (typeof test !== 'string') {
    return '"test" must be the test as YAML text';
  }
  return null;
}

/** Reads a report and its test; the test's flow path is resolved beside the report. */
export function loadBugReport(path: string): LoadedBugReport {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const wrong = checkReportShape(parsed);
  if (wrong !== null) {
    throw new Error(`${path} is ${wrong.startsWith('not ') ? '' : 'not a bug report replay can read: '}${wrong}`);
  }
  const report = parsed as BugReport;
  // Parsed as if it sat beside the report, so its relative flow path resolves from there.
  const test = parseTestFile(report.test, resolve(dirname(path), 'replay.sarufi-test.yaml'));
  let flowChanged: boolean | null = null;
  if (report.flow && test.target.kind === 'flow') {
    let text: string | null = null;
    try {
      text = readFileSync(test.target.flowPath, 'utf8');
    } catch {
      text = null;
    }
    flowChanged = text === null || sha256(text) !== report.flow.sha256;
  }
  return { report, test, flowChanged };
}
