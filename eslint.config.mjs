// Flat ESLint config: typed rules for the extension, the webview and the tests alike.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The layering, enforced: which folder may import which (README, "Layout"). Flat config replaces a
// rule's options per file instead of merging them, so each area lists its whole set.
const VSCODE = { name: 'vscode', message: 'Only src/host/ and src/extension.ts import vscode: keep this module pure, and testable in plain Node.' };
const HOST = { regex: '(^|/)host/', message: 'Nothing outside src/host/ imports the VS Code glue: pass what you need in as a parameter.' };
const SANDBOX_INTERNALS = {
  regex: '(^|/)sandbox/(?!(server|sandboxProcess|sandboxKeys|turnBudget|turnPool|regexBudget|mockApi|debugConversation|debugTarget)\\.js$)',
  message:
    'Outside src/sandbox/, use its entry points (server.js in process, sandboxProcess.js forked, sandboxKeys.js and turnBudget.js for settings, turnPool.js for turns under the budget outside a server, regexBudget.js for the regexes of flows and tests outside a turn, mockApi.js for mock sets, debugConversation.js and debugTarget.js for the debugger); the flow language is in src/flow/.',
};
// src/debug/ (the Debug Adapter Protocol session) sits above the flow language, the sandbox and the
// chat: they never import it. Only the host (through src/lazy/) and the stdio entry reach it.
const DEBUG = { regex: '(^|/)debug/', message: 'src/debug/ is the debugger\'s DAP session: the rooms below it (flow, flows, sandbox, chat, sarufi, conversationTests) do not import it.' };
const FLOW_OUTWARD = {
  regex: '^\\.\\./(sandbox|chat|host|flows|conversationTests|cli|protocol|debug)(/|\\.js$)',
  message: 'src/flow/ is the flow language alone: it imports nothing from the server, the chat, the editor or the host.',
};
const NETWORK_SERVER = ['node:http', 'node:https', 'node:net', 'http', 'https', 'net'].map((name) => ({
  name,
  message: 'src/flow/ stays free of servers and sockets (the sandbox owns them); use fetch for API_CALL.',
}));
const WEBVIEW_TO_SRC = {
  regex: '(^|/)src/(?!protocol$|flow/botMessages$)',
  allowTypeImports: true,
  message: 'The webview may import types from src/, and values only from the pure modules src/protocol and src/flow/botMessages.',
};
const restrictImports = (paths, patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'dist-cli/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      curly: ['error', 'all'],
      eqeqeq: ['error', 'smart'],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.mocha, ...globals.browser } },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/host/**', 'src/extension.ts', 'src/debug/**', 'src/lazy/**'],
    rules: restrictImports([VSCODE], [HOST, DEBUG]),
  },
  {
    files: ['src/lazy/**/*.ts'],
    rules: restrictImports([VSCODE], [HOST]),
  },
  {
    files: ['src/flows/**/*.ts', 'src/conversationTests/**/*.ts', 'src/cli/**/*.ts'],
    rules: restrictImports([VSCODE], [HOST, SANDBOX_INTERNALS, DEBUG]),
  },
  {
    files: ['src/debug/**/*.ts'],
    rules: restrictImports([VSCODE], [HOST, SANDBOX_INTERNALS]),
  },
  {
    files: ['src/host/**/*.ts'],
    rules: restrictImports([], [SANDBOX_INTERNALS]),
  },
  {
    files: ['src/flow/**/*.ts'],
    rules: restrictImports([VSCODE, ...NETWORK_SERVER], [HOST, FLOW_OUTWARD]),
  },
  {
    files: ['webview/**/*.ts'],
    rules: restrictImports([VSCODE], [WEBVIEW_TO_SRC]),
  },
);
