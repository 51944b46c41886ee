// One chat panel: a webview that shows one ChatSession. The host owns the session and the
// transcript; the page only renders what it is sent and reports what the author does.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ChatSession } from '../chat/chatSession.js';
import type { ChatApi } from '../chat/chatSession.js';
import { entryTrace } from '../chat/entryTrace.js';
import { forkDivider, planFork, replayInputs } from '../chat/fork.js';
import type { ForkPlan } from '../chat/fork.js';
import { panelTitle, personaLabel } from '../chat/panelTitle.js';
import { planResume, resumedNotice } from '../chat/resume.js';
import type { PanelOrigin, Transcript, TranscriptEntry, UserInput } from '../chat/transcript.js';
import type { TranscriptStore } from '../chat/transcriptStore.js';
import { shownEntry, shownWindow } from '../chat/shownEntry.js';
import type { BusyState, HostToWebview, ReplayProgress, SendState, StartForm, WebviewToHost } from '../protocol.js';
import type { GenericMessage } from '../flow/botMessages.js';
import type { Persona } from '../sarufi/sandboxExtensions.js';
import { sandboxRestartedError } from '../sarufi/errors.js';
import { toCurl } from '../sarufi/curl.js';
import type { SaveAsTestOptions } from './testing/saveAsTest.js';
import { webviewOptions, WebviewPageHost } from './webviewPageHost.js';

export const CHAT_VIEW_TYPE = 'sarufi.chat';

/** How many of the page's sends a panel remembers the outcome of. */
const MAX_REMEMBERED_SENDS = 20;

/** What a panel needs from the rest of the extension. */
export interface ChatPanelContext {
  extensionUri: vscode.Uri;
  store: TranscriptStore;
  log: vscode.LogOutputChannel;
  /** A client for the transcript's environment, with the current key. */
  connect(transcript: Transcript, hooks: ConnectionHooks): Promise<Connection>;
  /** Every secret that must never appear in an export (the current keys). */
  secrets(): Promise<string[]>;
  /** The flow file a sandbox chatbot runs, for Save as test. */
  sandboxFlowFile(chatbotId: string): Promise<string | undefined>;
  /** The local sandbox's base URL and key (not secrets), for Copy as curl of a sandbox chat. */
  sandboxAddress(): Promise<{ baseUrl: string; apiKey: string }>;
}

export interface Connection {
  api: ChatApi;
  /** Where the environment is now (the sandbox may come back on another port after a reload). */
  baseUrl: string;
}

export interface ConnectionHooks {
  /** The client waits before a request: pacing to the limits, or after a 429. */
  onRateLimited(waitMs: number, reason: 'pacing' | 'retry-after'): void;
}

export interface ChatTarget {
  chatbotId: string;
  chatbotName: string;
  environmentId: string;
  environment: string;
  baseUrl: string;
}

/** How a new panel's first session begins: the flow's start, a fork of another chat, or Chat from here's form. */
export type PanelOpening =
  | { kind: 'new'; /** Preview Flow's panel: its tab says so. */ preview?: boolean }
  | { kind: 'fork'; plan: ForkPlan; persona?: Persona }
  | { kind: 'startForm'; form: StartForm };

/** The page's Compare button: the command that asks for the other transcript. */
export const COMPARE_COMMAND = 'sarufi.compareTranscripts';

/**
 * What the commands that open a chat resolve with: plain data, never the panel itself, whose client
 * holds the API key (any extension can run a command and read what it returns).
 */
export interface OpenedChat {
  panelId: string;
  chatbotId: string;
  chatbotName: string;
  readOnly: boolean;
}

export class ChatPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly session: ChatSession;
  private readonly page: WebviewPageHost<HostToWebview>;
  /** The last `busy` posted, for the `init` of a page that was hidden when it went out. */
  private busy: BusyState = { busy: false };
  /** The page's recent sends and what became of them (null: in flight), for the same `init`. */
  private readonly sends = new Map<number, boolean | null>();
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;
  /** Fires after every new entry and header change (the flow preview marks states from it). */
  private readonly transcriptChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeTranscript = this.transcriptChanged.event;
  /** The page's Fork from here, with the plan of the fork; ChatPanels opens the new panel. */
  private readonly forkAsked = new vscode.EventEmitter<ForkPlan>();
  readonly onDidAskFork = this.forkAsked.event;
  /** A fork's replay under way (servers without snapshots), for `init` and the Cancel button. */
  private replay: { progress: ReplayProgress; controller: AbortController } | undefined;
  /** Chat from here: the form the author fills in before the first session starts. */
  private startForm: StartForm | null = null;

  static create(
    context: ChatPanelContext,
    target: ChatTarget,
    show: { viewColumn: vscode.ViewColumn; preserveFocus?: boolean } = { viewColumn: vscode.ViewColumn.Active },
    opening: PanelOpening = { kind: 'new' },
  ): ChatPanel {
    const panel = vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, target.chatbotName, show, webviewOptions(context.extensionUri));
    const transcript = opening.kind === 'fork' ? forkedTranscript(target, opening.plan, opening.persona) : undefined;
    const chat = new ChatPanel(context, panel, randomUUID(), target, transcript);
    chat.session.transcript.origin = originOf(opening);
    chat.retitle();
    if (opening.kind === 'startForm') {
      chat.startForm = opening.form;
    }
    void chat.connectAndStart(opening);
    return chat;
  }

  /** Shows a transcript for reading only: a conversation from history, or an ended session. */
  static openReadOnly(context: ChatPanelContext, transcript: Transcript): ChatPanel {
    const panel = vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, panelTitle({ ...transcript, readOnly: true }), vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
    return new ChatPanel(context, panel, randomUUID(), transcript.session, { ...transcript, readOnly: true });
  }

  /** A panel open before the reload that VS Code did not bring back (ChatPanels.restoreMissing). */
  static reopen(context: ChatPanelContext, panelId: string, transcript: Transcript, viewColumn: vscode.ViewColumn): ChatPanel {
    const panel = vscode.window.createWebviewPanel(CHAT_VIEW_TYPE, panelTitle(transcript), { viewColumn, preserveFocus: true }, webviewOptions(context.extensionUri));
    return ChatPanel.revive(context, panel, panelId, transcript);
  }

  /** Brings a panel back after a window reload, with its stored transcript. */
  static revive(context: ChatPanelContext, panel: vscode.WebviewPanel, panelId: string, transcript: Transcript): ChatPanel {
    // Restored panels keep the options they were saved with; set the roots again in case they changed.
    panel.webview.options = webviewOptions(context.extensionUri);
    const chat = new ChatPanel(context, panel, panelId, transcript.session, transcript);
    chat.retitle();
    if (!transcript.readOnly) {
      void chat
        .reconnect()
        // The sandbox process that held a sandbox session ended with the old window.
        .then(() => chat.resumeLostSession('VS Code was reloaded and the local sandbox with it', sandboxRestartedError('VS Code was reloaded')))
        .catch((error: unknown) => context.log.error(`Could not reconnect a restored panel: ${String(error)}`));
    }
    return chat;
  }

  private constructor(
    private readonly context: ChatPanelContext,
    readonly panel: vscode.WebviewPanel,
    readonly panelId: string,
    target: ChatTarget,
    transcript: Transcript | undefined,
  ) {
    this.session = new ChatSession({
      api: notConnectedYet,
      ...target,
      ...(transcript ? { transcript } : {}),
      onEntry: (entry) => this.onEntry(entry),
      // Saved before the reply, so that an input is not lost if the window dies mid-turn.
      onPending: () => this.persist(),
      onSession: () => {
        this.retitle();
        this.persist();
        void this.post({ type: 'session', session: this.session.session });
        this.transcriptChanged.fire();
      },
    });
    this.page = new WebviewPageHost<HostToWebview>({
      panel,
      extensionUri: context.extensionUri,
      bundle: 'chat',
      title: target.chatbotName,
      label: `Chat panel '${target.chatbotName}'`,
      log: context.log,
      didNotLoad: `The chat panel for ${target.chatbotName} did not load. Reloading the window usually brings it back; the transcript is kept.`,
      batch: (messages) => ({ type: 'batch', messages }),
    });
    this.disposables.push(
      this.page,
      panel.webview.onDidReceiveMessage((message: WebviewToHost) => {
        this.onMessage(message).catch((error: unknown) => context.log.error(`Chat panel: ${String(error)}`));
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.persist();
  }

  get readOnly(): boolean {
    return this.session.transcript.readOnly === true;
  }

  get transcript(): Transcript {
    return this.session.transcript;
  }

  get opened(): OpenedChat {
    const { chatbotId, chatbotName } = this.session.session;
    return { panelId: this.panelId, chatbotId, chatbotName, readOnly: this.readOnly };
  }

  /** Resolves once the page has loaded and said `ready`. */
  whenReady(): Promise<void> {
    return this.page.whenReady();
  }

  /** Resolves when the transcript has an entry that satisfies `test` (tests and commands use it). */
  async waitForEntry(test: (entry: TranscriptEntry) => boolean, timeoutMs = 15_000): Promise<TranscriptEntry> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.transcript.entries.find(test);
      if (found) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error('Timed out waiting for a transcript entry');
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Sends one input as the author would; resolves whether the bot answered. */
  send(text: string, buttonId?: string): Promise<boolean> {
    if (this.readOnly) {
      return Promise.resolve(false);
    }
    return this.withBusy(() => this.session.send(buttonId ? { text, buttonId } : { text }));
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** A debug session stopped (where) or went on (null) in the turn this panel waits for: the typing indicator says so. */
  showPaused(where: string | null): void {
    if (this.busy.busy) {
      this.setBusy({ ...this.busy, ...(where === null ? { note: undefined } : { note: `Debugger: ${where}` }) });
    }
  }

  /** The flow debugger's turn sent these messages: they show at once, before the turn ends. */
  showSent(messages: readonly GenericMessage[]): void {
    if (this.busy.busy && messages.length > 0) {
      this.setBusy({ ...this.busy, sent: [...(this.busy.sent ?? []), ...messages] });
    }
  }

  /** Shows a notice in the transcript, between turns (the flow file changed). */
  announce(text: string): void {
    this.session.addDivider(text);
  }

  /** The sandbox this panel talks to died and runs again elsewhere: say so, and talk to the new one. */
  async sandboxRestarted(reason: string): Promise<void> {
    // Connected first, so that the new session goes to the new sandbox.
    await this.reconnect();
    await this.resumeLostSession(`The local sandbox stopped (${reason}) and was started again`, sandboxRestartedError(reason));
  }

  /**
   * A live sandbox chat whose session the sandbox no longer has goes on in a new session that
   * stands where the last turn left it (its state and variables, from the trace; nothing runs
   * again), and says so in one line. Only when that cannot be done does it end with `lost`.
   */
  private async resumeLostSession(reason: string, lost: unknown): Promise<void> {
    const session = this.session.session;
    const expired = session.expiresAt !== null && Date.parse(session.expiresAt) < Date.now();
    if (this.readOnly || session.environmentId !== 'sandbox' || session.status !== 'open' || expired) {
      return;
    }
    const plan = planResume(this.session.transcript);
    if (!plan) {
      this.session.sessionLost(lost);
      return;
    }
    const failure = await this.withBusy(() => this.session.start({ kind: 'resume', state: plan.state, variables: plan.variables, turn: plan.turn }, true, resumedNotice(reason, plan)));
    if (failure) {
      this.context.log.warn(`Could not resume the chat in '${plan.state}': ${failure.message}`);
      this.session.sessionGone(lost);
    }
  }

  /** Starts over in a new session, as the panel's Restart button does. */
  restartSession(reason: string): Promise<void> {
    return this.withBusy(() => this.session.restart(reason));
  }

  /** The tab says what the panel is (a preview, a chat from a state, a fork, a transcript read again) and as whom. */
  private retitle(): void {
    this.panel.title = panelTitle(this.session.transcript);
  }

  /** Writes the conversation as a *.sarufi-test.yaml; `answers` replace the save dialog and the replace question (tests). */
  async saveAsTest(answers: Pick<SaveAsTestOptions, 'ask' | 'confirmReplace'> = {}): Promise<vscode.Uri | undefined> {
    const { saveChatAsTest } = await import('./lazy/fileWriters.js');
    return saveChatAsTest(this.session.transcript, { flowFileOf: (chatbotId) => this.context.sandboxFlowFile(chatbotId), ...answers });
  }

  /** Talks through a fresh client: the key or the environment's address changed. */
  async reconnect(): Promise<void> {
    const { api, baseUrl } = await this.context.connect(this.session.transcript, {
      onRateLimited: (waitMs, reason) => {
        const why = reason === 'retry-after' ? 'Sarufi answered 429 (rate limited)' : "Keeping to Sarufi's rate limit";
        this.setBusy({ busy: true, note: `${why}: waiting ${(waitMs / 1000).toFixed(1)} s` });
      },
    });
    this.session.useApi(api, baseUrl);
  }

  private async connectAndStart(opening: PanelOpening): Promise<void> {
    try {
      await this.reconnect();
    } catch (error) {
      this.context.log.error(`Could not connect: ${String(error)}`);
    }
    switch (opening.kind) {
      case 'new':
        await this.withBusy(() => this.session.start());
        return;
      case 'fork':
        await this.startFork(opening.plan);
        return;
      case 'startForm':
        // The session starts when the author has checked the variables and pressed Start (`startAt`).
        return;
    }
  }

  /** The state and variables of Chat from here's form, if the panel still waits for them. */
  get pendingStartForm(): StartForm | null {
    return this.startForm;
  }

  /** Chat from here: a session that starts in the form's state with these variables (sandbox only). */
  async startAt(variables: StartForm['variables']): Promise<void> {
    const form = this.startForm;
    if (!form || this.readOnly) {
      return;
    }
    const failure = await this.withBusy(() => this.session.start({ kind: 'state', state: form.state, variables }));
    // A refused start (an unknown state, say) keeps the form, so the author can correct and try again.
    if (!failure) {
      this.startForm = null;
    }
  }

  /** A new session as this persona; the sandbox alone knows personas, other servers get a note. */
  async setPersona(persona: Persona): Promise<void> {
    if (this.readOnly) {
      return;
    }
    if (this.session.session.environmentId !== 'sandbox') {
      this.session.addDivider(`Personas are a local sandbox feature: ${this.session.session.environment} takes no contact name, user id, channel or language, so this chat goes on as before.`);
      return;
    }
    const chosen = definedPersona(persona);
    this.session.setPersona(chosen);
    const reason = chosen ? `New session as ${personaLabel(chosen)}` : 'New session as the default user';
    if (this.startForm) {
      // Chat from here has not started yet: the persona goes with the session the form starts.
      this.session.addDivider(reason.replace('New session', 'The session will start'));
      return;
    }
    await this.withBusy(() => this.session.restart(reason));
  }

  /** Stops a fork's replay before its next input. */
  cancelReplay(): void {
    this.replay?.controller.abort();
  }

  /**
   * The first session of a forked panel: on the sandbox, from the snapshot of the turn (nothing runs
   * again); elsewhere, or when the sandbox lost that session, by sending the author's inputs again.
   */
  private async startFork(plan: ForkPlan): Promise<void> {
    if (this.session.session.environmentId === 'sandbox') {
      const failure = await this.withBusy(() => this.session.start({ kind: 'fork', sessionId: plan.sessionId, turn: plan.turn }, true));
      if (!failure) {
        return;
      }
      if (failure.status !== 404) {
        this.session.addDivider(`The sandbox could not fork that session: ${failure.message}`);
        return;
      }
      this.session.addDivider(`The sandbox no longer has that session (it was restarted, or the session ended), so your ${inputsText(plan.inputs.length)} are sent again in a new session.`);
    } else {
      this.session.addDivider(`${this.session.session.environment} keeps no snapshots of a conversation: replaying your ${inputsText(plan.inputs.length)} in a new session, paced to the rate limit.`);
    }
    await this.replayFork(plan);
  }

  private async replayFork(plan: ForkPlan): Promise<void> {
    const controller = new AbortController();
    this.replay = { progress: { done: 0, total: plan.inputs.length }, controller };
    try {
      await this.withBusy(async () => {
        await this.session.start();
        if (this.session.session.status !== 'open') {
          return;
        }
        const outcome = await replayInputs(this.session, plan.inputs, {
          signal: controller.signal,
          onProgress: (done, total) => {
            this.replay = { progress: { done, total }, controller };
            this.setBusy({ busy: true, note: `Replaying your inputs: ${done} of ${total} sent` });
            void this.post({ type: 'replay', progress: { done, total } });
          },
        });
        this.session.addDivider(replayOutcomeText(outcome, plan, this.session.session.trail.at(-1) ?? null));
      });
    } finally {
      this.replay = undefined;
      await this.post({ type: 'replay', progress: null });
    }
  }

  dispose(): void {
    // First, so that what the session says while it closes is not posted to a page going away.
    this.page.dispose();
    this.session.dispose();
    this.persist();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    this.replay?.controller.abort();
    this.closed.fire();
    this.closed.dispose();
    this.transcriptChanged.dispose();
    this.forkAsked.dispose();
  }

  private onEntry(entry: TranscriptEntry): void {
    this.persist();
    void this.post({ type: 'append', entry: shownEntry(entry) });
    this.transcriptChanged.fire();
  }

  private persist(): void {
    this.context.store.save(this.panelId, this.session.transcript);
  }

  private post(message: HostToWebview): Promise<void> {
    return this.page.post(message);
  }

  private setBusy(busy: BusyState): void {
    this.busy = busy;
    void this.post({ type: 'busy', ...busy });
  }

  private async withBusy<T>(work: () => Promise<T>): Promise<T> {
    this.setBusy({ busy: true });
    try {
      return await work();
    } finally {
      this.setBusy({ busy: false });
    }
  }

  /** A send from the page: its outcome is kept for a page recreated before it arrived. */
  private async sendFromPage(requestId: number, input: UserInput): Promise<void> {
    this.sends.set(requestId, null);
    const ok = await this.withBusy(() => this.session.send(input));
    this.sends.set(requestId, ok);
    // The page only ever waits on its last few sends.
    for (const old of [...this.sends.keys()].slice(0, -MAX_REMEMBERED_SENDS)) {
      this.sends.delete(old);
    }
    await this.post({ type: 'sendResult', requestId, ok });
  }

  private async onMessage(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const sends: SendState[] = [...this.sends].map(([requestId, ok]) => ({ requestId, ok }));
        await this.page.ready({
          type: 'init',
          panelId: this.panelId,
          session: this.session.session,
          ...shownWindow(this.session.transcript.entries),
          readOnly: this.readOnly,
          busy: this.busy,
          sends,
          replay: this.replay?.progress ?? null,
          startForm: this.startForm,
        });
        return;
      }
      case 'send': {
        if (this.readOnly) {
          return;
        }
        await this.sendFromPage(message.requestId, message.input);
        return;
      }
      case 'inspect': {
        const entry = this.session.transcript.entries.find((candidate) => candidate.id === message.entryId);
        const exchange = entry && entry.kind !== 'divider' ? (entry.exchange ?? null) : null;
        await this.post({ type: 'exchange', requestId: message.requestId, exchange });
        return;
      }
      case 'trace': {
        const entry = this.session.transcript.entries.find((candidate) => candidate.id === message.entryId);
        await this.post({ type: 'trace', requestId: message.requestId, trace: entryTrace(entry) });
        return;
      }
      case 'fork': {
        const plan = planFork(this.session.transcript, message.entryId);
        if ('error' in plan) {
          void vscode.window.showWarningMessage(plan.error);
          return;
        }
        this.forkAsked.fire(plan);
        return;
      }
      case 'startAt':
        await this.startAt(message.variables);
        return;
      case 'setPersona':
        await this.setPersona(message.persona);
        return;
      case 'cancelReplay':
        this.cancelReplay();
        return;
      case 'compare':
        await vscode.commands.executeCommand(COMPARE_COMMAND, { panelId: this.panelId });
        return;
      case 'earlier':
        await this.post({ type: 'earlierEntries', requestId: message.requestId, ...shownWindow(this.session.transcript.entries, message.beforeId) });
        return;
      case 'retry':
        await this.withBusy(() => this.session.retry(message.entryId));
        return;
      case 'newSession':
        await this.withBusy(() => this.session.restart('New session started'));
        return;
      case 'restartSession':
        await this.withBusy(() => this.session.restart('Session restarted'));
        return;
      case 'setApiKey':
        await vscode.commands.executeCommand('sarufi.setApiKey');
        return;
      case 'export':
        await this.exportTranscript(message.format);
        return;
      case 'saveAsTest':
        await this.saveAsTest().catch((error: unknown) => vscode.window.showErrorMessage(`Could not save the test: ${error instanceof Error ? error.message : String(error)}`));
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage(`Copied ${message.what}`, 2000);
        return;
      case 'copyCurl':
        await this.copyCurl(message.entryId);
        return;
      case 'openLink':
        await openLinkAfterConfirming(message.url);
        return;
      case 'revealState':
        await vscode.commands.executeCommand('sarufi.revealState', this.session.session.chatbotId, message.state).then(undefined, () => undefined);
        return;
      case 'log':
        this.context.log[message.level](`[webview] ${message.text}`);
        return;
    }
  }

  /**
   * The entry's request as curl, as Copy as curl copies it: a request to the running sandbox
   * carries its key (not a secret), so that it works as pasted; any other reads $SARUFI_API_KEY.
   */
  async curlCommand(entryId: string): Promise<{ command: string; withSandboxKey: boolean } | undefined> {
    const entry = this.session.transcript.entries.find((candidate) => candidate.id === entryId);
    const exchange = entry && entry.kind !== 'divider' ? entry.exchange : undefined;
    if (!exchange) {
      return undefined;
    }
    const sandbox = this.session.session.environmentId === 'sandbox' ? await this.context.sandboxAddress().catch(() => undefined) : undefined;
    const sandboxKey = sandbox && exchange.url.startsWith(sandbox.baseUrl) ? sandbox.apiKey : undefined;
    return { command: toCurl(exchange, { sandboxKey }), withSandboxKey: sandboxKey !== undefined };
  }

  private async copyCurl(entryId: string): Promise<void> {
    const curl = await this.curlCommand(entryId);
    if (!curl) {
      return;
    }
    await vscode.env.clipboard.writeText(curl.command);
    void vscode.window.setStatusBarMessage(`$(check) Copied the request as curl${curl.withSandboxKey ? ', with the local sandbox key' : ': it reads the key from $SARUFI_API_KEY'}`, 4000);
  }

  /** Export transcript (the page's menu): a save dialog, then the file, and a notification that opens it. */
  async exportTranscript(format: 'json' | 'markdown'): Promise<void> {
    const extension = format === 'json' ? 'json' : 'md';
    const name = `${this.session.session.chatbotName.replace(/[^\w.-]+/g, '-')}-${this.session.session.sessionId ?? 'chat'}.${extension}`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
      title: 'Export transcript',
    });
    if (!target) {
      return;
    }
    const secrets = await this.context.secrets();
    const { transcriptToJson, transcriptToMarkdown } = await import('./lazy/fileWriters.js');
    const text = format === 'json' ? transcriptToJson(this.session.transcript, secrets) : transcriptToMarkdown(this.session.transcript, secrets);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    void vscode.window
      .showInformationMessage(`Transcript exported to ${vscode.workspace.asRelativePath(target)}.`, 'Open')
      .then((choice) => choice && vscode.window.showTextDocument(target, { preview: false }));
  }
}

/** A forked panel's transcript: the copied entries and the divider, before its own session. */
function forkedTranscript(target: ChatTarget, plan: ForkPlan, persona: Persona | undefined): Transcript {
  return {
    version: 1,
    session: { ...target, sessionId: null, createdAt: null, messagesCount: null, expiresAt: null, trail: [], status: 'starting', ...(persona ? { persona } : {}) },
    entries: [...structuredClone(plan.entries), forkDivider(plan, randomUUID(), new Date().toISOString())],
  };
}

function inputsText(count: number): string {
  return count === 1 ? '1 input' : `${count} inputs`;
}

function replayOutcomeText(outcome: Awaited<ReturnType<typeof replayInputs>>, plan: ForkPlan, state: string | null): string {
  switch (outcome.kind) {
    case 'cancelled':
      return `Replay cancelled after ${outcome.sent} of ${plan.inputs.length}: the session stands where that input left it.`;
    case 'failed':
      return `Replay stopped: input ${outcome.sent + 1} of ${plan.inputs.length} was not answered (see above).`;
    case 'done':
      // The server may answer differently now (the flow changed, a backend answered otherwise): say so.
      return plan.state !== null && state !== plan.state
        ? `Replay done, but it ended in '${state ?? 'no state'}', not '${plan.state}' as the original turn did: the bot answers differently now.`
        : `Replay done: ${inputsText(outcome.sent)} sent; the session stands where the original turn left it.`;
  }
}

/** Empty fields of the page's persona form are no persona field at all. */
function definedPersona(persona: Persona): Persona | undefined {
  const entries = Object.entries(persona).filter((entry): entry is [keyof Persona, string] => typeof entry[1] === 'string' && entry[1].trim() !== '');
  return entries.length === 0 ? undefined : (Object.fromEntries(entries.map(([key, value]) => [key, value.trim()])) as Persona);
}

function originOf(opening: PanelOpening): PanelOrigin {
  switch (opening.kind) {
    case 'fork':
      return { kind: 'fork', turn: opening.plan.turn };
    case 'startForm':
      return { kind: 'fromState', state: opening.form.state };
    case 'new':
      return opening.preview ? { kind: 'preview' } : { kind: 'chat' };
  }
}

/** Until the panel has connected, every call fails in words rather than with a crash. */
const notConnectedYet: ChatApi = {
  createSession: () => Promise.reject(notConnected()),
  sendMessage: () => Promise.reject(notConnected()),
};

function notConnected(): { message: string; kind: string } {
  return { message: 'Not connected to a Sarufi server yet. Check the environment with "Sarufi: Select Environment".', kind: 'network' };
}

/** Bot content is untrusted: a link opens only after the author has seen where it goes. */
async function openLinkAfterConfirming(url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    void vscode.window.showWarningMessage(`Not a valid link: ${url.slice(0, 200)}`);
    return;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    void vscode.window.showWarningMessage(`Only http and https links can be opened, not ${parsed.protocol}`);
    return;
  }
  const choice = await vscode.window.showWarningMessage(`Open ${parsed.href} in your browser?`, { modal: true, detail: 'The link comes from the chatbot.' }, 'Open');
  if (choice === 'Open') {
    await vscode.env.openExternal(vscode.Uri.parse(parsed.href));
  }
}
