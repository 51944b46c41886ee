// Go to Definition, Find All References, hover, the outline and Go to Symbol in Workspace for flow
// files (and from a conversation test's expected state), on the pure symbol index.
import * as vscode from 'vscode';
import type { FlowSymbols } from '../../flows/flowSymbols.js';
import { flowOutline } from '../../flows/flowOutline.js';
import type { OutlineEntry, OutlineKind } from '../../flows/flowOutline.js';
import { LineIndex } from '../../flows/positions.js';
import { escapeMarkdown, stateHover, variableHover } from '../../flows/stateSummary.js';
import type { FlowSymbolCache } from './flowSymbolCache.js';
import { locationIn, resolveSymbol } from './flowSymbolTargets.js';
import type { ResolvedSymbol } from './flowSymbolTargets.js';
import { toRange } from './vscodeRanges.js';

const OUTLINE_KINDS: Record<OutlineKind, vscode.SymbolKind> = {
  state: vscode.SymbolKind.Class,
  intents: vscode.SymbolKind.Namespace,
  intent: vscode.SymbolKind.EnumMember,
  integrations: vscode.SymbolKind.Namespace,
  integration: vscode.SymbolKind.Interface,
};

export class FlowNavigation
  implements vscode.DefinitionProvider, vscode.ReferenceProvider, vscode.HoverProvider, vscode.DocumentSymbolProvider, vscode.WorkspaceSymbolProvider
{
  constructor(private readonly cache: FlowSymbolCache) {}

  async provideDefinition(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.LocationLink[]> {
    const symbol = await resolveSymbol(this.cache, document, position);
    if (!symbol) {
      return [];
    }
    const targets = await this.definitions(symbol);
    return targets.map((target) => ({ originSelectionRange: symbol.origin, targetUri: target.uri, targetRange: target.range, targetSelectionRange: target.range }));
  }

  async provideReferences(document: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): Promise<vscode.Location[]> {
    const symbol = await resolveSymbol(this.cache, document, position);
    if (!symbol) {
      return [];
    }
    const { flow, flowUri, kind, name } = symbol;
    const locations: vscode.Location[] = [];
    for (const occurrence of flow.occurrencesOf(kind, name)) {
      if (context.includeDeclaration || occurrence.role === 'reference') {
        locations.push(locationIn(flowUri, flow, occurrence.span));
      }
    }
    if (kind === 'state') {
      // Templates and conditions that read the state's answer are renamed with it, so they are its uses too.
      locations.push(...flow.variableReferencesTo(name).map((reference) => locationIn(flowUri, flow, reference.span)));
      for (const test of await this.cache.testsOf(flowUri)) {
        locations.push(...test.symbols.states.filter((state) => state.name === name).map((state) => locationIn(test.uri, test.symbols, state.span)));
      }
    }
    if (kind === 'variable' && context.includeDeclaration && flow.state(name)) {
      const state = flow.state(name);
      if (state) {
        locations.push(locationIn(flowUri, flow, state.key));
      }
    }
    if (kind === 'integration' && context.includeDeclaration) {
      locations.push(...(await this.sandboxDefinitions(name)));
    }
    return locations;
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const symbol = await resolveSymbol(this.cache, document, position);
    if (!symbol) {
      return undefined;
    }
    const text = await this.hoverText(symbol);
    return new vscode.Hover(new vscode.MarkdownString(text), symbol.origin);
  }

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const symbols = this.cache.flow(document);
    const convert = (entry: OutlineEntry): vscode.DocumentSymbol => {
      const symbol = new vscode.DocumentSymbol(entry.name, entry.detail, OUTLINE_KINDS[entry.kind], toRange(symbols.range(entry.whole)), toRange(symbols.range(entry.key)));
      symbol.children = entry.children.map(convert);
      return symbol;
    };
    return flowOutline(symbols).map(convert);
  }

  async provideWorkspaceSymbols(query: string, token: vscode.CancellationToken): Promise<vscode.SymbolInformation[]> {
    const wanted = query.toLowerCase();
    const results: vscode.SymbolInformation[] = [];
    for (const { uri, symbols } of await this.cache.flows(token)) {
      const container = uri.path.split('/').pop() ?? uri.path;
      for (const state of symbols.states) {
        if (matchesQuery(state.name, wanted)) {
          results.push(new vscode.SymbolInformation(state.name, vscode.SymbolKind.Class, `state in ${container}`, locationIn(uri, symbols, state.key)));
        }
      }
      for (const intent of symbols.intents) {
        if (matchesQuery(intent.name, wanted)) {
          results.push(new vscode.SymbolInformation(intent.name, vscode.SymbolKind.EnumMember, `intent in ${container}`, locationIn(uri, symbols, intent.key)));
        }
      }
    }
    return results;
  }

  private async definitions(symbol: ResolvedSymbol): Promise<vscode.Location[]> {
    const { flow, flowUri, kind, name } = symbol;
    switch (kind) {
      case 'state': {
        const state = flow.state(name);
        return state ? [locationIn(flowUri, flow, state.key)] : [];
      }
      case 'intent':
        return flow.intents.filter((intent) => intent.name === name).map((intent) => locationIn(flowUri, flow, intent.key));
      case 'integration': {
        const own = flow.integrations.filter((integration) => integration.name === name).map((integration) => locationIn(flowUri, flow, integration.key));
        return own.length > 0 ? own : this.sandboxDefinitions(name);
      }
      case 'variable':
        return flow.settersOf(name).map((setter) => locationIn(flowUri, flow, setter.span));
    }
  }

  private async sandboxDefinitions(name: string): Promise<vscode.Location[]> {
    return (await this.cache.sandboxIntegrations())
      .filter((integration) => integration.name === name)
      .map((integration) => new vscode.Location(integration.uri, toRange(new LineIndex(integration.text).range(integration.key.offset, integration.key.length))));
  }

  private async hoverText(symbol: ResolvedSymbol): Promise<string> {
    const { flow, kind, name } = symbol;
    switch (kind) {
      case 'state':
        return stateHover(flow, name);
      case 'variable':
        return variableHover(flow, name);
      case 'intent': {
        const uses = flow.intentReferences.filter((reference) => reference.name === name).length;
        const defined = flow.intents.some((intent) => intent.name === name);
        return `Intent **${escapeMarkdown(name)}**: ${defined ? 'defined in this flow\'s "intents"' : 'not defined in this flow\'s "intents"'}; used by ${uses} transition${uses === 1 ? '' : 's'}.`;
      }
      case 'integration':
        return integrationHover(flow, name, (await this.sandboxDefinitions(name)).length > 0);
    }
  }
}

function integrationHover(flow: FlowSymbols, name: string, inSandboxConfig: boolean): string {
  const where = flow.integrations.some((integration) => integration.name === name)
    ? 'this flow\'s "integrations"'
    : inSandboxConfig
      ? 'sarufi.sandbox.json'
      : 'nowhere the sandbox reads (add it to sarufi.sandbox.json or the flow\'s "integrations")';
  const uses = flow.integrationReferences.filter((reference) => reference.name === name).length;
  return `Integration **${escapeMarkdown(name)}**: defined in ${where}; called by ${uses} API_CALL${uses === 1 ? '' : 's'}.`;
}

/** Letters of the query in order (VS Code filters and ranks the results again). */
function matchesQuery(name: string, wanted: string): boolean {
  let at = 0;
  const lower = name.toLowerCase();
  for (const char of wanted) {
    at = lower.indexOf(char, at);
    if (at === -1) {
      return false;
    }
    at += 1;
  }
  return true;
}
