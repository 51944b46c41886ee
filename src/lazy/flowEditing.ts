// The flow-editing bundle (dist/flowEditing.js): problems placed in the text, the Create state quick
// fix, the preview's marks, and the flow language (symbols, rename, completion, outline, hovers),
// with jsonc-parser and the validator they run. The editor loads it when it first checks, fixes,
// previews or navigates a flow file, not at activation.
export { flowProblems, placeIssues } from '../flows/diagnostics.js';
export { FlowDocument } from '../flows/flowDocument.js';
export { previewProgress } from '../flows/previewMarks.js';
export { closestStates, createStateEdits } from '../flows/quickFixes.js';
export { startVariables } from '../flows/startVariables.js';
export { flowCompletions } from '../flows/flowCompletion.js';
export { flowOutline, workspaceSymbolMatches } from '../flows/flowOutline.js';
export { assertRenamableState, prepareRename, RenameRefused, renameEdits } from '../flows/flowRename.js';
export { FlowSymbols, sandboxConfigIntegrations } from '../flows/flowSymbols.js';
export { intentHover, integrationHover, stateHover, variableHover } from '../flows/stateSummary.js';
