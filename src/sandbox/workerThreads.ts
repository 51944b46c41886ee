// Starts one of the sandbox's worker threads: its own bundle from dist/, or its TypeScript source
// loaded through tsx's require hook when running from the sources (a worker does not inherit the
// parent's loader). The turn pool, the debugger's conversations and the regex worker start theirs here.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { bundledScript, FROM_SOURCES } from './bundlePaths.js';
import { TSX_PACKAGE } from './sandboxProcess.js';

/** `bundle` is the file in dist/ (`sandbox-turns.js`); `source` the module beside this one (`turnWorker.ts`). */
export function startSandboxWorker(bundle: string, source: string, options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (!FROM_SOURCES) {
    return new Worker(bundledScript(bundle), options);
  }
  const code = `require(${JSON.stringify(require.resolve(`${TSX_PACKAGE}/cjs/api`))}).register(); require(${JSON.stringify(join(__dirname, source))});`;
  return new Worker(code, { ...options, eval: true });
}
