// The flow debugger in VS Code: F5 on a *.flow.json (with or without a launch.json) starts a
// `sarufi-flow` session whose adapter runs inline (src/debug/, loaded on first use); the engine
// itself runs in the adapter's worker thread, never on the extension host's. A chat panel beside
// the flow is the debuggee's window: its messages go to the adapter, and its typing indicator says
// where a turn is paused.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ChatPanel } from '../chatPanel.js';
import type { ChatPanels } from '../chatPanels.js';
import { readSettings } from '../settings.js';
import { DebugChatApi, TURN_EVENT } from './debugChatApi.js';
import type { DebugTurn } from './debugChatApi.js';
import { normaliseMessages } from '../../flow/botMessages.js';

export const DEBUG_TYPE = 'sarufi-flow';
/** The adapter's custom events (src/debug/flowDebugSession.ts). */
const PAUSED_EVENT = 'sarufiPaused';
const RESUMED_EVENT = 'sarufiResumed';
const SENT_EVENT = 'sarufiSent';

interface DebuggeeWindow {
  api: DebugChatApi;
  panel: ChatPanel | null;
}

export interface FlowDebuggerDeps {
  panels: ChatPanels;
  log: vscode.LogOutputChannel;
}

/** F5 with no launch.json: the flow file in the active editor. */
function configurationForActiveFlow(): vscode.DebugConfiguration | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (!document?.fileName.endsWith('.flow.json')) {
    return undefined;
  }
  return { type: DEBUG_TYPE, request: 'launch', name: `Debug ${basename(document.fileName)}`, flow: document.uri.fsPath };
}

export function registerFlowDebugger(deps: FlowDebuggerDeps): vscode.Disposable {
  const windows = new Map<string, DebuggeeWindow>();

  const provider: vscode.DebugConfigurationProvider = {
    resolveDebugConfiguration(folder, config) {
      const resolved = !config.type && !config.request && !config.name ? configurationForActiveFlow() : config;
      if (!resolved) {
        void vscode.window.showInformationMessage('Open a *.flow.json file to debug it, or name one in launch.json ("flow").');
        return undefined;
      }
      if (typeof resolved.flow !== 'string' || resolved.flow === '') {
        void vscode.window.showErrorMessage('A "sarufi-flow" launch configuration needs "flow": the *.flow.json file to debug.');
        return undefined;
      }
      resolved.cwd ??= folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      resolved.turnTimeoutMs ??= readSettings().sandboxTurnTimeoutMs;
      return resolved;
    },
  };

  const factory: vscode.DebugAdapterDescriptorFactory = {
    async createDebugAdapterDescriptor(session) {
      const { FlowDebugSession } = await import('../../lazy/flowDebugger.js');
      const adapter = new FlowDebugSession();
      deps.log.info(`Debugging ${String(session.configuration.flow)} (session ${session.id})`);
      const flowFile = String(session.configuration.flow ?? '');
      if (session.configuration.chatPanel !== false) {
        const api = new DebugChatApi(session, flowFile);
        const panel = deps.panels.openDebuggee(
          { chatbotId: `debug:${flowFile}`, chatbotName: `${basename(flowFile)} (debugging)`, environmentId: 'debug', environment: 'Flow debugger', baseUrl: `sarufi-flow-debug:${flowFile}` },
          api,
        );
        const window: DebuggeeWindow = { api, panel };
        panel.onDidClose(() => {
          window.panel = null;
        });
        windows.set(session.id, window);
        // A Debug Console line goes through the panel, which shows it as the user's message.
        adapter.routeInputsTo((input) => {
          if (!window.panel) {
            return false;
          }
          void window.panel.send(input.message, input.button_id ?? undefined);
          return true;
        });
      }
      return new vscode.DebugAdapterInlineImplementation(adapter);
    },
  };

  return vscode.Disposable.from(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
      const window = windows.get(event.session.id);
      if (!window) {
        return;
      }
      const body = event.body as { description?: string } | undefined;
      switch (event.event) {
        case TURN_EVENT:
          window.api.turnEnded(event.body as DebugTurn);
          return;
        case PAUSED_EVENT:
          window.panel?.showPaused(body?.description ?? 'stopped');
          return;
        case SENT_EVENT:
          // The adapter's event is JSON from another process: read as the page reads any bot message.
          window.panel?.showSent(normaliseMessages((event.body as { messages?: unknown } | undefined)?.messages) ?? []);
          return;
        case RESUMED_EVENT:
          window.panel?.showPaused(null);
      }
    }),
    vscode.debug.onDidTerminateDebugSession((session) => {
      const window = windows.get(session.id);
      windows.delete(session.id);
      window?.panel?.announce('The debug session ended: start it again (F5) to go on debugging this flow.');
    }),
  );
}
