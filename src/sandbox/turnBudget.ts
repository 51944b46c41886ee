// The turn budget's numbers, apart from the pool so that the extension's settings can read them
// without bundling the pool.

/** How long a turn may keep a worker busy without a pause (a regex, a condition, a template). */
export const DEFAULT_TURN_TIMEOUT_MS = 2000;
/** The range the setting and the CLI accept: below 100 ms a busy machine would stop sound turns. */
export const MIN_TURN_TIMEOUT_MS = 100;
export const MAX_TURN_TIMEOUT_MS = 60_000;
