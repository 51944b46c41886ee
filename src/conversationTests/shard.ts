// `--shard i/n`: which test files one of n CI jobs runs. Files are ordered by their path relative
// to the working folder, so every job (in whatever checkout folder) computes the same split.

export interface Shard {
  /** 1-based, as CI matrices count. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new Error(`--shard must be i/n with 1 ≤ i ≤ n (like 2/4), not "${text}"`);
  }
  return { index, count };
}

/** Round robin over the sorted paths: every file in exactly one shard, the shards within one file in size. */
export function shardFiles(files: readonly string[], shard: Shard, relative: (path: string) => string): string[] {
  return [...files]
    .map((file) => ({ file, key: relative(file).split('\\').join('/') }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .filter((_entry, position) => position % shard.count === shard.index - 1)
    .map((entry) => entry.file);
}
