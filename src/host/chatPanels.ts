// All open chat panels: creates them, brings them back after a reload (the serializer), and finds
// them for the side panel and the tests.
import * as vscode from 'vscode';
import type { ChatApi } from '../chat/chatSession.js';
import type { Transcript } from '../chat/transcript.js';
import type { ChatViewState } from '../protocol.js';
import { CHAT_VIEW_TYPE, ChatPanel } from './chatPanel.js';
import type { ChatPanelContext, ChatTarget, PanelOpening } from './chatPanel.js';
import { planFork } from '../chat/fork.js';
import type { ForkPlan } from '../chat/fork.js';

/** The panels open when the window last stood, kept so that a reload brings them all back. */
export const OPEN_PANELS_KEY = 'sarufi.openPanels';

interface OpenPanel {
  panelId: string;
  viewColumn: vscode.ViewColumn | undefined;
}

export class ChatPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<ChatViewState> {
  private readonly panels = new Map<string, ChatPanel>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Fires for a panel brought back after a reload (by VS Code's serializer, or by restoreMissing). */
  private readonly restored = new vscode.EventEmitter<ChatPanel>();
  readonly onDidRestore = this.restored.event;
  private readonly registration: vscode.Disposable;
  /** Set when the extension stops: panels that close then were not closed by the author. */
  private stopping = false;

  constructor(
    private readonly context: ChatPanelContext,
    private readonly memory: vscode.Memento,
  ) {
    this.registration = vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, this);
  }

  /**
   * Opens again the panels that were open before the window reloaded and that VS Code did not
   * restore itself: the browser's workbench (code-server) may reload before it has saved its
   * editors, and then its serializer is never asked. Called once VS Code has had its turn.
   */
  async restoreMissing(): Promise<void> {
    for (const { panelId, viewColumn } of this.memory.get<OpenPanel[]>(OPEN_PANELS_KEY) ?? []) {
      if (this.panels.has(panelId)) {
        continue;
      }
      const transcript = await this.context.store.load(panelId);
      if (!transcript || this.panels.has(panelId)) {
        continue;
      }
      this.context.log.info(`Opening again the chat panel of ${transcript.session.chatbotName} that was open before the reload.`);
      this.restored.fire(this.track(ChatPanel.reopen(this.context, panelId, transcript, viewColumn ?? vscode.ViewColumn.Active)));
    }
    this.remember();
  }

  /** `show` places the panel: the flow preview opens it beside the flow file, keeping the focus there. */
  open(target: ChatTarget, show?: { viewColumn: vscode.ViewColumn; preserveFocus?: boolean }, opening?: PanelOpening): ChatPanel {
    return this.track(ChatPanel.create(this.context, target, show, opening));
  }

  /**
   * Fork from here: a new panel on the same chatbot and server, as the same persona, whose session
   * starts where `source` stood after the turn `entryId` (the page's button, and the tests).
   */
  fork(source: ChatPanel, entryId: string): ChatPanel {
    const plan = planFork(source.transcript, entryId);
    if ('error' in plan) {
      throw new Error(plan.error);
    }
    return this.openFork(source, plan);
  }

  private openFork(source: ChatPanel, plan: ForkPlan): ChatPanel {
    const { chatbotId, chatbotName, environmentId, environment, baseUrl, persona } = source.transcript.session;
    return this.open({ chatbotId, chatbotName, environmentId, environment, baseUrl }, { viewColumn: vscode.ViewColumn.Active }, { kind: 'fork', plan, ...(persona ? { persona: { ...persona } } : {}) });
  }

  /** The chat panel of a flow debug session: its conversation goes through `api` (the debug adapter), not a server. */
  openDebuggee(target: ChatTarget, api: ChatApi): ChatPanel {
    const context: ChatPanelContext = { ...this.context, connect: () => Promise.resolve({ api, baseUrl: target.baseUrl }) };
    return this.track(ChatPanel.create(context, target, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }));
  }

  openReadOnly(transcript: Transcript): ChatPanel {
    return this.track(ChatPanel.openReadOnly(this.context, transcript));
  }

  /** Called by VS Code for each chat panel that was open before the window reloaded. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: ChatViewState | undefined): Promise<void> {
    const transcript = state?.panelId ? await this.context.store.load(state.panelId) : undefined;
    if (!state?.panelId || !transcript || this.panels.has(state.panelId)) {
      // Nothing to restore (the storage was cleared), or restoreMissing already did: close rather
      // than show an empty shell or a second copy.
      this.context.log.warn(`A chat panel was not restored: ${!state?.panelId ? 'its page kept no panel id' : !transcript ? `the transcript of ${state.panelId} is not stored` : 'it was opened again already'}.`);
      panel.dispose();
      return;
    }
    this.restored.fire(this.track(ChatPanel.revive(this.context, panel, state.panelId, transcript)));
  }

  all(): ChatPanel[] {
    return [...this.panels.values()];
  }

  get(panelId: string): ChatPanel | undefined {
    return this.panels.get(panelId);
  }

  /** Points every panel at a fresh client (a key changed). */
  async reconnect(): Promise<void> {
    await Promise.all([...this.panels.values()].map((panel) => panel.reconnect().catch(() => undefined)));
  }

  /** Tells every live sandbox chat that the sandbox was restarted after it died. */
  async sandboxRestarted(reason: string): Promise<void> {
    const live = [...this.panels.values()].filter((panel) => !panel.readOnly && panel.transcript.session.environmentId === 'sandbox');
    await Promise.all(live.map((panel) => panel.sandboxRestarted(reason).catch(() => undefined)));
  }

  dispose(): void {
    this.stopping = true;
    this.registration.dispose();
    this.restored.dispose();
    for (const panel of this.panels.values()) {
      panel.dispose();
    }
    this.changed.dispose();
  }

  private track(panel: ChatPanel): ChatPanel {
    this.panels.set(panel.panelId, panel);
    panel.onDidAskFork((plan) => this.openFork(panel, plan));
    // Where the panel stands is remembered when it moves, too, for restoreMissing.
    const moved = panel.panel.onDidChangeViewState(() => this.remember());
    panel.onDidClose(() => {
      moved.dispose();
      this.panels.delete(panel.panelId);
      if (!this.stopping) {
        this.remember();
      }
      this.changed.fire();
    });
    this.remember();
    this.changed.fire();
    return panel;
  }

  private remember(): void {
    const open: OpenPanel[] = [...this.panels.values()].map((panel) => ({ panelId: panel.panelId, viewColumn: panel.panel.viewColumn }));
    // Called on every focus change of every panel: VS Code writes the workspace state to disk, so
    // only a list that changed is written.
    if (JSON.stringify(open) !== JSON.stringify(this.memory.get<OpenPanel[]>(OPEN_PANELS_KEY) ?? [])) {
      void this.memory.update(OPEN_PANELS_KEY, open);
    }
  }
}
