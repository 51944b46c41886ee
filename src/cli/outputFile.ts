// A report file named on the command line is checked before the tests run, so that a run of many
// minutes never ends with its report lost to a typo in a path or a read-only folder.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Throws a one-line Error when `path` cannot be written as a file (its folder missing or read-only, or it is a folder). */
export function checkWritableFile(path: string, option: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    stats = null;
  }
  try {
    if (stats?.isDirectory()) {
      throw new Error('it is a folder');
    }
    accessSync(stats ? path : dirname(path), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'it cannot be written here' : (error as Error).message;
    throw new Error(`${option} ${path}: ${why}; nothing was run`);
  }
}
