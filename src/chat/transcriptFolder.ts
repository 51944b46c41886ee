// The store's files on disk: one folder (the extension's storage folder), created on first write.
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TranscriptFiles } from './transcriptStore.js';

export function transcriptFolder(folder: string): TranscriptFiles {
  let created: Promise<unknown> | undefined;
  return {
    async read(name) {
      try {
        return await readFile(join(folder, name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return undefined;
        }
        throw error;
      }
    },
    async append(name, text) {
      created ??= mkdir(folder, { recursive: true });
      await created;
      await appendFile(join(folder, name), text, 'utf8');
    },
    remove: (name) => rm(join(folder, name), { force: true }),
  };
}
