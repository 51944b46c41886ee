// Sarufi: Convert v1 Flow: writes a dev/v1 `*.flow.json` beside an existing Sarufi bot (a folder,
// or any of its flow, intents or metadata files, YAML or JSON), opens it, and lists what the author
// should check by hand.
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

/** Converts `target` (a folder or a file; else the active editor's file); answers the new file's URI, or undefined when nothing was written. */
export async function convertV1Flow(log: vscode.LogOutputChannel, target?: vscode.Uri, options: ConvertV1Options = {}): Promise<vscode.Uri | undefined> {
  const source = target ?? vscode.window.activeTextEditor?.document.uri;
  if (!source || source.scheme !== 'file') {
    void vscode.window.showInformationMessage('Open a v1 flow file (or pick a bot\'s folder or file in the Explorer), then run Sarufi: Convert v1 Flow.');
    return undefined;
  }
  const isFolder = ((await vscode.workspace.fs.stat(source)).type & vscode.FileType.Directory) !== 0;
  const folder = isFolder ? source : vscode.Uri.joinPath(source, '..');
  const folderName = folder.path.split('/').filter(Boolean).pop() ?? 'flow';
  const picked = isFolder ? null : (source.path.split('/').pop() ?? null);
  const fileNames = (await vscode.workspace.fs.readDirectory(folder)).filter(([, type]) => (type & vscode.FileType.File) !== 0).map(([name]) => name);
  // An open editor's text is what the author sees, saved or not.
  const read = async (name: string): Promise<string> => {
    const uri = vscode.Uri.joinPath(folder, name);
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    return open?.getText() ?? (await readText(uri)) ?? '';
  };
  // The converter is its own bundle: most authors never hold a v1 file.
  const { convertV1Bot, V1ConversionError } = await import('../../lazy/v1Conversion.js');
  let converted;
  try {
    converted = await convertV1Bot({ folderName, fileNames, picked }, read);
  } catch (error) {
    if (error instanceof V1ConversionError) {
      void vscode.window.showErrorMessage(`${picked ?? folderName} was not converted. ${error.message}`);
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
  log.info(`Converted ${converted.read.join(' + ')} in ${folder.fsPath} to ${converted.fileName}${converted.notes.map((note) => `\n  - ${note}`).join('')}`);
  await vscode.window.showTextDocument(output, { preview: false });
  const summary = converted.notes.length === 0 ? 'Nothing needs checking by hand.' : `${converted.notes.length} thing(s) to check by hand.`;
  void vscode.window.showInformationMessage(`Wrote ${converted.fileName}, a dev/v1 flow. ${summary}`, ...(converted.notes.length > 0 ? ['Show Notes'] : [])).then((choice) => {
    if (choice === 'Show Notes') {
      log.show(true);
    }
  });
  return output;
}
