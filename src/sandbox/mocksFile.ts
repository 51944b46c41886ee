// The chat-mocks file a sarufi.sandbox.json names, read as the hostile input it may be: a FIFO that
// never answers, /dev/zero, a link out of the workspace, a legal 1 MiB YAML met on every walk.
// Only a regular file under the flow folders (links resolved) of at most 1 MiB is read, without
// blocking and under a time bound, and it is parsed once per change. Anything else is one problem
// line that names the file as the config spells it and quotes nothing of its content.
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { MAX_JSON_DEPTH, offsetBeyondDepth } from '../flow/jsonDepth.js';
import { readMocksMapping } from '../flow/mocks.js';
import type { MockSet } from '../flow/mocks.js';
import { readBoundedFile } from './boundedFile.js';

/** The largest mocks file read: canned answers, not a data set. */
export const MAX_MOCKS_FILE_BYTES = 1024 * 1024;

/** How long reading one mocks file may take: a local file takes milliseconds. */
export const MOCKS_READ_TIMEOUT_MS = 2000;

/** The longest shape problem logged (it may name a key of the file): one short line, not a dump. */
const MAX_PROBLEM_CHARS = 160;

type Parsed = { mocks: MockSet; problem: null } | { mocks: null; problem: string };

/** What each mocks file parsed to, by real path, with the file signature it was parsed at. */
export class MocksFileCache {
  private readonly entries = new Map<string, { signature: string; parsed: Parsed }>();

  get(real: string, signature: string): Parsed | undefined {
    const entry = this.entries.get(real);
    return entry?.signature === signature ? entry.parsed : undefined;
  }

  set(real: string, signature: string, parsed: Parsed): void {
    this.entries.set(real, { signature, parsed });
  }

  /** Drops the files no config names any more, so the cache holds what is in use only. */
  keepOnly(reals: ReadonlySet<string>): void {
    for (const real of this.entries.keys()) {
      if (!reals.has(real)) {
        this.entries.delete(real);
      }
    }
  }
}

export interface MocksFileContext {
  /** The flow folders' real paths: a mocks file must resolve inside one of them. */
  roots: readonly string[];
  cache: MocksFileCache;
  /** Real paths of the mocks files met in this walk (what the cache keeps). */
  used: Set<string>;
}

/** Where a parse failed, never what the file holds there. */
function parseFailure(error: unknown, yaml: boolean): string {
  if (error instanceof YAMLParseError && error.linePos) {
    return `not valid YAML at line ${error.linePos[0].line}, column ${error.linePos[0].col}`;
  }
  return yaml ? 'not valid YAML' : 'not valid JSON';
}

function parseMocks(text: string, yaml: boolean): Parsed {
  // Brackets nested past the bound cost the YAML parser seconds before it fails: refused unparsed.
  const deep = offsetBeyondDepth(text);
  if (deep !== -1) {
    return { mocks: null, problem: `nested deeper than ${MAX_JSON_DEPTH} levels at line ${text.slice(0, deep).split('\n').length}` };
  }
  let parsed: unknown;
  try {
    parsed = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    return { mocks: null, problem: parseFailure(error, yaml) };
  }
  try {
    // Calls no mock answers still go out: a chat's mocks stand in for the backends that are down.
    return { mocks: { ...readMocksMapping(parsed), strict: false }, problem: null };
  } catch (error) {
    const line = (error as Error).message.replace(/\s+/g, ' ');
    return { mocks: null, problem: line.length > MAX_PROBLEM_CHARS ? `${line.slice(0, MAX_PROBLEM_CHARS - 1)}…` : line };
  }
}

/**
 * The mocks of `file` (`named`, as the config spells it), or null with a problem pushed:
 * `mocks: cannot use <named> (<why>); chats run without mocks`.
 */
export async function readChatMocks(named: string, file: string, context: MocksFileContext, problems: string[]): Promise<MockSet | null> {
  const refuse = (why: string): null => {
    problems.push(`mocks: cannot use ${JSON.stringify(named).slice(1, -1)} (${why}); chats run without mocks`);
    return null;
  };
  const read = await readBoundedFile(file, { roots: context.roots, maxBytes: MAX_MOCKS_FILE_BYTES, timeoutMs: MOCKS_READ_TIMEOUT_MS });
  if (read.kind === 'refused') {
    return refuse(read.reason);
  }
  context.used.add(read.real);
  let parsed = context.cache.get(read.real, read.signature);
  if (parsed === undefined) {
    const text = await read.text();
    if (typeof text !== 'string') {
      return refuse(text.reason);
    }
    parsed = parseMocks(text, /\.ya?ml$/i.test(read.real));
    context.cache.set(read.real, read.signature, parsed);
  }
  return parsed.mocks ?? refuse(parsed.problem);
}
