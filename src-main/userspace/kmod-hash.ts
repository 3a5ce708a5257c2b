/**
 * libkmod's hash table (shared/hash.c): Paul Hsieh's SuperFastHash into a power-of-two number of
 * buckets, entries kept sorted by strcmp within a bucket. depmod writes modules.symbols in the
 * table's iteration order, so reproducing the file byte for byte needs the same table.
 */
export function superFastHash(key: string): number {
  // Module and symbol names are ASCII: their UTF-16 code units are their bytes.
  let ascii = true
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0x7f) ascii = false
  return ascii ? hashBytes(key, key.length) : hashBytes(new TextEncoder().encode(key), -1)
}

function byteAt(bytes: string | Uint8Array, i: number): number {
  return typeof bytes === 'string' ? bytes.charCodeAt(i) : (bytes[i] as number)
}

function hashBytes(bytes: string | Uint8Array, length: number): number {
  let len = length >= 0 ? length : (bytes as Uint8Array).length
  let hash = len >>> 0
  const rem = len & 3
  len >>>= 2
  let at = 0
  for (; len > 0; len--) {
    hash = (hash + (byteAt(bytes, at) | (byteAt(bytes, at + 1) << 8))) >>> 0
    const tmp = (((byteAt(bytes, at + 2) | (byteAt(bytes, at + 3) << 8)) << 11) ^ hash) >>> 0
    hash = ((hash << 16) ^ tmp) >>> 0
    at += 4
    hash = (hash + (hash >>> 11)) >>> 0
  }
  switch (rem) {
    case 3:
      hash = (hash + (byteAt(bytes, at) | (byteAt(bytes, at + 1) << 8))) >>> 0
      hash = (hash ^ (hash << 16)) >>> 0
      // key[2] is a (signed) char in C.
      hash = (hash ^ (((byteAt(bytes, at + 2) << 24) >> 24) << 18)) >>> 0
      hash = (hash + (hash >>> 11)) >>> 0
      break
    case 2:
      hash = (hash + (byteAt(bytes, at) | (byteAt(bytes, at + 1) << 8))) >>> 0
      hash = (hash ^ (hash << 11)) >>> 0
      hash = (hash + (hash >>> 17)) >>> 0
      break
    case 1:
      hash = (hash + ((byteAt(bytes, at) << 24) >> 24)) >>> 0
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
    const bucket = this.buckets[superFastHash(key) & (this.buckets.length - 1)] ?? []
    for (const entry of bucket) if (entry.key === key) return entry.value
    return undefined
  }

  *entries(): Generator<[string, V]> {
    for (const bucket of this.buckets) for (const entry of bucket) yield [entry.key, entry.value]
  }
}
