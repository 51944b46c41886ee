// The sandbox's chatbots and flows: one chatbot with one published flow per flow file, plus what
// the API creates in memory. The files on disk are the source of truth: a change on disk replaces
// the in-memory copy of that file's flow and publishes it again when it has no errors.
import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FlowDefinition, FlowStatus, FlowType } from '../sarufi/types.js';
import { FLOW_FILE_SUFFIX, readSandboxConfig, scanFlowFolders } from './flowFiles.js';
import type { FlowFileRef } from './flowFiles.js';
import { isRecord } from '../flow/botMessages.js';
import type { FlowModel, IntegrationConfig } from '../flow/flowTypes.js';
import type { LlmEndpoint } from '../flow/llmAgent.js';
import { mergeMocks } from '../flow/mocks.js';
import type { MockSet } from '../flow/mocks.js';
import { stableId } from './ids.js';
import { MocksFileCache } from './mocksFile.js';
import { readBoundedFile } from './boundedFile.js';
import { analyzeFlow } from '../flow/validator.js';

/** A flow file larger than this is not read: its chatbot says why instead. */
export const MAX_FLOW_FILE_BYTES = 1024 * 1024;

/** How long reading one flow file may take: a local file takes milliseconds. */
const FLOW_READ_TIMEOUT_MS = 2000;

/** New flow files show up within this time; edits to known files show up at once. */
export const WALK_INTERVAL_MS = 1000;

export interface FlowRecord {
  id: string;
  chatbotId: string;
  name: string;
  type: FlowType;
  status: FlowStatus;
  /** The working copy that GET returns and PATCH replaces. */
  definition: FlowDefinition;
  /** What new sessions run: a snapshot taken when the flow was published. */
  live: FlowModel | null;
  fromFile: boolean;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface ChatbotRecord {
  id: string;
  name: string;
  description: string;
  category: string;
  createdAt: string;
  updatedAt: string;
  source: FlowFileRef | null;
  /** Why the file's flow is not published (not JSON, or errors), for the 400 on session create. */
  fileProblem: string | null;
  flows: Map<string, FlowRecord>;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function describeErrors(errors: { path: string; message: string }[]): string {
  const shown = errors.slice(0, 3).map((issue) => `${issue.path || '(top level)'}: ${issue.message}`);
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return shown.join('; ') + more;
}

/** Makes `flow` the chatbot's one published flow of its type. */
export function publishFlow(chatbot: ChatbotRecord, flow: FlowRecord, model: FlowModel | null, at: string): void {
  for (const other of chatbot.flows.values()) {
    if (other !== flow && other.type === flow.type && other.status === 'published') {
      other.status = 'draft';
      other.live = null;
    }
  }
  flow.status = 'published';
  flow.live = model;
  flow.publishedAt = at;
}

export class Catalog {
  readonly chatbots = new Map<string, ChatbotRecord>();
  private files: FlowFileRef[] = [];
  private configFiles: string[] = [];
  private walkedAt = Number.NEGATIVE_INFINITY;
  /** Chatbot id → the file's mtime:size:inode when last read. */
  private readonly signatures = new Map<string, string>();
  /** File chatbots deleted through the API stay hidden until their file changes or reload(). */
  private readonly deleted = new Map<string, string>();
  private configIntegrations: Record<string, IntegrationConfig> = {};
  private configLlm: LlmEndpoint | null = null;
  private configMocks: MockSet | null = null;
  /** Each mocks file parsed once per change, not on every walk. */
  private readonly mocksFiles = new MocksFileCache();
  private syncing: Promise<void> | null = null;
  /** Config problems already logged, so a broken file is reported once, not on every walk. */
  private loggedConfigProblems = '';
  private readonly reportedDuplicates = new Set<string>();

  constructor(
    private readonly dirs: readonly string[],
    private readonly knownIntegrations: () => string[],
    private readonly log: (line: string) => void,
  ) {}

  /** Integrations from the sarufi.sandbox.json files under the folders (deeper files win). */
  get integrations(): Record<string, IntegrationConfig> {
    return this.configIntegrations;
  }

  /** The LLM_AGENT endpoint of the deepest sarufi.sandbox.json that names one. */
  get llm(): LlmEndpoint | null {
    return this.configLlm;
  }

  /** The mocks of sandbox chats: every sarufi.sandbox.json's `"mocks"` file, deeper ones layered on top; null when none names one. */
  get mocks(): MockSet | null {
    return this.configMocks;
  }

  /** Brings the catalog up to date with the disk; concurrent callers share one pass. */
  sync(force = false): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.syncOnce(force).finally(() => {
        this.syncing = null;
      });
      return this.syncing;
    }
    return force ? this.syncing.then(() => this.sync(true)) : this.syncing;
  }

  sorted(): ChatbotRecord[] {
    return [...this.chatbots.values()].sort(
      (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id),
    );
  }

  private async syncOnce(force: boolean): Promise<void> {
    const now = performance.now();
    if (force || now - this.walkedAt >= WALK_INTERVAL_MS) {
      ({ flowFiles: this.files, configFiles: this.configFiles } = await scanFlowFolders(this.dirs));
      await this.readConfigs();
      this.walkedAt = now;
    }
    if (force) {
      this.deleted.clear();
    }
    const present = new Set<string>();
    for (const ref of this.files) {
      const id = stableId('chatbot', ref.rel);
      if (present.has(id)) {
        if (!this.reportedDuplicates.has(ref.file)) {
          this.reportedDuplicates.add(ref.file);
          this.log(`Skipped ${ref.file}: another flow folder already has ${ref.rel}.`);
        }
        continue;
      }
      const info = await stat(ref.file).catch(() => null);
      if (!info) {
        continue;
      }
      present.add(id);
      const signature = `${info.mtimeMs}:${info.size}:${info.ino}`;
      const deletedSignature = this.deleted.get(id);
      if (deletedSignature !== undefined) {
        if (deletedSignature === signature) {
          continue;
        }
        this.deleted.delete(id);
      }
      if (!force && this.signatures.get(id) === signature && this.chatbots.has(id)) {
        continue;
      }
      this.signatures.set(id, signature);
      await this.loadFile(id, ref, info);
    }
    for (const [id, chatbot] of this.chatbots) {
      if (chatbot.source && !present.has(id)) {
        this.chatbots.delete(id);
        this.signatures.delete(id);
      }
    }
  }

  private async readConfigs(): Promise<void> {
    const merged: Record<string, IntegrationConfig> = {};
    let llm: LlmEndpoint | null = null;
    let mocks: MockSet | null = null;
    const problems: string[] = [];
    const roots = (await Promise.all(this.dirs.map((dir) => realpath(dir).catch(() => null)))).filter((root) => root !== null);
    const mocksContext = { roots, cache: this.mocksFiles, used: new Set<string>() };
    for (const file of this.configFiles) {
      const config = await readSandboxConfig(file, mocksContext);
      if (config) {
        problems.push(...config.problems.map((problem) => `${file}: ${problem}`));
        Object.assign(merged, config.integrations);
        llm = config.llm ?? llm;
        if (config.mocks) {
          mocks = mocks ? mergeMocks(mocks, config.mocks) : config.mocks;
        }
      }
    }
    this.mocksFiles.keepOnly(mocksContext.used);
    this.configIntegrations = merged;
    this.configLlm = llm;
    this.configMocks = mocks;
    if (problems.join('\n') !== this.loggedConfigProblems) {
      this.loggedConfigProblems = problems.join('\n');
      problems.forEach((problem) => this.log(problem));
    }
  }

  private async loadFile(id: string, ref: FlowFileRef, { mtimeMs, birthtimeMs, size }: Stats): Promise<void> {
    let definition: unknown;
    let problem: string | null = null;
    if (size > MAX_FLOW_FILE_BYTES) {
      problem = `${ref.rel} is ${size} bytes, larger than the ${MAX_FLOW_FILE_BYTES} bytes the sandbox reads from a flow file.`;
    } else {
      // Bounded again on what is opened: the file may have become a FIFO or grown since the walk.
      const found = await readBoundedFile(ref.file, { roots: null, maxBytes: MAX_FLOW_FILE_BYTES, timeoutMs: FLOW_READ_TIMEOUT_MS });
      const text = found.kind === 'found' ? await found.text() : found;
      if (typeof text !== 'string') {
        problem = `${ref.rel} cannot be used (${text.reason}).`;
      } else {
        try {
          definition = JSON.parse(text);
        } catch (error) {
          problem = `${ref.rel} is not valid JSON: ${(error as Error).message}`;
        }
      }
    }
    const metadata = isRecord(definition) ? definition : {};
    const text = (key: string): string | null => (typeof metadata[key] === 'string' ? (metadata[key] as string) : null);
    const name = text('name') ?? basename(ref.file, FLOW_FILE_SUFFIX);
    const createdAt = iso(birthtimeMs > 0 ? Math.min(birthtimeMs, mtimeMs) : mtimeMs);
    const updatedAt = iso(mtimeMs);

    let model: FlowModel | null = null;
    if (problem === null) {
      // Only the errors matter here (warnings are the validate route's): no regex check.
      const analysis = analyzeFlow(definition, { knownIntegrations: this.knownIntegrations() });
      if (analysis.errors.length > 0) {
        problem = `${ref.rel} has errors: ${describeErrors(analysis.errors)}`;
      } else {
        model = analysis.model;
      }
    }
    if (problem !== null) {
      this.log(problem);
    }

    const existing = this.chatbots.get(id);
    const chatbot: ChatbotRecord = existing ?? {
      id,
      name,
      description: '',
      category: 'general',
      createdAt,
      updatedAt,
      source: ref,
      fileProblem: null,
      flows: new Map(),
    };
    Object.assign(chatbot, {
      name,
      description: text('description') ?? `Local flow file ${ref.rel}`,
      category: text('category') ?? 'general',
      updatedAt,
      source: ref,
      fileProblem: problem,
    });
    const flowId = stableId('flow', ref.rel);
    const previous = chatbot.flows.get(flowId);
    const flow: FlowRecord = {
      id: flowId,
      chatbotId: id,
      name,
      type: 'conversation',
      status: 'draft',
      definition: isRecord(definition) ? definition : {},
      live: null,
      fromFile: true,
      createdAt: previous?.createdAt ?? createdAt,
      updatedAt,
      publishedAt: null,
    };
    chatbot.flows.set(flowId, flow);
    if (model) {
      publishFlow(chatbot, flow, model, updatedAt);
    }
    this.chatbots.set(id, chatbot);
  }

  /** Forgets a chatbot; a file's chatbot comes back when the file changes or on reload(). */
  delete(id: string): void {
    const chatbot = this.chatbots.get(id);
    if (chatbot?.source) {
      this.deleted.set(id, this.signatures.get(id) ?? '');
    }
    this.chatbots.delete(id);
  }
}
