// The bundle of the flow language's providers (dist/flowLanguage.js): definition, references,
// hover, outline, workspace symbols, completion and rename over the symbol index. Loaded when VS
// Code first asks one of them, not at activation; the index itself is in dist/flowEditing.js.
export { FlowCompletionProvider } from '../flows/flowCompletionProvider.js';
export { FlowNavigation } from '../flows/flowNavigation.js';
export { FlowRenameProvider } from '../flows/flowRenameProvider.js';
export { FlowSymbolCache } from '../flows/flowSymbolCache.js';
