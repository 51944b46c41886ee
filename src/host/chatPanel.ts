// One chat panel: a webview that renders a conversation the host drives.
import * as vscode from 'vscode';
import type { HostToWebview, WebviewToHost } from '../protocol.js';
import { renderPage } from './webviewHtml.js';

export class ChatPanel implements vscode.Disposable {
  static readonly viewType = 'sarufi.chat';

  private readonly disposables: vscode.Disposable[] = [];
  private readonly ready: Promise<void>;

  static create(extensionUri: vscode.Uri, title: string): ChatPanel {
    const panel = vscode.window.createWebviewPanel(ChatPanel.viewType, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    });
    return new ChatPanel(panel, extensionUri, title);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    title: string,
  ) {
    this.ready = new Promise((resolve) => {
      this.disposables.push(
        panel.webview.onDidReceiveMessage((message: WebviewToHost) => {
          if (message.type === 'ready') {
            resolve();
          }
        }),
      );
    });
    const webview = panel.webview;
    panel.webview.html = renderPage({
      cspSource: webview.cspSource,
      assetUrl: (file) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString(),
      bundle: 'chat',
      title,
    });
    this.disposables.push(panel.onDidDispose(() => this.dispose()));
    void this.post({ type: 'hello', title });
  }

  /** Resolves once the page has loaded and said `ready`. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  async post(message: HostToWebview): Promise<void> {
    await this.ready;
    await this.panel.webview.postMessage(message);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }
}
