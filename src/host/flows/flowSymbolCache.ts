// The symbol index of each open flow, kept per document version (a keystroke indexes once, however
// many features ask), and the workspace's flow files, conversation tests and sarufi.sandbox.json
// files, read once and dropped when they change on disk.
import * as vscode from 'vscode';
import type { FlowSymbols } from '../../flows/flowSymbols.js';
import type { TestSymbols } from '../../flows/testSymbols.js';
import { isFlowDocument, toRange } from './vscodeRanges.js';

const FLOW_GLOB = '**/*.flow.json';
const TEST_GLOB = '**/*.sarufi-test.yaml';
const CONFIG_GLOB = '**/sarufi.sandbox.json';
const EXCLUDE = '**/node_modules/**';
/** Larger files are not read for the workspace's symbols: a flow or a test is never that big. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface Indexed<T> {
  uri: vscode.Uri;
  /** The document when it is open (its text may be unsaved), for ranges and edits. */
  document: vscode.TextDocument | undefined;
  symbols: T;
}

export function isTestDocument(document: vscode.TextDocument): boolean {
  return document.uri.path.endsWith('.sarufi-test.yaml');
}

export class FlowSymbolCache implements vscode.Disposable {
  private readonly open = new Map<string, { version: number; symbols: FlowSymbols | TestSymbols }>();
  /** Files read from disk, by URI; dropped when the file changes. */
  private readonly onDisk = new Map<string, Promise<FlowSymbols | TestSymbols | undefined>>();
  private readonly lists = new Map<string, Promise<vscode.Uri[]>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    for (const glob of [FLOW_GLOB, TEST_GLOB, CONFIG_GLOB]) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      const changed = (uri: vscode.Uri): void => {
        this.onDisk.delete(uri.toString());
      };
      const createdOrDeleted = (uri: vscode.Uri): void => {
        changed(uri);
        this.lists.delete(glob);
      };
      this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(createdOrDeleted), watcher.onDidDelete(createdOrDeleted));
    }
    this.disposables.push(vscode.workspace.onDidCloseTextDocument((document) => this.open.delete(document.uri.toString())));
  }

  dispose(): void {
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  /** The index of an open flow at its current version (the flow-editing bundle is loaded on first use). */
  async flow(document: vscode.TextDocument): Promise<FlowSymbols> {
    const hit = this.hit(document);
    if (hit) {
      return hit as FlowSymbols;
    }
    const { FlowSymbols } = await import('../../lazy/flowEditing.js');
    return this.cached(document, () => FlowSymbols.of(document.getText())) as FlowSymbols;
  }

  /** The expected states of an open conversation test (yaml comes with the test runner's bundle). */
  async test(document: vscode.TextDocument): Promise<TestSymbols> {
    const hit = this.hit(document);
    if (hit) {
      return hit as TestSymbols;
    }
    const { indexTestFile } = await import('../../lazy/conversationTests.js');
    return this.cached(document, () => indexTestFile(document.getText())) as TestSymbols;
  }

  /** Every flow file of the workspace, open ones as they are in the editor. */
  async flows(token?: vscode.CancellationToken): Promise<Indexed<FlowSymbols>[]> {
    const [found, { FlowSymbols }] = await Promise.all([this.list(FLOW_GLOB), import('../../lazy/flowEditing.js')]);
    const indexed = await Promise.all(found.map((uri) => this.read(uri, (text) => FlowSymbols.of(text))));
    const result = indexed.filter((entry): entry is Indexed<FlowSymbols> => entry !== undefined);
    // Open flows that are not in the workspace's folders (a `sarufi:` flow, an untitled one) count too.
    for (const document of vscode.workspace.textDocuments) {
      if (isFlowDocument(document) && !result.some((entry) => entry.uri.toString() === document.uri.toString())) {
        result.push({ uri: document.uri, document, symbols: await this.flow(document) });
      }
    }
    return token?.isCancellationRequested ? [] : result;
  }

  /** The workspace's conversation tests that run this flow file. */
  async testsOf(flowUri: vscode.Uri): Promise<Indexed<TestSymbols>[]> {
    if (flowUri.scheme !== 'file') {
      // A test names its flow by a path on disk: flows opened from Sarufi have none.
      return [];
    }
    const [found, { indexTestFile, testTargetsFlow }] = await Promise.all([this.list(TEST_GLOB), import('../../lazy/conversationTests.js')]);
    const indexed = await Promise.all(found.map((uri) => this.read(uri, (text) => indexTestFile(text))));
    return indexed.filter(
      (entry): entry is Indexed<TestSymbols> => entry !== undefined && testTargetsFlow(entry.uri.fsPath, entry.symbols as TestSymbols, flowUri.fsPath),
    );
  }

  /** The integrations the workspace's sarufi.sandbox.json files define (the sandbox reads them all). */
  async sandboxIntegrations(): Promise<{ name: string; location: vscode.Location }[]> {
    const [found, { sandboxConfigIntegrations }] = await Promise.all([this.list(CONFIG_GLOB), import('../../lazy/flowEditing.js')]);
    const read = await Promise.all(found.map((uri) => this.readText(uri)));
    return read.flatMap((entry) =>
      entry ? sandboxConfigIntegrations(entry.text).map(({ name, keyRange }) => ({ name, location: new vscode.Location(entry.uri, toRange(keyRange)) })) : [],
    );
  }

  /** The flow document a test file targets, opened (VS Code reads it; it shows in no editor). */
  async flowOfTest(testUri: vscode.Uri, test: TestSymbols): Promise<vscode.TextDocument | undefined> {
    if (!test.flow || testUri.scheme !== 'file') {
      return undefined;
    }
    const uri = vscode.Uri.joinPath(testUri, '..', test.flow.value);
    try {
      return await vscode.workspace.openTextDocument(uri);
    } catch {
      return undefined;
    }
  }

  private hit(document: vscode.TextDocument): FlowSymbols | TestSymbols | undefined {
    const hit = this.open.get(document.uri.toString());
    return hit && hit.version === document.version ? hit.symbols : undefined;
  }

  private cached(document: vscode.TextDocument, build: () => FlowSymbols | TestSymbols): FlowSymbols | TestSymbols {
    const hit = this.hit(document);
    if (hit) {
      return hit;
    }
    const symbols = build();
    this.open.set(document.uri.toString(), { version: document.version, symbols });
    return symbols;
  }

  private list(glob: string): Promise<vscode.Uri[]> {
    let found = this.lists.get(glob);
    if (!found) {
      found = Promise.resolve(vscode.workspace.findFiles(glob, EXCLUDE));
      this.lists.set(glob, found);
      // A failed search is not remembered: the next request tries again.
      found.catch(() => this.lists.delete(glob));
    }
    return found;
  }

  private async read<T extends FlowSymbols | TestSymbols>(uri: vscode.Uri, index: (text: string) => T): Promise<Indexed<T> | undefined> {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    if (document) {
      return { uri, document, symbols: this.cached(document, () => index(document.getText())) as T };
    }
    const key = uri.toString();
    let symbols = this.onDisk.get(key);
    if (!symbols) {
      symbols = this.readText(uri).then((entry) => (entry ? index(entry.text) : undefined));
      this.onDisk.set(key, symbols);
    }
    const read = (await symbols) as T | undefined;
    return read ? { uri, document: undefined, symbols: read } : undefined;
  }

  private async readText(uri: vscode.Uri): Promise<{ uri: vscode.Uri; document: vscode.TextDocument | undefined; text: string } | undefined> {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    if (document) {
      return { uri, document, text: document.getText() };
    }
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) {
        return undefined;
      }
      return { uri, document: undefined, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
    } catch {
      // Deleted between the search and the read: it has no symbols.
      return undefined;
    }
  }
}
