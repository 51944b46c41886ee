// Where the flow graph's marks come from: the chat panels on a flow (Preview Flow, Chat from here,
// any sandbox chat on it, a flow opened from Sarufi), and the Test Explorer's last run.
import * as vscode from 'vscode';
import type { Transcript } from '../../chat/transcript.js';
import type { FlowCoverage } from '../../conversationTests/coverage.js';
import type { TestResult } from '../../conversationTests/runner.js';
import type { ChatPanels } from '../chatPanels.js';
import { parseRemoteFlowUri } from '../flows/remoteFlowFs.js';
import type { SandboxHost } from '../sandboxHost.js';
import type { ConversationTestsApi } from '../testing/conversationTestController.js';

export interface ChatOnFlow {
  panelId: string;
  title: string;
  transcript: Transcript;
}

export class GraphSources {
  constructor(
    private readonly panels: ChatPanels,
    private readonly sandbox: SandboxHost,
    private readonly tests: ConversationTestsApi,
  ) {}

  /** Fires when a chat opens, closes or takes a turn, or a test run ends. */
  onDidChange(listener: () => void): vscode.Disposable {
    const watched = new Map<string, vscode.Disposable>();
    const watch = (): void => {
      for (const panel of this.panels.all()) {
        if (!watched.has(panel.panelId)) {
          watched.set(panel.panelId, panel.onDidChangeTranscript(listener));
        }
      }
    };
    watch();
    return vscode.Disposable.from(
      this.panels.onDidChange(() => {
        watch();
        listener();
      }),
      this.tests.onDidFinishRun(listener),
      { dispose: () => watched.forEach((disposable) => disposable.dispose()) },
    );
  }

  /** The open chats whose chatbot runs this flow document, oldest first. */
  async chatsOn(uri: vscode.Uri): Promise<ChatOnFlow[]> {
    const remote = parseRemoteFlowUri(uri);
    const found: ChatOnFlow[] = [];
    for (const panel of this.panels.all()) {
      const { chatbotId, environmentId } = panel.transcript.session;
      const onThisFlow =
        remote !== undefined
          ? remote.chatbotId === chatbotId && environmentId !== 'sandbox'
          : environmentId === 'sandbox' && uri.scheme === 'file' && (await this.sandbox.flowFileOf(chatbotId)) === uri.fsPath;
      if (onThisFlow) {
        found.push({ panelId: panel.panelId, title: panel.panel.title, transcript: panel.transcript });
      }
    }
    return found;
  }

  coverages(): readonly FlowCoverage[] {
    return this.tests.lastCoverage();
  }

  results(): readonly TestResult[] {
    return this.tests.lastResults();
  }
}
