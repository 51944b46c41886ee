// `sarufi-test replay <report>`: runs the chat of a bug report again in the sandbox and says where
// the new run first differs. A report is someone else's file: everything it says reaches the
// terminal escaped and with the keys of this machine masked, its flow must be inside the
// report's folder or the working folder, it fills in no environment variable, and a report of
// the wrong shape fails in one line.
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadBugReport } from '../conversationTests/bugReport.js';
import type { LoadedBugReport } from '../conversationTests/bugReport.js';
import { lineDiff } from '../conversationTests/expectations.js';
import { oneLine } from '../flow/oneLine.js';
import { runConversationTests } from '../conversationTests/runner.js';
import { scrubSecrets } from '../sarufi/redaction.js';
import { SANDBOX_API_KEY } from '../sandbox/sandboxKeys.js';

export interface ReplayIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The path with links resolved as far as it exists: `dir/root/x.flow.json` is `/x.flow.json` when `root` links to `/`. */
function realPath(path: string): string {
  const full = resolve(path);
  try {
    return realpathSync(full);
  } catch {
    const parent = dirname(full);
    return parent === full ? full : join(realPath(parent), basename(full));
  }
}

/** The folder itself or one under it, links resolved (a link inside that points out is outside). */
function isWithin(path: string, folder: string): boolean {
  const inside = relative(realPath(folder), realPath(path));
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
}

export async function runReplay(argv: string[], io: ReplayIo, usage: string): Promise<number> {
  const [file, ...rest] = argv;
  if (file === undefined || rest.length > 0) {
    io.err(`sarufi-test: replay takes one bug report file\n\n${usage}`);
    return 2;
  }
  const secrets = [io.env.SARUFI_API_KEY ?? ''].filter((key) => key !== '' && key !== SANDBOX_API_KEY);
  // Every line: what the report or the replayed bot says could hold a key (`{{env.SARUFI_API_KEY}}`).
  const out = (line: string): void => io.out(scrubSecrets(line, secrets));
  const err = (line: string): void => io.err(scrubSecrets(line, secrets));
  const path = resolve(io.cwd, file);
  const rel = (full: string): string => oneLine(relative(io.cwd, full) || full);
  let loaded: LoadedBugReport;
  try {
    loaded = loadBugReport(path);
  } catch (error) {
    err(`sarufi-test: ${rel(path)}: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    return 2;
  }
  const { report, test, flowChanged } = loaded;
  const chatbot = oneLine(report.chatbot.name);
  if (test.target.kind !== 'flow') {
    err(`sarufi-test: ${rel(path)} is a chat with ${chatbot} on ${oneLine(report.chatbot.baseUrl)}: replay runs sandbox chats only`);
    return 2;
  }
  const flowPath = test.target.flowPath;
  // The sandbox walks the flow's folder: a report must not point it at `/` or anywhere else above.
  if (!isWithin(flowPath, dirname(path)) && !isWithin(flowPath, io.cwd)) {
    err(`sarufi-test: ${rel(path)}: its flow ${rel(flowPath)} is outside the report's folder and the working folder: replay runs only flows inside them`);
    return 2;
  }
  const git = report.flow?.git ? `, git ${oneLine(report.flow.git.commit.slice(0, 12))}${report.flow.git.fileModified ? ' with local changes' : ''}` : '';
  const contact = report.persona.contactName;
  out(`Replaying a chat with ${chatbot} (${rel(flowPath)}${git})${contact === null ? '' : ` as ${oneLine(contact)}`}`);
  if (flowChanged) {
    out(`The flow file is not the one of the report (its sha256 was ${oneLine(report.flow?.sha256.slice(0, 12) ?? '?')}…): differences may come from that change.`);
  }
  // No `{{env.NAME}}` is filled: an exported test holds what was typed, never a reference to this
  // machine's environment, and a report's flow could send such a value to a server of its choice.
  const suite = await runConversationTests([test], { sandbox: { flowDirs: [dirname(flowPath)] }, env: {} });
  const result = suite.tests[0];
  const first = result?.steps.find((step) => step.status === 'failed' || step.status === 'error');
  if (!result || !first) {
    out(`Reproduced: all ${result?.steps.length ?? 0} replies are the same as in the report.`);
    return 0;
  }
  out(`The new run first differs at ${first.step.label === 'greeting' ? 'the greeting' : `step ${oneLine(first.step.label)}`}:`);
  for (const failure of first.failures) {
    out(`  ${oneLine(failure)}`);
  }
  if (first.status === 'failed') {
    out('  --- the report\n  +++ this run');
    out(
      lineDiff(first.expected, first.actual)
        .split('\n')
        .map((line) => `  ${oneLine(line)}`)
        .join('\n'),
    );
  }
  return 1;
}
