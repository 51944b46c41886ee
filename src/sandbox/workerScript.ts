// Starts one of the sandbox's worker threads (the turn workers, the regex worker). From dist/ the
// worker is its own bundle; from the sources (tests, the CLI through tsx) it is the TypeScript
// file, loaded through tsx's require hook, since a worker does not inherit the parent's loader.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { bundledScript, FROM_SOURCES } from './bundlePaths.js';
import { TSX_PACKAGE } from './sandboxProcess.js';

/** `bundle` is the file in dist/ (`sandbox-turns.js`), `source` the file beside this one (`turnWorker.ts`). */
export function startWorker(bundle: string, source: string, options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (!FROM_SOURCES) {
    return new Worker(bundledScript(bundle), options);
  }
  const script = `require(${JSON.stringify(require.resolve(`${TSX_PACKAGE}/cjs/api`))}).register(); require(${JSON.stringify(join(__dirname, source))});`;
  return new Worker(script, { ...options, eval: true });
}
