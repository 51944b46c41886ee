// Where the sandbox's own bundles are (dist/sandbox.js, dist/sandbox-turns.js) for code that runs
// from another bundle: beside it in dist/ for the extension, or in the project's dist/ for the test
// bundles that are compiled under out/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** True when this code runs from the TypeScript sources (through tsx), not from a bundle. */
export const FROM_SOURCES = __filename.endsWith('.ts');

export function bundledScript(name: string): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = existsSync(join(dir, 'package.json')) ? join(dir, 'dist', name) : join(dir, name);
    if (existsSync(candidate) || dirname(dir) === dir) {
      return candidate;
    }
  }
}
