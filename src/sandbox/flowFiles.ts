// Finding flow files and the sandbox config on disk. The sandbox only reads: it never writes files.
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { IssueCollector } from '../flow/flowPaths.js';
import { isRecord } from '../flow/botMessages.js';
import { readIntegrations } from '../flow/flowReader.js';
import type { IntegrationConfig } from '../flow/flowTypes.js';
import { readLlmEndpoint } from '../flow/llmAgent.js';
import type { LlmEndpoint } from '../flow/llmAgent.js';
import type { MockSet } from '../flow/mocks.js';
import { readBoundedFile } from './boundedFile.js';
import { readChatMocks } from './mocksFile.js';
import type { MocksFileContext } from './mocksFile.js';

export const FLOW_FILE_SUFFIX = '.flow.json';
export const SANDBOX_CONFIG_FILE = 'sarufi.sandbox.json';

export interface FlowFileRef {
  /** The flow folder it was found under. */
  dir: string;
  file: string;
  /** Relative to `dir`, with `/` separators on every OS: the key of its stable ids. */
  rel: string;
}

function skipFolder(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

export interface FlowFolderScan {
  flowFiles: FlowFileRef[];
  /** Every sarufi.sandbox.json found, shallowest first (so deeper ones win when merged). */
  configFiles: string[];
}

/** Folders below a flow folder that are walked, at most: a deeper tree is a mistake, not flows. */
export const MAX_WALK_DEPTH = 32;

interface Walk {
  root: string;
  found: FlowFolderScan;
  /** Real paths of the folders on the way down: a link back to one of them is a loop. */
  ancestors: Set<string>;
}

/** A directory entry as the walk sees it: symbolic links are followed, to what they point at. */
async function kindOf(path: string, entry: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }): Promise<'dir' | 'file' | null> {
  if (!entry.isSymbolicLink()) {
    return entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : null;
  }
  const target = await stat(path).catch(() => null);
  return target?.isDirectory() ? 'dir' : target?.isFile() ? 'file' : null;
}

async function walk(dir: string, walkState: Walk, depth: number): Promise<void> {
  const real = await realpath(dir).catch(() => null);
  // A link back up the tree (or a tree too deep) would never end.
  if (real === null || walkState.ancestors.has(real) || depth > MAX_WALK_DEPTH) {
    return;
  }
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    // A folder that vanished or cannot be read holds no flows; the others still count.
    return;
  }
  walkState.ancestors.add(real);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const kind = await kindOf(path, entry);
    if (kind === 'dir' && !skipFolder(entry.name)) {
      await walk(path, walkState, depth + 1);
    } else if (kind === 'file' && entry.name.endsWith(FLOW_FILE_SUFFIX)) {
      walkState.found.flowFiles.push({ dir: walkState.root, file: path, rel: relative(walkState.root, path).split(sep).join('/') });
    } else if (kind === 'file' && entry.name === SANDBOX_CONFIG_FILE) {
      walkState.found.configFiles.push(path);
    }
  }
  walkState.ancestors.delete(real);
}

/** Every `*.flow.json` and sarufi.sandbox.json under the folders (node_modules, dot-folders skipped). */
export async function scanFlowFolders(dirs: readonly string[]): Promise<FlowFolderScan> {
  const found: FlowFolderScan = { flowFiles: [], configFiles: [] };
  for (const dir of dirs) {
    await walk(dir, { root: dir, found, ancestors: new Set() }, 0);
  }
  const depth = (file: string) => file.split(sep).length;
  found.configFiles.sort((a, b) => depth(a) - depth(b));
  return found;
}

export interface SandboxConfig {
  integrations: Record<string, IntegrationConfig>;
  /** The chat-completions endpoint LLM_AGENT asks, if the author named one. */
  llm: LlmEndpoint | null;
  /** Canned API_CALL answers for the sandbox's chats, from the file `"mocks"` names; null without one. */
  mocks: MockSet | null;
  problems: string[];
}

/** The largest sarufi.sandbox.json read: a config is a few lines. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
const CONFIG_READ_TIMEOUT_MS = 2000;

/** The `"mocks"` of a config: a file name, relative to the config's folder. */
async function readConfigMocks(configFile: string, named: unknown, context: MocksFileContext, problems: string[]): Promise<MockSet | null> {
  if (named === undefined) {
    return null;
  }
  if (typeof named !== 'string' || named.trim() === '') {
    problems.push('mocks: must name a mocks file (.json, .yaml or .yml) relative to this file');
    return null;
  }
  return readChatMocks(named, resolve(dirname(configFile), named), context, problems);
}

/** A sarufi.sandbox.json: `{"integrations": {"name": {"baseUrl": "http://…"}}, "llm"?: {"baseUrl", "model"}, "mocks"?: "file"}`. */
export async function readSandboxConfig(file: string, mocksContext: MocksFileContext): Promise<SandboxConfig | null> {
  // The walk found a regular file, but it may have been replaced by a FIFO or grown since.
  const found = await readBoundedFile(file, { roots: null, maxBytes: MAX_CONFIG_FILE_BYTES, timeoutMs: CONFIG_READ_TIMEOUT_MS });
  const text = found.kind === 'found' ? await found.text() : found;
  if (typeof text !== 'string') {
    return text.reason === 'no such file' ? null : { integrations: {}, llm: null, mocks: null, problems: [`cannot be used (${text.reason})`] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { integrations: {}, llm: null, mocks: null, problems: [`not JSON: ${(error as Error).message}`] };
  }
  const issues = new IssueCollector();
  const config = isRecord(parsed) ? parsed : {};
  const integrations = readIntegrations(isRecord(parsed) ? parsed.integrations : parsed, 'integrations', issues);
  const llm = readLlmEndpoint(config.llm, 'llm', issues);
  const problems = issues.errors.map((issue) => `${issue.path}: ${issue.message}`);
  const mocks = await readConfigMocks(file, config.mocks, mocksContext, problems);
  return { integrations, llm, mocks, problems };
}
