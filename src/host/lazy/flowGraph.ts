// The flow-graph bundle (dist/flowGraph.js): the graph panel, the graph of a flow, the paths drawn
// over it and the graph's text edits, with the conversation tests' coverage model they share.
// Loaded when the first flow graph opens, not at activation. It lives under src/host/ because the
// panel talks to VS Code; the pure parts it bundles stay in src/flows/.
export { FlowGraphPanel } from '../graph/flowGraphPanel.js';
