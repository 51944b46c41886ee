// Go to Definition, Find All References, hover, the outline and Go to Symbol in Workspace for flow
// files (and from a conversation test's expected state), on the pure symbol index.
import * as vscode from 'vscode';
import type { OutlineEntry, OutlineKind } from '../../flows/flowOutline.js';
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
    const answeredBy = kind === 'variable' && context.includeDeclaration ? flow.state(name) : undefined;
    if (answeredBy) {
      // A state's key stands for its answer too (the index lists it once, as the state).
      locations.push(locationIn(flowUri, flow, answeredBy.key));
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

  async provideDocumentSymbols(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    const [symbols, { flowOutline }] = await Promise.all([this.cache.flow(document), import('../../lazy/flowEditing.js')]);
    const convert = (entry: OutlineEntry): vscode.DocumentSymbol => {
      const symbol = new vscode.DocumentSymbol(entry.name, entry.detail, OUTLINE_KINDS[entry.kind], toRange(symbols.range(entry.whole)), toRange(symbols.range(entry.key)));
      symbol.children = entry.children.map(convert);
      return symbol;
    };
    return flowOutline(symbols).map(convert);
  }

  async provideWorkspaceSymbols(query: string, token: vscode.CancellationToken): Promise<vscode.SymbolInformation[]> {
    const [flows, { workspaceSymbolMatches }] = await Promise.all([this.cache.flows(token), import('../../lazy/flowEditing.js')]);
    return flows.flatMap(({ uri, symbols }) =>
      workspaceSymbolMatches(symbols, query).map(
        (match) =>
          new vscode.SymbolInformation(
            match.name,
            match.kind === 'state' ? vscode.SymbolKind.Class : vscode.SymbolKind.EnumMember,
            `${match.kind} in ${uri.path.split('/').pop() ?? uri.path}`,
            locationIn(uri, symbols, match.key),
          ),
      ),
    );
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
    return (await this.cache.sandboxIntegrations()).filter((integration) => integration.name === name).map((integration) => integration.location);
  }

  private async hoverText(symbol: ResolvedSymbol): Promise<string> {
    const { flow, kind, name } = symbol;
    const summary = await import('../../lazy/flowEditing.js');
    switch (kind) {
      case 'state':
        return summary.stateHover(flow, name);
      case 'variable':
        return summary.variableHover(flow, name);
      case 'intent':
        return summary.intentHover(flow, name);
      case 'integration':
        return summary.integrationHover(flow, name, (await this.sandboxDefinitions(name)).length > 0);
    }
  }
}
