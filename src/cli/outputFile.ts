// A report file named on the command line is checked before the tests run, so that a run of many
// minutes never ends with its report lost to a typo in a path or a read-only folder.
import { accessSync, constants, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function whyNotWritable(path: string): string | null {
  const stats = statOrNull(path);
  if (stats?.isDirectory()) {
    return 'it is a folder';
  }
  const folder = statOrNull(dirname(path));
  if (folder === null) {
    return 'its folder does not exist';
  }
  if (!folder.isDirectory()) {
    return 'a part of its path is a file, not a folder';
  }
  try {
    accessSync(stats ? path : dirname(path), constants.W_OK);
    return null;
  } catch {
    return 'it cannot be written here';
  }
}

/** Throws a one-line Error when `path` cannot be written as a file (its folder missing or read-only, or it is a folder). */
export function checkWritableFile(path: string, option: string): void {
  const why = whyNotWritable(path);
  if (why !== null) {
    throw new Error(`${option} ${path}: ${why}; nothing was run`);
  }
}
