// dist/flowDebugAdapter.js: the flow debugger on its own, speaking the Debug Adapter Protocol over
// stdin/stdout (as js-debug and debugpy do), for Neovim's nvim-dap and any other DAP client.
import { DebugSession } from '@vscode/debugadapter';
import { FlowDebugSession } from './flowDebugSession.js';

DebugSession.run(FlowDebugSession);
