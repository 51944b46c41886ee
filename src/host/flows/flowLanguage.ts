// Flow files as a language: definition, references, hover, outline, workspace symbols, completion
// and rename, for `*.flow.json` on disk and flows opened from Sarufi, and (definition, references,
// hover, rename) for a conversation test's expected states.
import * as vscode from 'vscode';
import { COMPLETION_TRIGGERS, FlowCompletionProvider } from './flowCompletionProvider.js';
import { FlowNavigation } from './flowNavigation.js';
import { FlowRenameProvider } from './flowRenameProvider.js';
import { FlowSymbolCache } from './flowSymbolCache.js';

const FLOWS: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.flow.json' },
  { scheme: 'sarufi', pattern: '**/*.flow.json' },
  { scheme: 'untitled', pattern: '**/*.flow.json' },
];
const FLOWS_AND_TESTS: vscode.DocumentSelector = [...FLOWS, { scheme: 'file', pattern: '**/*.sarufi-test.yaml' }];

export function registerFlowLanguage(): vscode.Disposable {
  const cache = new FlowSymbolCache();
  const navigation = new FlowNavigation(cache);
  return vscode.Disposable.from(
    cache,
    vscode.languages.registerDefinitionProvider(FLOWS_AND_TESTS, navigation),
    vscode.languages.registerReferenceProvider(FLOWS_AND_TESTS, navigation),
    vscode.languages.registerHoverProvider(FLOWS_AND_TESTS, navigation),
    vscode.languages.registerRenameProvider(FLOWS_AND_TESTS, new FlowRenameProvider(cache)),
    vscode.languages.registerDocumentSymbolProvider(FLOWS, navigation, { label: 'Sarufi flow' }),
    vscode.languages.registerWorkspaceSymbolProvider(navigation),
    vscode.languages.registerCompletionItemProvider(FLOWS, new FlowCompletionProvider(cache), ...COMPLETION_TRIGGERS),
  );
}
