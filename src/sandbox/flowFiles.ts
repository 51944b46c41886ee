// Finding flow files and the sandbox config on disk. The sandbox only reads: it never writes files.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isPlainObject, IssueCollector } from '../flow/flowPaths.js';
import { readIntegrations } from '../flow/flowReader.js';
import type { IntegrationConfig } from '../flow/flowTypes.js';
import { readLlmEndpoint } from '../flow/llmAgent.js';
import type { LlmEndpoint } from '../flow/llmAgent.js';

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

async function walk(dir: string, root: string, found: FlowFolderScan): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    // A folder that vanished or cannot be read holds no flows; the others still count.
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Symbolic links are not followed: a link back up the tree would never end.
    if (entry.isDirectory() && !skipFolder(entry.name)) {
      await walk(path, root, found);
    } else if (entry.isFile() && entry.name.endsWith(FLOW_FILE_SUFFIX)) {
      found.flowFiles.push({ dir: root, file: path, rel: relative(root, path).split(sep).join('/') });
    } else if (entry.isFile() && entry.name === SANDBOX_CONFIG_FILE) {
      found.configFiles.push(path);
    }
  }
}

/** Every `*.flow.json` and sarufi.sandbox.json under the folders (node_modules, dot-folders skipped). */
export async function scanFlowFolders(dirs: readonly string[]): Promise<FlowFolderScan> {
  const found: FlowFolderScan = { flowFiles: [], configFiles: [] };
  for (const dir of dirs) {
    await walk(dir, dir, found);
  }
  const depth = (file: string) => file.split(sep).length;
  found.configFiles.sort((a, b) => depth(a) - depth(b));
  return found;
}

export interface SandboxConfig {
  integrations: Record<string, IntegrationConfig>;
  /** The chat-completions endpoint LLM_AGENT asks, if the author named one. */
  llm: LlmEndpoint | null;
  problems: string[];
}

/** A sarufi.sandbox.json: `{"integrations": {"name": {"baseUrl": "http://…"}}, "llm"?: {"baseUrl", "model"}}`. */
export async function readSandboxConfig(file: string): Promise<SandboxConfig | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { integrations: {}, llm: null, problems: [`not JSON: ${(error as Error).message}`] };
  }
  const issues = new IssueCollector();
  const config = isPlainObject(parsed) ? parsed : {};
  const integrations = readIntegrations(isPlainObject(parsed) ? parsed.integrations : parsed, 'integrations', issues);
  return {
    integrations,
    llm: readLlmEndpoint(config.llm, 'llm', issues),
    problems: issues.errors.map((issue) => `${issue.path}: ${issue.message}`),
  };
}
