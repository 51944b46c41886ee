// Flow files as a language: definition, references, hover, outline, workspace symbols, completion
// and rename, for `*.flow.json` on disk and flows opened from Sarufi, and (definition, references,
// hover, rename) for a conversation test's expected states. The providers registered here are
// stand-ins: the real ones load with their bundle the first time VS Code asks one of them.
import * as vscode from 'vscode';
import type { FlowCompletionProvider } from './flowCompletionProvider.js';
import type { FlowNavigation } from './flowNavigation.js';
import type { FlowRenameProvider } from './flowRenameProvider.js';
import type { FlowSymbolCache } from './flowSymbolCache.js';

const FLOWS: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.flow.json' },
  { scheme: 'sarufi', pattern: '**/*.flow.json' },
  { scheme: 'untitled', pattern: '**/*.flow.json' },
];
const FLOWS_AND_TESTS: vscode.DocumentSelector = [...FLOWS, { scheme: 'file', pattern: '**/*.sarufi-test.yaml' }];
/** A target's opening quote, and a template's `{`. */
const COMPLETION_TRIGGERS = ['"', '{'];

interface Providers {
  cache: FlowSymbolCache;
  navigation: FlowNavigation;
  rename: FlowRenameProvider;
  completion: FlowCompletionProvider;
}

export function registerFlowLanguage(): vscode.Disposable {
  let loaded: Promise<Providers> | undefined;
  const providers = (): Promise<Providers> =>
    (loaded ??= import('../lazy/flowLanguage.js').then(({ FlowCompletionProvider, FlowNavigation, FlowRenameProvider, FlowSymbolCache }) => {
      const cache = new FlowSymbolCache();
      return { cache, navigation: new FlowNavigation(cache), rename: new FlowRenameProvider(cache), completion: new FlowCompletionProvider(cache) };
    }));
  return vscode.Disposable.from(
    { dispose: () => void loaded?.then(({ cache }) => cache.dispose()) },
    vscode.languages.registerDefinitionProvider(FLOWS_AND_TESTS, { provideDefinition: async (document, position) => (await providers()).navigation.provideDefinition(document, position) }),
    vscode.languages.registerReferenceProvider(FLOWS_AND_TESTS, {
      provideReferences: async (document, position, context) => (await providers()).navigation.provideReferences(document, position, context),
    }),
    vscode.languages.registerHoverProvider(FLOWS_AND_TESTS, { provideHover: async (document, position) => (await providers()).navigation.provideHover(document, position) }),
    vscode.languages.registerRenameProvider(FLOWS_AND_TESTS, {
      prepareRename: async (document, position) => (await providers()).rename.prepareRename(document, position),
      provideRenameEdits: async (document, position, newName) => (await providers()).rename.provideRenameEdits(document, position, newName),
    }),
    vscode.languages.registerDocumentSymbolProvider(FLOWS, { provideDocumentSymbols: async (document) => (await providers()).navigation.provideDocumentSymbols(document) }, { label: 'Sarufi flow' }),
    vscode.languages.registerWorkspaceSymbolProvider({ provideWorkspaceSymbols: async (query, token) => (await providers()).navigation.provideWorkspaceSymbols(query, token) }),
    vscode.languages.registerCompletionItemProvider(
      FLOWS,
      { provideCompletionItems: async (document, position) => (await providers()).completion.provideCompletionItems(document, position) },
      ...COMPLETION_TRIGGERS,
    ),
  );
}
