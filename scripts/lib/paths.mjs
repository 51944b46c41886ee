// Where things live, computed once so every script agrees on them whatever its working directory.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLES_DIR = join(ROOT, 'examples');
export const TEST_RESULTS_DIR = join(ROOT, 'test-results');
/** Kept out of git (.gitignore) and out of the project's dependencies: code-server is large. */
export const VSCODE_TEST_DIR = join(ROOT, '.vscode-test');
