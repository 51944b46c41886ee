// The flow-editing bundle (dist/flowEditing.js): problems placed in the text, the Create state quick
// fix and the preview's marks, with jsonc-parser and the validator they run. The editor loads it
// when it first checks, fixes or previews a flow file, not at activation.
export { flowProblems, placeIssues } from '../flows/diagnostics.js';
export { FlowDocument } from '../flows/flowDocument.js';
export { previewProgress } from '../flows/previewMarks.js';
export { closestStates, createStateEdits } from '../flows/quickFixes.js';
export { startVariables } from '../flows/startVariables.js';
