// The layering in the README's "Layout" is enforced by ESLint (eslint.config.mjs). Each case lints
// one import line as if it were written in a given file: the forbidden ones must be reported by
// no-restricted-imports, the allowed ones must not, so a rule that is dropped or mistyped fails here.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: join(ROOT, file) });
  assert.ok(result, 'ESLint linted the text');
  return result.messages.filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports').map((message) => message.message);
}

const forbidden: { file: string; code: string; because: RegExp }[] = [
  { file: 'src/chat/x.ts', code: "import { x } from 'vscode';", because: /Only src\/host\/ and src\/extension\.ts import vscode/ },
  { file: 'src/flow/x.ts', code: "import { x } from 'vscode';", because: /import vscode/ },
  { file: 'src/sarufi/x.ts', code: "import { x } from '../host/settings.js';", because: /Nothing outside src\/host\// },
  { file: 'src/flow/x.ts', code: "import { x } from '../sandbox/server.js';", because: /src\/flow\/ is the flow language alone/ },
  { file: 'src/flow/x.ts', code: "import { x } from '../chat/transcript.js';", because: /src\/flow\/ is the flow language alone/ },
  { file: 'src/flow/x.ts', code: "import { x } from '../protocol.js';", because: /src\/flow\/ is the flow language alone/ },
  { file: 'src/flow/x.ts', code: "import { x } from 'node:http';", because: /free of servers and sockets/ },
  { file: 'src/flows/x.ts', code: "import { x } from '../sandbox/catalog.js';", because: /use its entry points/ },
  { file: 'src/conversationTests/x.ts', code: "import { x } from '../sandbox/sessions.js';", because: /use its entry points/ },
  { file: 'src/host/x.ts', code: "import { x } from '../sandbox/router.js';", because: /use its entry points/ },
  { file: 'src/debug/x.ts', code: "import { x } from 'vscode';", because: /import vscode/ },
  { file: 'src/debug/x.ts', code: "import { x } from '../sandbox/turnWorker.js';", because: /use its entry points/ },
  { file: 'src/sandbox/x.ts', code: "import { x } from '../debug/flowDebugSession.js';", because: /src\/debug\/ is the debugger's DAP session/ },
  { file: 'src/flows/x.ts', code: "import { x } from '../debug/flowDebugSession.js';", because: /src\/debug\/ is the debugger's DAP session/ },
  { file: 'src/flow/x.ts', code: "import { x } from '../debug/flowDebugSession.js';", because: /src\/flow\/ is the flow language alone/ },
  { file: 'webview/chat/x.ts', code: "import { x } from 'vscode';", because: /import vscode/ },
  { file: 'webview/chat/x.ts', code: "import { x } from '../../src/chat/transcript';", because: /values only from the pure modules/ },
  { file: 'webview/chat/x.ts', code: "import { x } from '../../src/sarufi/client';", because: /values only from the pure modules/ },
];

const allowed: { file: string; code: string }[] = [
  { file: 'src/host/x.ts', code: "import { x } from 'vscode';" },
  { file: 'src/extension.ts', code: "import { x } from 'vscode';" },
  { file: 'src/host/x.ts', code: "import { x } from '../sandbox/server.js';" },
  { file: 'src/host/x.ts', code: "import { x } from '../sandbox/sandboxProcess.js';" },
  { file: 'src/flows/x.ts', code: "import { x } from '../flow/validator.js';" },
  { file: 'src/debug/x.ts', code: "import { x } from '../sandbox/debugConversation.js';" },
  { file: 'src/debug/x.ts', code: "import { x } from '../flows/flowBreakpoints.js';" },
  { file: 'src/lazy/x.ts', code: "import { x } from '../debug/flowDebugSession.js';" },
  { file: 'src/sandbox/x.ts', code: "import { x } from '../flow/engine.js';" },
  { file: 'src/sandbox/x.ts', code: "import { x } from 'node:http';" },
  { file: 'src/flow/x.ts', code: "import { x } from './engine.js';" },
  { file: 'src/flow/x.ts', code: "import type { x } from '../sarufi/types.js';" },
  { file: 'webview/chat/x.ts', code: "import type { x } from '../../src/chat/transcript';" },
  { file: 'webview/chat/x.ts', code: "import { x } from '../../src/protocol';" },
  { file: 'webview/chat/render/x.ts', code: "import { x } from '../../../src/flow/botMessages';" },
];

describe('layering rules in eslint.config.mjs', () => {
  for (const { file, code, because } of forbidden) {
    it(`reports \`${code}\` in ${file}`, async () => {
      const messages = await restrictedImports(file, code);
      assert.ok(messages.some((message) => because.test(message)), `expected ${because}, got ${JSON.stringify(messages)}`);
    });
  }
  for (const { file, code } of allowed) {
    it(`allows \`${code}\` in ${file}`, async () => {
      assert.deepEqual(await restrictedImports(file, code), []);
    });
  }
});
