// F2 on a state or an intent (in the flow, or on a test's expected state): one WorkspaceEdit over
// the flow and its conversation tests, which VS Code applies as one undo and saves as
// `files.refactoring.autoSave` says. Refusals come back as errors whose words VS Code shows.
import * as vscode from 'vscode';
import type { RenameTarget } from '../../flows/flowRename.js';
import type { FlowSymbolCache } from './flowSymbolCache.js';
import { isTestDocument } from './flowSymbolCache.js';
import { resolveSymbol } from './flowSymbolTargets.js';
import type { ResolvedSymbol } from './flowSymbolTargets.js';
import { toRange } from './vscodeRanges.js';

export class FlowRenameProvider implements vscode.RenameProvider {
  constructor(private readonly cache: FlowSymbolCache) {}

  async prepareRename(document: vscode.TextDocument, position: vscode.Position): Promise<{ range: vscode.Range; placeholder: string }> {
    const { target, range } = await this.target(document, position);
    return { range, placeholder: target.name };
  }

  async provideRenameEdits(document: vscode.TextDocument, position: vscode.Position, newName: string): Promise<vscode.WorkspaceEdit> {
    const { symbol, target } = await this.target(document, position);
    const tests = target.kind === 'state' ? await this.cache.testsOf(symbol.flowUri) : [];
    const { renameEdits } = await import('../../lazy/flowEditing.js');
    const plan = await refusalsAsErrors(() =>
      renameEdits(
        symbol.flow,
        target,
        newName,
        tests.map((test) => ({ file: test.uri.toString(), symbols: test.symbols })),
      ),
    );
    const edit = new vscode.WorkspaceEdit();
    for (const change of plan.flow) {
      edit.replace(symbol.flowUri, toRange(symbol.flow.range(change)), change.newText);
    }
    for (const { file, changes } of plan.tests) {
      const test = tests.find((candidate) => candidate.uri.toString() === file);
      for (const change of test ? changes : []) {
        edit.replace(vscode.Uri.parse(file), toRange(test?.symbols.range(change) ?? symbol.flow.range(change)), change.newText);
      }
    }
    return edit;
  }

  private async target(document: vscode.TextDocument, position: vscode.Position): Promise<{ symbol: ResolvedSymbol; target: RenameTarget; range: vscode.Range }> {
    const symbol = await resolveSymbol(this.cache, document, position);
    if (!symbol) {
      throw new Error(isTestDocument(document) ? "Put the cursor on a step's expected state (its flow file must exist) to rename it." : 'Put the cursor on a state or an intent to rename it.');
    }
    const { assertRenamableState, prepareRename } = await import('../../lazy/flowEditing.js');
    if (symbol.test) {
      await refusalsAsErrors(() => assertRenamableState(symbol.flow, symbol.name));
      const inside = unquoted(document, symbol.origin);
      return { symbol, target: { kind: 'state', name: symbol.name, span: symbol.test.span }, range: inside };
    }
    const target = await refusalsAsErrors(() => prepareRename(symbol.flow, document.offsetAt(position)));
    return { symbol, target, range: toRange(symbol.flow.range(target.span)) };
  }
}

async function refusalsAsErrors<T>(run: () => T): Promise<T> {
  const { RenameRefused } = await import('../../lazy/flowEditing.js');
  try {
    return run();
  } catch (error) {
    // VS Code shows a provider's error message to the author as the reason the rename cannot happen.
    throw error instanceof RenameRefused ? new Error(error.message) : error;
  }
}

/** A YAML scalar's range without its quotes, so the rename box holds just the name. */
function unquoted(document: vscode.TextDocument, range: vscode.Range): vscode.Range {
  const text = document.getText(range);
  return /^(["']).*\1$/s.test(text) && range.isSingleLine ? new vscode.Range(range.start.translate(0, 1), range.end.translate(0, -1)) : range;
}
