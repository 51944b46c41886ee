// Sarufi: Export Bug Report: writes a chat panel's last session as a self-reproducing report
// (the lazy bundle's bugReport.ts), beside the flow file for sandbox chats.
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { Transcript } from '../../chat/transcript.js';
import type { MockSet } from '../../flow/mocks.js';
import type { ChatPanels } from '../chatPanels.js';

export const EXPORT_BUG_REPORT_COMMAND = 'sarufi.exportBugReport';

export interface ExportBugReportDeps {
  panels: ChatPanels;
  /** Every key that must not appear in the report. */
  secrets: () => Promise<string[]>;
  flowFileOf: (chatbotId: string) => Promise<string | undefined>;
  /** The mocks a sandbox chat session runs with (null: none); rejects when the sandbox no longer has the session. */
  sessionMocks: (chatbotId: string, sessionId: string) => Promise<MockSet | null>;
}

/** What the command may be given: the chat (else the only one open, else a pick) and where to write. */
export interface ExportBugReportArgs {
  panelId?: string;
  /** Where to write; by default a save dialog. Tests pass a fixed answer. */
  ask?: (defaultUri: vscode.Uri) => Thenable<vscode.Uri | undefined>;
}

async function pickPanel(panels: ChatPanels, panelId: string | undefined) {
  if (panelId !== undefined) {
    return panels.get(panelId);
  }
  const open = panels.all().filter((panel) => !panel.transcript.readOnly);
  if (open.length <= 1) {
    return open[0];
  }
  const picked = await vscode.window.showQuickPick(
    open.map((panel) => ({ label: panel.transcript.session.chatbotName, description: panel.transcript.session.environment, panel })),
    { placeHolder: 'The chat to export as a bug report' },
  );
  return picked?.panel;
}

/**
 * The mocks the chat's last session ran with, so that its replay answers the same and calls no
 * live backend the chat did not; null for a chat on a server, which runs no mocks of ours.
 */
async function chatMocks(deps: ExportBugReportDeps, sessionId: string | undefined, session: Transcript['session']): Promise<MockSet | null> {
  if (session.environmentId !== 'sandbox' || sessionId === undefined) {
    return null;
  }
  try {
    return await deps.sessionMocks(session.chatbotId, sessionId);
  } catch (error) {
    void vscode.window.showWarningMessage(
      `The bug report carries no mocks: the sandbox no longer has this chat's session (${error instanceof Error ? error.message : String(error)}). Its replay calls the backends that sarufi.sandbox.json names.`,
    );
    return null;
  }
}

/** Returns the file written, or undefined when there was no chat or the author cancelled. */
export async function exportBugReport(deps: ExportBugReportDeps, args: ExportBugReportArgs = {}): Promise<vscode.Uri | undefined> {
  const panel = await pickPanel(deps.panels, args.panelId);
  if (!panel) {
    void vscode.window
      .showInformationMessage('Open a chat first: a bug report is made from a chat panel.', 'Start Chat')
      .then((choice) => choice && vscode.commands.executeCommand('sarufi.startChat'));
    return undefined;
  }
  const transcript = panel.transcript;
  const session = transcript.session;
  const flowPath = session.environmentId === 'sandbox' ? await deps.flowFileOf(session.chatbotId) : undefined;
  const folder = flowPath ? vscode.Uri.joinPath(vscode.Uri.file(flowPath), '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const { bugReportFileName, buildBugReport, lastSessionTurns } = await import('../../lazy/conversationTests.js');
  const name = bugReportFileName(flowPath, session.chatbotName);
  const defaultUri = folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(name);
  const ask = args.ask ?? ((uri: vscode.Uri) => vscode.window.showSaveDialog({ defaultUri: uri, filters: { 'Sarufi bug report': ['json'] }, title: 'Export the chat as a bug report' }));
  const target = await ask(defaultUri);
  if (!target) {
    return undefined;
  }
  const mocks = await chatMocks(deps, lastSessionTurns(transcript).at(-1)?.sessionId, session);
  const fromReport = flowPath ? relative(vscode.Uri.joinPath(target, '..').fsPath, flowPath).split(sep).join('/') : null;
  const text = await buildBugReport({
    transcript,
    flow: flowPath && fromReport ? { path: flowPath, fromReport } : null,
    mocks,
    secrets: await deps.secrets(),
  });
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(target, { preview: false });
  return target;
}
