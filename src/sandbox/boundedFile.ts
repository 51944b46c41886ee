// Reading a file that a config names without trusting what the name leads to. A FIFO or a device
// would block or never end, a link may lead out of the flow folders, a huge file would flood the
// sandbox: only a regular file is opened (non-blocking, the last link not followed), at most
// `maxBytes` of it are read, and a read that takes longer than `timeoutMs` is given up on.
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';

export interface BoundedFileLimits {
  /** Real paths of the folders the file must resolve into; null: anywhere. */
  roots: readonly string[] | null;
  maxBytes: number;
  timeoutMs: number;
}

/** The file's text, or why it was not read. */
export type BoundedText = string | { reason: string };

export type BoundedFile =
  | { kind: 'refused'; reason: string }
  | {
      kind: 'found';
      real: string;
      /** Device, inode, size and times: a file with the same signature need not be read again. */
      signature: string;
      text(): Promise<BoundedText>;
    };

/** Whether `path` is `root` or below it (both real paths). */
export function isInsideFolder(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** A reason that names the kind of failure and nothing of the file. */
function failure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return 'no such file';
  }
  if (code === 'ELOOP') {
    return 'a link that changed while it was read';
  }
  return `cannot be read${typeof code === 'string' ? ` (${code})` : ''}`;
}

/** Opening never waits on a FIFO writer; a link swapped in after realpath is refused. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

async function readRegular(real: string, maxBytes: number): Promise<BoundedText> {
  let handle;
  try {
    handle = await open(real, OPEN_FLAGS);
  } catch (error) {
    return { reason: failure(error) };
  }
  try {
    // Checked again on what was opened: the path may have been replaced since it was looked at.
    if (!(await handle.stat()).isFile()) {
      return { reason: 'not a regular file' };
    }
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) {
        break;
      }
      length += bytesRead;
    }
    if (length > maxBytes) {
      return { reason: `more than the ${maxBytes} bytes the sandbox reads` };
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    return { reason: failure(error) };
  } finally {
    await handle.close();
  }
}

async function readWithin(real: string, maxBytes: number, timeoutMs: number): Promise<BoundedText> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<BoundedText>((resolve) => {
    timer = setTimeout(() => resolve({ reason: `not read within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([readRegular(real, maxBytes), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where `path` leads, and whether it may be read; reading is a second step, so a cached parse needs none. */
export async function readBoundedFile(path: string, limits: BoundedFileLimits): Promise<BoundedFile> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    return { kind: 'refused', reason: failure(error) };
  }
  if (limits.roots !== null && !limits.roots.some((root) => isInsideFolder(root, real))) {
    return { kind: 'refused', reason: 'outside the flow folders' };
  }
  let info;
  try {
    info = await stat(real);
  } catch (error) {
    return { kind: 'refused', reason: failure(error) };
  }
  if (!info.isFile()) {
    return { kind: 'refused', reason: 'not a regular file' };
  }
  if (info.size > limits.maxBytes) {
    return { kind: 'refused', reason: `${info.size} bytes, more than the ${limits.maxBytes} the sandbox reads` };
  }
  return {
    kind: 'found',
    real,
    signature: `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`,
    text: () => readWithin(real, limits.maxBytes, limits.timeoutMs),
  };
}
