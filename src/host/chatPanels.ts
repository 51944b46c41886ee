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

export class ChatPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<ChatViewState> {
  private readonly panels = new Map<string, ChatPanel>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(private readonly context: ChatPanelContext) {
    this.registration = vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, this);
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
    if (!state?.panelId || !transcript) {
      // Nothing to restore (the storage was cleared): close rather than show an empty shell.
      panel.dispose();
      return;
    }
    this.track(ChatPanel.revive(this.context, panel, state.panelId, transcript));
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
    this.registration.dispose();
    for (const panel of this.panels.values()) {
      panel.dispose();
    }
    this.changed.dispose();
  }

  private track(panel: ChatPanel): ChatPanel {
    this.panels.set(panel.panelId, panel);
    panel.onDidAskFork((plan) => this.openFork(panel, plan));
    panel.onDidClose(() => {
      this.panels.delete(panel.panelId);
      this.changed.fire();
    });
    this.changed.fire();
    return panel;
  }
}
