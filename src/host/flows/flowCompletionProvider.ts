// Ctrl+Space in a flow file: state names where a target goes (each showing what the state sends),
// intent names as `transitions.intents` keys, integrations in an API_CALL, variables inside `{{ }}`.
import * as vscode from 'vscode';
import type { CompletionKind } from '../../flows/flowCompletion.js';
import type { FlowSymbolCache } from './flowSymbolCache.js';
import { toRange } from './vscodeRanges.js';

const ITEM_KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  state: vscode.CompletionItemKind.Class,
  intent: vscode.CompletionItemKind.EnumMember,
  integration: vscode.CompletionItemKind.Interface,
  variable: vscode.CompletionItemKind.Variable,
};

export class FlowCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly cache: FlowSymbolCache) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionList | undefined> {
    const [symbols, { flowCompletions, stateHover }] = await Promise.all([this.cache.flow(document), import('../../lazy/flowEditing.js')]);
    const offset = document.offsetAt(position);
    // The sandbox config's integrations are read only where an integration goes.
    const needsIntegrations = /"integration"\s*:\s*"?[^"]*$/.test(document.lineAt(position.line).text.slice(0, position.character));
    const known = needsIntegrations ? (await this.cache.sandboxIntegrations()).map((integration) => integration.name) : [];
    const completion = flowCompletions(symbols, offset, known);
    if (!completion) {
      return undefined;
    }
    const range = toRange(symbols.range(completion.replace));
    const items = completion.items.map((entry) => {
      const item = new vscode.CompletionItem({ label: entry.label, description: entry.detail }, ITEM_KINDS[entry.kind]);
      item.insertText = entry.insertText;
      // The range may start at the string's opening quote: the filter compares from there.
      item.filterText = entry.insertText;
      item.range = range;
      item.sortText = entry.sortText;
      item.detail = entry.detail;
      if (entry.kind === 'state') {
        item.documentation = new vscode.MarkdownString(stateHover(symbols, entry.label));
      }
      return item;
    });
    // Only the flow's own names fit here; VS Code's word-based suggestions would be noise.
    return new vscode.CompletionList(items, false);
  }
}
