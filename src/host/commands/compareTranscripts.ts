// Sarufi: Compare Transcripts: two chats side by side in VS Code's diff editor, as the normalised
// text of src/chat/transcriptText.ts, on read-only documents of their own scheme. Reached from the
// palette, the Sessions view (Select for Compare, then Compare with Selected) and a panel's Compare.
import * as vscode from 'vscode';
import { distinctSessions, sessionRowDescription } from '../../chat/sessionRows.js';
import type { Transcript } from '../../chat/transcript.js';
import { transcriptText } from '../../chat/transcriptText.js';
import type { TranscriptStore, TranscriptSummary } from '../../chat/transcriptStore.js';
import { scrubSecrets } from '../../sarufi/redaction.js';
import { COMPARE_COMMAND } from '../chatPanel.js';
import type { ChatPanels } from '../chatPanels.js';

export const TRANSCRIPT_TEXT_SCHEME = 'sarufi-transcript';
const SELECTED_CONTEXT = 'sarufi.compareSelected';

export interface CompareDeps {
  panels: ChatPanels;
  store: TranscriptStore;
  /** The keys that must never reach a document, scrubbed as every export is. */
  secrets(): Promise<string[]>;
}

/** `panelId` is compared with `otherPanelId`, or with one the author picks; neither: the author picks both. */
export interface CompareArgs {
  panelId?: string;
  otherPanelId?: string;
}

interface SummaryItem extends vscode.QuickPickItem {
  panelId: string;
}

export function registerCompareTranscripts(deps: CompareDeps): vscode.Disposable {
  const documents = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let selected: string | undefined;

  const load = async (panelId: string): Promise<Transcript | undefined> => deps.panels.get(panelId)?.transcript ?? (await deps.store.load(panelId));
  const pick = (title: string, except?: string): Thenable<SummaryItem | undefined> =>
    vscode.window.showQuickPick(
      distinctSessions(deps.store.list())
        .filter((summary) => summary.panelId !== except)
        .map((summary) => summaryItem(summary, deps.panels.get(summary.panelId) !== undefined)),
      { title, placeHolder: 'Pick a transcript (the Sessions view lists the same chats)', matchOnDescription: true },
    );
  const documentOf = async (transcript: Transcript, panelId: string, side: string): Promise<vscode.Uri> => {
    const name = `${transcript.session.chatbotName.replace(/[^\w.-]+/g, '-')}-${side}.txt`;
    const uri = vscode.Uri.from({ scheme: TRANSCRIPT_TEXT_SCHEME, path: `/${panelId}/${name}` });
    documents.set(uri.toString(), scrubSecrets(transcriptText(transcript), await deps.secrets()));
    changed.fire(uri);
    return uri;
  };

  /** Opens the diff; resolves with the two documents' URIs (the tests read them), or undefined when cancelled. */
  const compare = async (args: CompareArgs = {}): Promise<[string, string] | undefined> => {
    const first = args.panelId ?? (await pick('Compare Transcripts: the first chat'))?.panelId;
    if (!first) {
      return undefined;
    }
    const second = args.otherPanelId ?? (await pick('Compare Transcripts: the chat to compare it with', first))?.panelId;
    if (!second) {
      return undefined;
    }
    const [left, right] = await Promise.all([load(first), load(second)]);
    if (!left || !right) {
      void vscode.window.showWarningMessage('One of those transcripts is no longer stored, so there is nothing to compare.');
      return undefined;
    }
    const leftUri = await documentOf(left, first, 'left');
    const rightUri = await documentOf(right, second, 'right');
    await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, `${titleOf(left)} ↔ ${titleOf(right)}`, { preview: false });
    return [leftUri.toString(), rightUri.toString()];
  };

  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(TRANSCRIPT_TEXT_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => documents.get(uri.toString()) ?? 'This transcript is no longer open for comparing: run Sarufi: Compare Transcripts again.',
    }),
    vscode.commands.registerCommand(COMPARE_COMMAND, (args?: CompareArgs) => compare(args)),
    vscode.commands.registerCommand('sarufi.selectForCompare', async (summary?: TranscriptSummary) => {
      if (!summary) {
        return;
      }
      selected = summary.panelId;
      await vscode.commands.executeCommand('setContext', SELECTED_CONTEXT, true);
      void vscode.window.setStatusBarMessage(`Selected ${summary.chatbotName} for compare: now Compare with Selected on another session`, 4000);
    }),
    vscode.commands.registerCommand('sarufi.compareWithSelected', (summary?: TranscriptSummary) =>
      selected && summary ? compare({ panelId: selected, otherPanelId: summary.panelId }) : compare(summary ? { panelId: summary.panelId } : {}),
    ),
  );
}

function summaryItem(summary: TranscriptSummary, open: boolean): SummaryItem {
  return {
    panelId: summary.panelId,
    label: summary.chatbotName,
    description: `${summary.environment} · ${sessionRowDescription(summary, open, Date.now())}`,
    detail: `Last activity ${summary.updatedAt}${summary.sessionId ? ` · session ${summary.sessionId}` : ''}`,
  };
}

function titleOf(transcript: Transcript): string {
  const { chatbotName, createdAt } = transcript.session;
  return createdAt ? `${chatbotName} (${createdAt.slice(0, 16).replace('T', ' ')})` : chatbotName;
}
