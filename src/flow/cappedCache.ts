// A Map used as a cache of at most `cap` entries: past it, the oldest entry goes.
export function setCapped<K, V>(cache: Map<K, V>, key: K, value: V, cap: number): void {
  cache.set(key, value);
  if (cache.size > cap) {
    const oldest = cache.keys().next();
    if (!oldest.done) {
      cache.delete(oldest.value);
    }
  }
}
