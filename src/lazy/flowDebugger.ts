// The flow debugger's bundle (dist/flowDebugger.js): the Debug Adapter Protocol session that VS Code
// runs inline, loaded when the first `sarufi-flow` debug session starts, not at activation.
export { FlowDebugSession } from '../debug/flowDebugSession.js';
