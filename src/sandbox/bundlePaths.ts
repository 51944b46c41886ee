// Where the sandbox's own bundles are (dist/sandbox.js, dist/sandbox-turns.js) for code that runs
// from another bundle: beside it in dist/ for the extension and for the npm package of the CLI
// (cli-package/), or in the project's dist/ for the test bundles that are compiled under out/.
import { existsSync, readFileSync } from 'node:fs';
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

/**
 * The version of the package this code runs from: the npm package's manifest above its dist/
 * (`sarufi-sandbox --version`), the extension's, or the repository's when run from the sources.
 */
export function ownVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? 'unknown';
    }
    if (dirname(dir) === dir) {
      return 'unknown';
    }
  }
}
