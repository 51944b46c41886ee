// Sarufi: Show Flow Graph, following VS Code's Markdown preview: a graph opens beside the editor and
// follows the active flow editor unless it is locked; a locked graph stays on its document (one per
// document); graphs come back after a window reload (the serializer).
import * as vscode from 'vscode';
import type { GraphViewState } from '../../protocol.js';
import { isFlowDocument } from '../flows/vscodeRanges.js';
import { webviewOptions } from '../webviewPageHost.js';
// Types only: the panel comes through import() when the first graph opens.
import type { FlowGraphPanel, GraphPanelContext } from './flowGraphPanel.js';
import { GRAPH_VIEW_TYPE } from './graphViewType.js';
import type { GraphSources } from './graphSources.js';

export const SHOW_FLOW_GRAPH_COMMAND = 'sarufi.showFlowGraph';
export const TOGGLE_GRAPH_LOCK_COMMAND = 'sarufi.toggleFlowGraphLock';

export interface FlowGraphDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  sources: GraphSources;
}

export class FlowGraphPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<GraphViewState> {
  private readonly panels = new Set<FlowGraphPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: FlowGraphDeps) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, this),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && isFlowDocument(editor.document)) {
          for (const panel of this.panels) {
            if (!panel.locked) {
              panel.showDocument(editor.document.uri);
            }
          }
        }
      }),
      vscode.workspace.onDidChangeTextDocument((event) => this.forDocument(event.document.uri, (panel) => panel.documentChanged())),
      vscode.languages.onDidChangeDiagnostics((event) => {
        for (const uri of event.uris) {
          this.forDocument(uri, (panel) => panel.documentChanged());
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        const line = event.selections[0]?.active.line;
        if (line !== undefined) {
          this.forDocument(event.textEditor.document.uri, (panel) => panel.cursorAt(line));
        }
      }),
      deps.sources.onDidChange(() => {
        for (const panel of this.panels) {
          void panel.postMarks();
        }
      }),
    );
  }

  /** Shows the graph of `uri` (or of the active flow editor); resolves with its panel. */
  async show(uri?: vscode.Uri): Promise<FlowGraphPanel | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || !target.path.endsWith('.flow.json')) {
      void vscode.window.showWarningMessage('Show Flow Graph works on a *.flow.json file: open one first.');
      return undefined;
    }
    const locked = [...this.panels].find((panel) => panel.locked && panel.document.toString() === target.toString());
    const following = [...this.panels].find((panel) => !panel.locked);
    const existing = locked ?? following;
    if (existing) {
      existing.showDocument(target);
      existing.reveal();
      return existing;
    }
    const webview = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Flow Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { ...webviewOptions(this.deps.extensionUri), retainContextWhenHidden: false });
    return this.track(await this.createPanel(webview, target, false));
  }

  /** Lock: the graph stays on its document; unlock: it follows the active flow editor again. */
  toggleLock(panel: FlowGraphPanel | undefined = this.active()): void {
    if (!panel) {
      return;
    }
    panel.setLocked(!panel.locked);
    const active = vscode.window.activeTextEditor?.document;
    if (!panel.locked && active && isFlowDocument(active)) {
      panel.showDocument(active.uri);
    }
  }

  all(): FlowGraphPanel[] {
    return [...this.panels];
  }

  async deserializeWebviewPanel(webview: vscode.WebviewPanel, state: GraphViewState | undefined): Promise<void> {
    if (!state?.uri) {
      webview.dispose();
      return;
    }
    webview.webview.options = webviewOptions(this.deps.extensionUri);
    this.track(await this.createPanel(webview, vscode.Uri.parse(state.uri), state.locked));
  }

  dispose(): void {
    for (const panel of [...this.panels]) {
      panel.dispose();
    }
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  private async createPanel(webview: vscode.WebviewPanel, uri: vscode.Uri, locked: boolean): Promise<FlowGraphPanel> {
    const context: GraphPanelContext = {
      extensionUri: this.deps.extensionUri,
      log: this.deps.log,
      sources: this.deps.sources,
      toggleLock: (panel) => this.toggleLock(panel),
    };
    const { FlowGraphPanel } = await import('../lazy/flowGraph.js');
    return new FlowGraphPanel(context, webview, uri, locked);
  }

  private track(panel: FlowGraphPanel): FlowGraphPanel {
    this.panels.add(panel);
    panel.onDidClose(() => this.panels.delete(panel));
    return panel;
  }

  private active(): FlowGraphPanel | undefined {
    return [...this.panels].find((panel) => panel.panel.active);
  }

  private forDocument(uri: vscode.Uri, run: (panel: FlowGraphPanel) => void): void {
    for (const panel of this.panels) {
      if (panel.document.toString() === uri.toString()) {
        run(panel);
      }
    }
  }
}

export function registerFlowGraphs(deps: FlowGraphDeps): vscode.Disposable & { graphs: FlowGraphPanels } {
  const graphs = new FlowGraphPanels(deps);
  const registration = vscode.Disposable.from(
    graphs,
    vscode.commands.registerCommand(SHOW_FLOW_GRAPH_COMMAND, async (uri?: vscode.Uri) => {
      const panel = await graphs.show(uri instanceof vscode.Uri ? uri : undefined);
      return panel ? { document: panel.document.toString(), locked: panel.locked } : undefined;
    }),
    vscode.commands.registerCommand(TOGGLE_GRAPH_LOCK_COMMAND, () => graphs.toggleLock()),
  );
  return { graphs, dispose: () => registration.dispose() };
}
