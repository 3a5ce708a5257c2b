/**
 * libkmod's hash table (shared/hash.c): Paul Hsieh's SuperFastHash into a power-of-two number of
 * buckets, entries kept sorted by strcmp within a bucket. depmod writes modules.symbols in the
 * table's iteration order, so reproducing the file byte for byte needs the same table.
 */
export function superFastHash(key: string): number {
  const bytes = new TextEncoder().encode(key)
  let len = bytes.length
  let hash = len >>> 0
  const rem = len & 3
  len >>>= 2
  let at = 0
  const u16 = (i: number): number => (bytes[i] as number) | ((bytes[i + 1] as number) << 8)
  const signed = (i: number): number => ((bytes[i] as number) << 24) >> 24
  for (; len > 0; len--) {
    hash = (hash + u16(at)) >>> 0
    const tmp = ((u16(at + 2) << 11) ^ hash) >>> 0
    hash = ((hash << 16) ^ tmp) >>> 0
    at += 4
    hash = (hash + (hash >>> 11)) >>> 0
  }
  switch (rem) {
    case 3:
      hash = (hash + u16(at)) >>> 0
      hash = (hash ^ (hash << 16)) >>> 0
      hash = (hash ^ (signed(at + 2) << 18)) >>> 0
      hash = (hash + (hash >>> 11)) >>> 0
      break
    case 2:
      hash = (hash + u16(at)) >>> 0
      hash = (hash ^ (hash << 11)) >>> 0
      hash = (hash + (hash >>> 17)) >>> 0
      break
    case 1:
      hash = (hash + signed(at)) >>> 0
      hash = (hash ^ (hash << 10)) >>> 0
      hash = (hash + (hash >>> 1)) >>> 0
      break
  }
  hash = (hash ^ (hash << 3)) >>> 0
  hash = (hash + (hash >>> 5)) >>> 0
  hash = (hash ^ (hash << 4)) >>> 0
  hash = (hash + (hash >>> 17)) >>> 0
  hash = (hash ^ (hash << 25)) >>> 0
  hash = (hash + (hash >>> 6)) >>> 0
  return hash
}

function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Keys in the order hash_iter_next() visits them; a later add of an existing key replaces its value. */
export class KmodHash<V> {
  private readonly buckets: { key: string; value: V }[][]

  constructor(size: number) {
    let n = 1
    while (n < size) n <<= 1
    this.buckets = Array.from({ length: n }, () => [])
  }

  add(key: string, value: V): void {
    const bucket = this.buckets[superFastHash(key) & (this.buckets.length - 1)] as {
      key: string
      value: V
    }[]
    let at = 0
    while (at < bucket.length && strcmp(key, (bucket[at] as { key: string }).key) > 0) at++
    const entry = bucket[at]
    if (entry && entry.key === key) entry.value = value
    else bucket.splice(at, 0, { key, value })
  }

  get(key: string): V | undefined {
    const bucket = this.buckets[superFastHash(key) & (this.buckets.length - 1)]
    return bucket?.find((entry) => entry.key === key)?.value
  }

  *entries(): Generator<[string, V]> {
    for (const bucket of this.buckets) for (const entry of bucket) yield [entry.key, entry.value]
  }
}
