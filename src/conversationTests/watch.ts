// `--watch`: runs again when a flow or test file changes. The watcher and the timer are injected,
// so tests drive changes and time themselves instead of sleeping.
import { existsSync, watch } from 'node:fs';
import { TEST_FILE_SUFFIX } from './format.js';

/** Calls `onChange` with a changed file's name (relative to `folder`); returns a stop function. */
export type FolderWatcher = (folder: string, onChange: (file: string) => void) => () => void;

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Editors save in bursts (write, rename, touch): one rerun per burst. */
export const WATCH_SETTLE_MS = 150;

/** What a watcher reports when a folder appeared (again): any file in it may have changed. */
export const FOLDER_APPEARED = '';

/** How often a folder that does not exist (yet, or any more) is looked for. */
export const FOLDER_POLL_MS = 1000;

const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Watches a folder and everything under it. A folder that is missing (a test's flow folder not
 * created yet) or is deleted while watched is looked for every FOLDER_POLL_MS, and watched again
 * when it is back, with a FOLDER_APPEARED change: the watch goes on instead of failing (ENOENT)
 * or going silent, and the pending look keeps the process alive as the watch did.
 */
export function createFolderWatcher(timers: Timers = realTimers): FolderWatcher {
  return (folder, onChange) => {
    let watcher: ReturnType<typeof watch> | null = null;
    let poll: unknown = null;
    let stopped = false;
    const lookAgain = (): void => {
      poll = timers.set(() => {
        poll = null;
        if (!stopped && start()) {
          onChange(FOLDER_APPEARED);
        }
      }, FOLDER_POLL_MS);
    };
    const lost = (): void => {
      watcher?.close();
      watcher = null;
      if (!stopped && poll === null) {
        lookAgain();
      }
    };
    const start = (): boolean => {
      try {
        watcher = watch(folder, { recursive: true }, (_event, file) => {
          // Removing the watched folder itself reports a change with no file name.
          if (!existsSync(folder)) {
            lost();
          } else if (file !== null && String(file) !== '') {
            onChange(String(file));
          }
        });
        watcher.on('error', lost);
        return true;
      } catch {
        lookAgain();
        return false;
      }
    };
    start();
    return () => {
      stopped = true;
      watcher?.close();
      if (poll !== null) {
        timers.clear(poll);
      }
    };
  };
}

export const watchFolder: FolderWatcher = createFolderWatcher();

export function isWatchedFile(file: string): boolean {
  return file.endsWith('.flow.json') || file.endsWith(TEST_FILE_SUFFIX) || file.endsWith('sarufi.sandbox.json');
}

export interface WatchOptions {
  /** Asked after the first run, which learns where the tests' flow files are. */
  folders: () => string[];
  /** One run; a change during it queues exactly one more. */
  run: () => Promise<void>;
  signal: AbortSignal;
  /** Called whenever it waits for changes: after the first run and after every rerun. */
  onWaiting: () => void;
  watcher?: FolderWatcher;
  timers?: Timers;
}

/** Runs once, then after every settled burst of changes, until `signal` aborts. */
export async function watchAndRerun(options: WatchOptions): Promise<void> {
  const { folders, run, signal, onWaiting, watcher = watchFolder, timers = realTimers } = options;
  await run();
  let running: Promise<void> = Promise.resolve();
  let pending: unknown = null;
  let again = false;
  const rerun = (): void => {
    pending = null;
    if (again) {
      return;
    }
    again = true;
    running = running.then(() => {
      again = false;
      return signal.aborted ? undefined : run().then(onWaiting);
    });
  };
  const stops = (signal.aborted ? [] : [...new Set(folders())]).map((folder) =>
    watcher(folder, (file) => {
      if ((file !== FOLDER_APPEARED && !isWatchedFile(file)) || signal.aborted) {
        return;
      }
      if (pending !== null) {
        timers.clear(pending);
      }
      pending = timers.set(rerun, WATCH_SETTLE_MS);
    }),
  );
  onWaiting();
  await new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  for (const stop of stops) {
    stop();
  }
  if (pending !== null) {
    timers.clear(pending);
  }
  await running;
}
