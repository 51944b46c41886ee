// Flows on a Sarufi server as documents: `sarufi:/<chatbotId>/<flowId>/<name>.flow.json`. Reading
// GETs the flow; saving PATCHes it, after checking that nobody changed it since it was read.
import * as vscode from 'vscode';
import { forSarufi } from '../../flow/sarufiFormat.js';
import { baseOf, flowFileName, flowText, parseFlowText, remoteChangedSince } from '../../flows/remoteFlows.js';
import type { RemoteBase } from '../../flows/remoteFlows.js';
import type { SarufiClient } from '../../sarufi/client.js';
import type { Flow } from '../../sarufi/types.js';
import { EnvironmentClient } from '../clients.js';
import type { Environment, Environments } from '../environments.js';

export const FLOW_SCHEME = 'sarufi';

export interface RemoteFlowRef {
  chatbotId: string;
  flowId: string;
}

export function remoteFlowUri(chatbotId: string, flowId: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: FLOW_SCHEME, path: `/${encodeURIComponent(chatbotId)}/${encodeURIComponent(flowId)}/${flowFileName(name)}` });
}

/** The chatbot and flow a `sarufi:` URI names; undefined for anything else. */
export function parseRemoteFlowUri(uri: vscode.Uri): RemoteFlowRef | undefined {
  if (uri.scheme !== FLOW_SCHEME) {
    return undefined;
  }
  const [chatbotId, flowId, file] = uri.path.split('/').filter((part) => part !== '');
  if (!chatbotId || !flowId || !file?.endsWith('.flow.json')) {
    return undefined;
  }
  return { chatbotId: decodeURIComponent(chatbotId), flowId: decodeURIComponent(flowId) };
}

/** One client per server and key, so that every flow command shares its rate-limit pacing. */
export class RemoteConnection {
  private readonly clients: EnvironmentClient;

  constructor(
    private readonly environments: Environments,
    log: vscode.LogOutputChannel,
  ) {
    this.clients = new EnvironmentClient(environments, log);
  }

  async connect(): Promise<{ client: SarufiClient; environment: Environment }> {
    const { environment, client } = await this.clients.connect();
    if (!client) {
      throw new Error(`No API key is set for ${environment.label}. Run "Sarufi: Set API Key" first.`);
    }
    return { client, environment };
  }

  /**
   * The server a command named for Sarufi (Push Flow to Sarufi) sends to: the selected server,
   * or Sarufi itself when the local sandbox is selected, since the sandbox already runs the
   * workspace's files as they are saved. Throws NoServerError when that server has no key.
   */
  async connectToServer(): Promise<{ client: SarufiClient; environment: Environment }> {
    const selected = await this.environments.selectedId();
    const { environment, client } = await this.clients.connect(selected === 'sandbox' ? 'sarufi' : selected);
    if (!client) {
      throw new NoServerError(environment.label, selected === 'sandbox');
    }
    return { client, environment };
  }
}

/** A command that needs a server found no key for it: the author is offered Set API Key. */
export class NoServerError extends Error {
  constructor(environmentLabel: string, sandboxSelected: boolean) {
    const sandbox = sandboxSelected ? ' The local sandbox needs no push: it runs this file as you save it.' : '';
    super(`No API key is set for ${environmentLabel}, so there is no chatbot to push to.${sandbox}`);
  }
}

/** What the author may do when the server's flow changed since they read it. */
export type ConflictChoice = 'overwrite' | 'cancel';

export async function askAboutConflict(name: string, environment: string, since: 'opened' | 'pulled' | 'never-read'): Promise<ConflictChoice> {
  const message =
    since === 'never-read'
      ? `The flow '${name}' on ${environment} differs from this file. Replace it with this file?`
      : `The flow '${name}' changed on ${environment} since you ${since} it. Overwrite those changes with yours?`;
  const choice = await vscode.window.showWarningMessage(message, { modal: true }, 'Overwrite');
  return choice === 'Overwrite' ? 'overwrite' : 'cancel';
}

export class RemoteFlowFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** The flow as last read or written, per document: the base of the conflict check and of stat. */
  private readonly known = new Map<string, { flow: Flow; base: RemoteBase; size: number }>();
  private readonly flowChanged = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a flow's metadata (status) may have changed: the status bar follows it. */
  readonly onDidChangeFlow = this.flowChanged.event;

  constructor(private readonly connection: RemoteConnection) {}

  /** The flow behind a document, as last read (for its name and draft/published status). */
  flowOf(uri: vscode.Uri): Flow | undefined {
    return this.known.get(uri.toString())?.flow;
  }

  /** Publishing changes the status without changing the text. */
  setStatus(uri: vscode.Uri, status: Flow['status']): void {
    const entry = this.known.get(uri.toString());
    if (entry) {
      entry.flow = { ...entry.flow, status };
      this.flowChanged.fire(uri);
    }
  }

  watch(): vscode.Disposable {
    // Sarufi has no change notifications; conflicts are caught when saving instead.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const ref = parseRemoteFlowUri(uri);
    if (!ref) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    const entry = this.known.get(uri.toString()) ?? (await this.load(uri, ref));
    return {
      type: vscode.FileType.File,
      ctime: Date.parse(entry.flow.created_at) || 0,
      mtime: Date.parse(entry.flow.updated_at ?? entry.flow.created_at) || 0,
      size: entry.size,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const ref = this.refOf(uri);
    const entry = await this.load(uri, ref);
    return new TextEncoder().encode(flowText(entry.flow.flow));
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const ref = this.refOf(uri);
    const parsed = parseFlowText(new TextDecoder().decode(content));
    if (!parsed.ok) {
      throw new vscode.FileSystemError(parsed.message);
    }
    const { client, environment } = await this.connection.connect();
    const remote = await client.getFlow(ref.chatbotId, ref.flowId);
    const base = this.known.get(uri.toString())?.base;
    if (base && remoteChangedSince(base, remote)) {
      const choice = await askAboutConflict(remote.name, environment.label, 'opened');
      if (choice !== 'overwrite') {
        throw new vscode.FileSystemError(`Not saved: the flow '${remote.name}' changed on ${environment.label} since you opened it. Reopen it to see that version.`);
      }
    }
    // Sarufi's format only: the editor's and the sandbox's local keys stay in the document.
    const { definition } = forSarufi(parsed.definition);
    const updated = await client.updateFlow(ref.chatbotId, ref.flowId, { flow: definition });
    // Some answers to PATCH leave the definition out; what was sent is then what is there.
    this.remember(uri, { ...updated, flow: updated.flow ?? definition });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Flows on Sarufi are opened from the Chatbots view; folders cannot be created here.');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Delete flows in the Sarufi dashboard.');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Flows on Sarufi cannot be renamed from the editor.');
  }

  dispose(): void {
    this.changed.dispose();
    this.flowChanged.dispose();
  }

  private refOf(uri: vscode.Uri): RemoteFlowRef {
    const ref = parseRemoteFlowUri(uri);
    if (!ref) {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return ref;
  }

  private async load(uri: vscode.Uri, ref: RemoteFlowRef): Promise<{ flow: Flow; base: RemoteBase; size: number }> {
    const { client } = await this.connection.connect();
    let flow: Flow;
    try {
      flow = await client.getFlow(ref.chatbotId, ref.flowId);
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        throw vscode.FileSystemError.FileNotFound(uri);
      }
      throw error;
    }
    return this.remember(uri, flow);
  }

  private remember(uri: vscode.Uri, flow: Flow): { flow: Flow; base: RemoteBase; size: number } {
    const entry = { flow, base: baseOf(flow), size: new TextEncoder().encode(flowText(flow.flow)).length };
    this.known.set(uri.toString(), entry);
    this.flowChanged.fire(uri);
    return entry;
  }
}
