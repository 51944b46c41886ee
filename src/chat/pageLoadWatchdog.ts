// A webview page that never says `ready` leaves a blank panel that nothing can fix but closing it:
// its script failed to load (a resource fetch lost under load, a service worker that did not
// register in a browser-hosted VS Code). Every webview panel watches for that (through
// src/host/webviewPageHost.ts): a page on screen that has not said `ready` within the wait is
// loaded again, a few times, and then the author is told.

export interface WatchdogTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PageLoadWatchdogOptions {
  /** How long a page on screen may take to say `ready`. */
  waitMs: number;
  /** Loads after the first one before giving up. */
  maxReloads: number;
  /** Load the page again; `attempt` counts from 1. */
  reload(attempt: number): void;
  /** The last load did not say `ready` either. */
  gaveUp(): void;
  timers?: WatchdogTimers;
}

const globalTimers: WatchdogTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class PageLoadWatchdog {
  private timer: unknown;
  private reloads = 0;
  private readonly timers: WatchdogTimers;

  constructor(private readonly options: PageLoadWatchdogOptions) {
    this.timers = options.timers ?? globalTimers;
  }

  /** A page is on screen (loaded, or shown again) and has not said `ready` yet. */
  expect(): void {
    this.clear();
    this.timer = this.timers.setTimeout(() => this.overdue(), this.options.waitMs);
  }

  /** The page said `ready`: the next load starts with every retry again. */
  ready(): void {
    this.clear();
    this.reloads = 0;
  }

  /** The page went away (hidden or closed): a page that is not on screen is not waited for. */
  stop(): void {
    this.clear();
  }

  private overdue(): void {
    this.timer = undefined;
    if (this.reloads >= this.options.maxReloads) {
      this.options.gaveUp();
      return;
    }
    this.reloads += 1;
    this.options.reload(this.reloads);
    this.expect();
  }

  private clear(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
