// Which folders of the workspace hold a bot of Sarufi's first API, kept in the `sarufi.v1BotFolders`
// context key: the Explorer offers Convert v1 Flow on those folders, not on every folder.
import * as vscode from 'vscode';

/** The flow file names the converter reads (src/flows/convertV1Files.ts): the SDKs' and the dashboard export's. */
const BOT_FLOW_GLOBS = ['**/{flow,flows,dialog}.{json,yaml,yml}', '**/* flow.json'];
const EXCLUDE = '**/node_modules/**';
/** Enough for any workspace of bots; a larger one keeps the menu on the folders found first. */
const MAX_FILES = 1000;
/** Lets a burst of file events (a checkout, an unzip) settle into one search. */
const SETTLE_MS = 300;
export const V1_BOT_FOLDERS_KEY = 'sarufi.v1BotFolders';

export function trackV1BotFolders(): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async (): Promise<void> => {
    const found = (await Promise.all(BOT_FLOW_GLOBS.map((glob) => vscode.workspace.findFiles(glob, EXCLUDE, MAX_FILES)))).flat();
    // `resourcePath`, which the menu's `in` compares with, is the folder's file-system path.
    const folders = [...new Set(found.filter((uri) => uri.scheme === 'file').map((uri) => vscode.Uri.joinPath(uri, '..').fsPath))];
    await vscode.commands.executeCommand('setContext', V1_BOT_FOLDERS_KEY, folders);
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), SETTLE_MS);
  };
  const watchers = BOT_FLOW_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob, false, true, false));
  const listeners = watchers.flatMap((watcher) => [watcher.onDidCreate(schedule), watcher.onDidDelete(schedule)]);
  void refresh();
  return vscode.Disposable.from(...watchers, ...listeners, vscode.workspace.onDidChangeWorkspaceFolders(schedule), { dispose: () => clearTimeout(timer) });
}
