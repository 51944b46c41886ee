// The commands on flows that live on a Sarufi server: open, validate (problems into the Problems
// panel), publish (after confirmation), pull into a workspace file, push a workspace file.
import * as vscode from 'vscode';
import { forSarufi } from '../../flow/sarufiFormat.js';
import type { FlowKeyNote } from '../../flow/sarufiFormat.js';
import { baseOf, definitionHash, flowFileName, flowText, parseFlowText, remoteChangedSince } from '../../flows/remoteFlows.js';
import type { RemoteBase } from '../../flows/remoteFlows.js';
import { collectAll } from '../../sarufi/client.js';
import type { FlowSummary, PublishResult, ValidationResult } from '../../sarufi/types.js';
import { askAboutConflict, NoServerError, parseRemoteFlowUri, remoteFlowUri } from './remoteFlowFs.js';
import type { RemoteConnection, RemoteFlowFileSystem, RemoteFlowRef } from './remoteFlowFs.js';
import { toDiagnostic } from './vscodeRanges.js';

/** A flow node of the Chatbots view (its shape in chatbotsView.ts), or what a script passes. */
export interface FlowNodeLike {
  chatbotId: string;
  flow?: FlowSummary;
  flowId?: string;
  name?: string;
  /** A flow of the local sandbox (the Chatbots view on the sandbox). */
  sandbox?: boolean;
}

export interface RemoteFlowDeps {
  connection: RemoteConnection;
  /** The workspace file a local sandbox chatbot runs. */
  sandboxFlowFile: (chatbotId: string) => Promise<string | undefined>;
  fs: RemoteFlowFileSystem;
  /** Where pulled files remember which flow they came from (the base of push's conflict check). */
  workspaceState: vscode.Memento;
  log: vscode.LogOutputChannel;
}

const LINKS_KEY = 'sarufi.flowLinks';

export type PushOutcome =
  | { status: 'pushed'; flowId: string; /** Paths of the local-only keys that were not sent. */ removed: string[] }
  | { status: 'conflict' | 'cancelled' | 'failed'; message: string };

export interface PushOptions {
  chatbotId?: string;
  flowId?: string;
  onConflict?: 'ask' | 'overwrite' | 'cancel';
  /** What to do when the flow uses keys only the sandbox defines; scripts answer 'send' or 'cancel'. */
  sandboxSpellings?: 'ask' | 'send' | 'cancel';
}

const LISTED_SPELLINGS = 8;

/** Tells the author which keys Sarufi may read differently, and where; true to push anyway. */
async function confirmSandboxSpellings(spellings: FlowKeyNote[], decision: 'ask' | 'send' | 'cancel'): Promise<boolean> {
  if (spellings.length === 0 || decision === 'send') {
    return true;
  }
  if (decision === 'cancel') {
    return false;
  }
  const listed = spellings.slice(0, LISTED_SPELLINGS).map((note) => `• ${note.path}: ${note.why}`);
  const more = spellings.length > LISTED_SPELLINGS ? [`…and ${spellings.length - LISTED_SPELLINGS} more.`] : [];
  const choice = await vscode.window.showWarningMessage(
    `This flow uses ${spellings.length} key(s) whose spelling only the local sandbox defines; Sarufi may read them differently.`,
    { modal: true, detail: [...listed, ...more, '', "Sarufi's Validate is the judge of a flow it will run."].join('\n') },
    'Push Anyway',
  );
  return choice === 'Push Anyway';
}

export class RemoteFlowCommands implements vscode.Disposable {
  /** Sarufi's own verdict, kept apart from the sandbox's live problems. */
  readonly remoteProblems = vscode.languages.createDiagnosticCollection('sarufi-validate');
  private readonly status = vscode.window.createStatusBarItem('sarufi.remoteFlow', vscode.StatusBarAlignment.Left, 49);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: RemoteFlowDeps) {
    this.status.name = 'Sarufi flow status';
    this.disposables.push(
      this.remoteProblems,
      this.status,
      // Sarufi judged the saved text; once the author edits, its ranges no longer match.
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) {
          this.remoteProblems.delete(event.document.uri);
        }
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
      deps.fs.onDidChangeFlow(() => this.updateStatus()),
    );
  }

  async open(node: FlowNodeLike | undefined): Promise<vscode.TextEditor | undefined> {
    const ref = refOfNode(node);
    if (!ref || !node) {
      void vscode.window.showWarningMessage('Open Flow works on a flow of the Chatbots view.');
      return undefined;
    }
    if (node.sandbox) {
      // The local sandbox runs a workspace file: that file is the flow, not a copy of it.
      const file = await this.deps.sandboxFlowFile(ref.chatbotId);
      if (!file) {
        void vscode.window.showWarningMessage(`The local sandbox no longer has the flow '${node.flow?.name ?? ref.flowId}': its file was moved or deleted. Refresh the Chatbots view.`);
        return undefined;
      }
      return vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    }
    const uri = remoteFlowUri(ref.chatbotId, ref.flowId, node.flow?.name ?? node.name ?? ref.flowId);
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      return await vscode.window.showTextDocument(document, { preview: false });
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not open the flow: ${messageOf(error)}`);
      return undefined;
    }
  }

  /** Validates the saved flow on the server; its issues go to the Problems panel on their ranges. */
  async validate(target: FlowNodeLike | vscode.Uri | undefined): Promise<ValidationResult | undefined> {
    const uri = await this.documentUriOf(target);
    const ref = uri ? parseRemoteFlowUri(uri) : undefined;
    if (!uri || !ref) {
      void vscode.window.showWarningMessage('Validate on Sarufi works on a flow opened from the Chatbots view.');
      return undefined;
    }
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      if (document.isDirty) {
        // Sarufi validates what it has: send the author's version first.
        await document.save();
      }
      const { client, environment } = await this.deps.connection.connect();
      const result = await client.validateFlow(ref.chatbotId, ref.flowId);
      const { FlowDocument, placeIssues } = await import('../../lazy/flowEditing.js');
      const problems = placeIssues(new FlowDocument(document.getText()), result);
      this.remoteProblems.set(uri, problems.map((problem) => toDiagnostic(problem, 'Sarufi')));
      const summary = `${result.errors.length} error${result.errors.length === 1 ? '' : 's'}, ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}`;
      if (result.valid) {
        void vscode.window.showInformationMessage(`${environment.label} says the flow is valid (${summary}).`);
      } else {
        void vscode.window.showWarningMessage(`${environment.label} found problems in the flow (${summary}); see the Problems panel.`, 'Show Problems').then((choice) =>
          choice ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined,
        );
      }
      return result;
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not validate the flow: ${messageOf(error)}`);
      return undefined;
    }
  }

  /** Publishes after the author confirms (scripts may pass `{confirmed: true}`). */
  async publish(target: FlowNodeLike | vscode.Uri | undefined, options: { confirmed?: boolean } = {}): Promise<PublishResult | undefined> {
    const uri = await this.documentUriOf(target);
    const ref = uri ? parseRemoteFlowUri(uri) : refOfNode(target instanceof vscode.Uri ? undefined : target);
    if (!ref) {
      void vscode.window.showWarningMessage('Publish works on a flow of the Chatbots view or one opened from it.');
      return undefined;
    }
    const name = (uri ? this.deps.fs.flowOf(uri)?.name : undefined) ?? (target instanceof vscode.Uri ? undefined : (target?.flow?.name ?? target?.name)) ?? ref.flowId;
    try {
      const { client, environment } = await this.deps.connection.connect();
      if (uri) {
        const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
        if (document?.isDirty) {
          await document.save();
        }
      }
      if (!options.confirmed) {
        const choice = await vscode.window.showWarningMessage(
          `Publish the flow '${name}' on ${environment.label}?`,
          { modal: true, detail: 'It replaces the live version that users talk to now.' },
          'Publish',
        );
        if (choice !== 'Publish') {
          return undefined;
        }
      }
      const result = await client.publishFlow(ref.chatbotId, ref.flowId);
      if (uri) {
        this.deps.fs.setStatus(uri, 'published');
      }
      void vscode.window.showInformationMessage(`Published '${name}' on ${environment.label} at ${new Date(result.published_at).toLocaleString()}.`);
      void vscode.commands.executeCommand('sarufi.refreshChatbots').then(undefined, () => undefined);
      return result;
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not publish '${name}': ${messageOf(error)}`);
      return undefined;
    }
  }

  /** Writes a remote flow into a workspace file and remembers where it came from. */
  async pull(node: FlowNodeLike | undefined, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const ref = refOfNode(node);
    if (!ref) {
      void vscode.window.showWarningMessage('Pull works on a flow of the Chatbots view.');
      return undefined;
    }
    try {
      const { client } = await this.deps.connection.connect();
      const flow = await client.getFlow(ref.chatbotId, ref.flowId);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const file =
        target ??
        (await vscode.window.showSaveDialog({
          title: `Pull '${flow.name}' into the workspace`,
          filters: { 'Sarufi flow': ['flow.json'] },
          ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, flowFileName(flow.name)) } : {}),
        }));
      if (!file) {
        return undefined;
      }
      const text = flowText(flow.flow);
      const existing = await readText(file);
      if (existing !== undefined && existing !== text && target === undefined) {
        // The save dialog already asked about replacing the file itself; this says what is lost.
        const choice = await vscode.window.showWarningMessage(
          `${vscode.workspace.asRelativePath(file)} differs from the flow on the server. Replace its content?`,
          { modal: true },
          'Replace',
        );
        if (choice !== 'Replace') {
          return undefined;
        }
      }
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
      await this.link(file, baseOf(flow));
      void vscode.window.showInformationMessage(`Pulled '${flow.name}' into ${vscode.workspace.asRelativePath(file)}.`);
      return file;
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not pull the flow: ${messageOf(error)}`);
      return undefined;
    }
  }

  /**
   * Sends a workspace file to a flow (the one it was pulled from, or one the author picks). When
   * the server's flow changed since the pull, or was never pulled and differs, the author decides;
   * `onConflict` answers for scripts.
   */
  async push(
    uri: vscode.Uri | undefined,
    options: PushOptions = {},
  ): Promise<PushOutcome> {
    const file = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!file || !file.path.endsWith('.flow.json') || file.scheme !== 'file') {
      void vscode.window.showWarningMessage('Push works on a *.flow.json file of the workspace.');
      return { status: 'failed', message: 'not a flow file' };
    }
    try {
      const document = await vscode.workspace.openTextDocument(file);
      if (document.isDirty) {
        await document.save();
      }
      const parsed = parseFlowText(document.getText());
      if (!parsed.ok) {
        void vscode.window.showErrorMessage(parsed.message);
        return { status: 'failed', message: parsed.message };
      }
      const outgoing = forSarufi(parsed.definition);
      if (!(await confirmSandboxSpellings(outgoing.sandboxSpellings, options.sandboxSpellings ?? 'ask'))) {
        return { status: 'cancelled', message: 'the flow uses spellings only the sandbox defines' };
      }
      const link = this.links()[file.toString()];
      const ref = options.chatbotId && options.flowId ? { chatbotId: options.chatbotId, flowId: options.flowId } : (link ?? (await this.pickFlow()));
      if (!ref) {
        return { status: 'cancelled', message: 'no flow picked' };
      }
      const { client, environment } = await this.deps.connection.connectToServer();
      const remote = await client.getFlow(ref.chatbotId, ref.flowId);
      const base = link && link.chatbotId === ref.chatbotId && link.flowId === ref.flowId ? link : undefined;
      const conflict = base ? remoteChangedSince(base, remote) : definitionHash(remote.flow) !== definitionHash(outgoing.definition);
      if (conflict) {
        const decision = options.onConflict ?? 'ask';
        const choice = decision === 'ask' ? await askAboutConflict(remote.name, environment.label, base ? 'pulled' : 'never-read') : decision;
        if (choice !== 'overwrite') {
          const message = `Not pushed: the flow '${remote.name}' on ${environment.label} ${base ? 'changed since you pulled it' : 'differs from this file'}.`;
          if (decision !== 'ask') {
            void vscode.window.showWarningMessage(message);
          }
          return { status: 'conflict', message };
        }
      }
      const updated = await client.updateFlow(ref.chatbotId, ref.flowId, { flow: outgoing.definition });
      await this.link(file, baseOf({ ...updated, flow: updated.flow ?? outgoing.definition }));
      const kept = outgoing.removed.length === 0 ? '' : ` Kept on this machine: ${outgoing.removed.map((note) => note.path).join(', ')}.`;
      void vscode.window.showInformationMessage(`Pushed ${vscode.workspace.asRelativePath(file)} to '${remote.name}' on ${environment.label}. Publish it to make it live.${kept}`);
      return { status: 'pushed', flowId: ref.flowId, removed: outgoing.removed.map((note) => note.path) };
    } catch (error) {
      const message = messageOf(error);
      if (error instanceof NoServerError) {
        void vscode.window.showWarningMessage(message, 'Set API Key').then((choice) => choice && vscode.commands.executeCommand('sarufi.setApiKey'));
      } else {
        void vscode.window.showErrorMessage(`Could not push the flow: ${message}`);
      }
      return { status: 'failed', message };
    }
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  private links(): Record<string, RemoteBase> {
    return this.deps.workspaceState.get<Record<string, RemoteBase>>(LINKS_KEY) ?? {};
  }

  private async link(file: vscode.Uri, base: RemoteBase): Promise<void> {
    await this.deps.workspaceState.update(LINKS_KEY, { ...this.links(), [file.toString()]: base });
  }

  private async pickFlow(): Promise<RemoteFlowRef | undefined> {
    const { client, environment } = await this.deps.connection.connectToServer();
    const chatbots = await collectAll(client.allChatbots());
    const chatbot = await vscode.window.showQuickPick(
      chatbots.map((bot) => ({ label: bot.name, description: bot.id, id: bot.id })),
      { title: `Push to which chatbot on ${environment.label}?`, matchOnDescription: true },
    );
    if (!chatbot) {
      return undefined;
    }
    const flows = await client.listFlows(chatbot.id);
    const flow = await vscode.window.showQuickPick(
      flows.items.map((item) => ({ label: item.name, description: `${item.type} · ${item.status}`, id: item.id })),
      { title: `Push to which flow of ${chatbot.label}?` },
    );
    return flow ? { chatbotId: chatbot.id, flowId: flow.id } : undefined;
  }

  /** The `sarufi:` document a command is about: the node's flow, a URI, or the active editor. */
  private async documentUriOf(target: FlowNodeLike | vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
    if (target instanceof vscode.Uri) {
      return target;
    }
    const ref = refOfNode(target);
    if (ref && target) {
      return remoteFlowUri(ref.chatbotId, ref.flowId, target.flow?.name ?? target.name ?? ref.flowId);
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    return active && parseRemoteFlowUri(active) ? active : undefined;
  }

  private updateStatus(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const flow = uri && parseRemoteFlowUri(uri) ? this.deps.fs.flowOf(uri) : undefined;
    if (!flow) {
      this.status.hide();
      return;
    }
    this.status.text = `${flow.status === 'published' ? '$(cloud)' : '$(edit)'} ${flow.name}: ${flow.status}`;
    this.status.tooltip = `The flow '${flow.name}' is ${flow.status} on Sarufi${flow.published_at ? ` (published ${flow.published_at})` : ''}. Saving sends your edits; Publish makes them live.`;
    this.status.show();
  }
}

function refOfNode(node: FlowNodeLike | undefined): RemoteFlowRef | undefined {
  const flowId = node?.flow?.id ?? node?.flowId;
  return node?.chatbotId && flowId ? { chatbotId: node.chatbotId, flowId } : undefined;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** SarufiError and Error messages are written for people; anything else is stringified. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
