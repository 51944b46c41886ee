// Sarufi: Convert v1 Flow: writes a dev/v1 `*.flow.json` beside a v1 `flow.json` (reading the
// `intents.json` next to it), opens it, and lists what the author should check by hand.
import * as vscode from 'vscode';

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
      return undefined;
    }
    throw error;
  }
}

export interface ConvertV1Options {
  /** Replace an existing converted file without asking (for scripts and tests). */
  overwrite?: boolean;
}

/** Converts `target` (or the active editor's file); answers the new file's URI, or undefined when nothing was written. */
export async function convertV1Flow(log: vscode.LogOutputChannel, target?: vscode.Uri, options: ConvertV1Options = {}): Promise<vscode.Uri | undefined> {
  const source = target ?? vscode.window.activeTextEditor?.document.uri;
  if (!source || source.scheme !== 'file') {
    void vscode.window.showInformationMessage('Open a v1 flow.json (or pick one in the Explorer), then run Sarufi: Convert v1 Flow.');
    return undefined;
  }
  const folder = vscode.Uri.joinPath(source, '..');
  const folderName = folder.path.split('/').filter(Boolean).pop() ?? 'flow';
  const fileName = source.path.split('/').pop() ?? 'flow.json';
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === source.toString());
  // The converter is its own bundle: most authors never hold a v1 file.
  const { convertV1Files, V1_INTENTS_FILE, V1ConversionError } = await import('../../lazy/v1Conversion.js');
  let converted;
  try {
    converted = convertV1Files({
      flowFileName: fileName,
      folderName,
      flowText: open?.getText() ?? (await readText(source)) ?? '',
      intentsText: await readText(vscode.Uri.joinPath(folder, V1_INTENTS_FILE)),
    });
  } catch (error) {
    if (error instanceof V1ConversionError) {
      void vscode.window.showErrorMessage(`${fileName} was not converted. ${error.message}`);
      return undefined;
    }
    throw error;
  }
  const output = vscode.Uri.joinPath(folder, converted.fileName);
  if (!options.overwrite && (await readText(output)) !== undefined) {
    const answer = await vscode.window.showWarningMessage(`${converted.fileName} exists. Replace it with the converted flow?`, { modal: true }, 'Replace');
    if (answer !== 'Replace') {
      return undefined;
    }
  }
  await vscode.workspace.fs.writeFile(output, new TextEncoder().encode(converted.text));
  log.info(`Converted ${source.fsPath} to ${converted.fileName}${converted.notes.map((note) => `\n  - ${note}`).join('')}`);
  await vscode.window.showTextDocument(output, { preview: false });
  const summary = converted.notes.length === 0 ? 'Nothing needs checking by hand.' : `${converted.notes.length} thing(s) to check by hand.`;
  void vscode.window.showInformationMessage(`Wrote ${converted.fileName}, a dev/v1 flow. ${summary}`, ...(converted.notes.length > 0 ? ['Show Notes'] : [])).then((choice) => {
    if (choice === 'Show Notes') {
      log.show(true);
    }
  });
  return output;
}
