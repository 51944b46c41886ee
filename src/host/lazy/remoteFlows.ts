// The bundle of the commands on flows of a server (dist/remoteFlows.js): Open Flow, Validate on
// Sarufi, Publish, Pull and Push, and the status bar of an open `sarufi:` flow. Loaded by the first
// such command, or when a `sarufi:` flow is shown, not at activation.
export { RemoteFlowCommands } from '../flows/remoteFlowCommands.js';
