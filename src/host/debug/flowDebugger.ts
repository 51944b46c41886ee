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
import { DebugChatApi, SEND_REQUEST, TURN_EVENT } from './debugChatApi.js';
import type { DebugTurn } from './debugChatApi.js';
import { normaliseMessages } from '../../flow/botMessages.js';

export const DEBUG_TYPE = 'sarufi-flow';
/** The adapter's custom events (src/debug/flowDebugSession.ts). */
const PAUSED_EVENT = 'sarufiPaused';
const RESUMED_EVENT = 'sarufiResumed';
const SENT_EVENT = 'sarufiSent';
const INPUT_EVENT = 'sarufiInput';

interface DebuggeeWindow {
  api: DebugChatApi;
  panel: ChatPanel | null;
}

export interface FlowDebuggerDeps {
  /** Where dist/flowDebugAdapter.js is. */
  extensionUri: vscode.Uri;
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
      // The chat panel is the debuggee's window: the Debug Console's messages go through it.
      resolved.routeInputs = resolved.chatPanel !== false;
      return resolved;
    },
  };

  const factory: vscode.DebugAdapterDescriptorFactory = {
    createDebugAdapterDescriptor(session) {
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
      }
      // The adapter and the conversation it debugs run in a process of their own (the stdio entry
      // other editors use), never in the extension host: a flow, paused or looping, cannot hold it.
      return new vscode.DebugAdapterExecutable(process.execPath, [vscode.Uri.joinPath(deps.extensionUri, 'dist', 'flowDebugAdapter.js').fsPath], {
        // Inside desktop VS Code, process.execPath is Electron: this makes it plain Node.
        env: { ELECTRON_RUN_AS_NODE: '1' },
      });
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
        case INPUT_EVENT: {
          // A Debug Console line goes through the panel, which shows it as the user's message.
          const input = event.body as { message?: unknown; button_id?: unknown };
          const message = typeof input.message === 'string' ? input.message : '';
          const buttonId = typeof input.button_id === 'string' ? input.button_id : undefined;
          if (window.panel) {
            void window.panel.send(message, buttonId);
          } else {
            void event.session.customRequest(SEND_REQUEST, { text: message, ...(buttonId === undefined ? {} : { buttonId }) });
          }
          return;
        }
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
