// `--watch`: runs again when a flow or test file changes. The watcher and the timer are injected,
// so tests drive changes and time themselves instead of sleeping.
import { watch } from 'node:fs';
import { TEST_FILE_SUFFIX } from './format.js';

/** Calls `onChange` with a changed file's name (relative to `folder`); returns a stop function. */
export type FolderWatcher = (folder: string, onChange: (file: string) => void) => () => void;

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Editors save in bursts (write, rename, touch): one rerun per burst. */
export const WATCH_SETTLE_MS = 150;

export const watchFolder: FolderWatcher = (folder, onChange) => {
  const watcher = watch(folder, { recursive: true }, (_event, file) => {
    if (file !== null) {
      onChange(String(file));
    }
  });
  return () => watcher.close();
};

const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

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
      if (!isWatchedFile(file) || signal.aborted) {
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
