// The flow-graph bundle (dist/flowGraph.js): the graph of a flow, the paths drawn over it and the
// graph's text edits, with the conversation tests' coverage model they share. Loaded when the first
// flow graph opens, not at activation.
export { readFlowGraph, stateAtLine, toMermaid, withProblems } from '../flows/flowGraph.js';
export { addStateEdit, addTransitionEdit, deleteStateEdit, deleteTransitionEdit, GraphEditError, incomingTransitions } from '../flows/graphEdits.js';
export { failingTests, graphCoverage, liveChat } from '../flows/graphPaths.js';
