// Keeps the side panel's reads for a short while, so that expanding, collapsing and refreshing
// views never bursts past Sarufi's 1 read/second limit. A refresh asks for fresh data on purpose.

export class ReadCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value for `key`, or what `load` gives (a failed load is not kept). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) {
      return hit.value as Promise<T>;
    }
    const value = load();
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** Forgets every key that starts with `prefix` (all of them when omitted). */
  invalidate(prefix = ''): void {
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix)) {
        this.entries.delete(key);
      }
    }
  }
}
