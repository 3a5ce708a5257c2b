import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import type { SnapshotRow } from '../store/events-repository'

/**
 * A profile or a kernel as a session saw it: the files that define it, named by the sha256 of
 * their content. A session refers to its boots' profile and kernel by this hash and keeps the
 * snapshot, so that a profile edited (or a kernel deleted) later does not change what it replays.
 */
export interface Snapshot {
  hash: string
  kind: 'profile' | 'kernel'
  /** The id it was known by. */
  name: string
  /** `folder`: the files of a profile or kernel folder; `imported`: a profile kept in the store. */
  origin: 'folder' | 'imported'
  files: Map<string, Uint8Array>
}

export class SnapshotError extends Error {}

/** What a kernel folder holds that the engine never reads: the real logs it was checked against. */
const SKIPPED = /^(reference\/|README\.md$)/

function folderFiles(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>()
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name)
      const name = relative(dir, path).split('\\').join('/')
      if (SKIPPED.test(entry.isDirectory() ? `${name}/` : name)) continue
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) files.set(name, readFileSync(path))
    }
  }
  walk(dir)
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** sha256 over each file's name, length and bytes, in name order. */
export function contentHash(
  kind: string,
  origin: string,
  files: ReadonlyMap<string, Uint8Array>,
): string {
  const hash = createHash('sha256').update(`${kind}\0${origin}\0`)
  for (const [name, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    hash.update(`${name}\0${bytes.length}\0`).update(bytes)
  return hash.digest('hex')
}

/** Folders are hashed once per content: a built-in kernel is megabytes, and every boot asks. */
const folderCache = new Map<string, { signature: string; snapshot: Snapshot }>()

function signatureOf(dir: string): string {
  const parts: string[] = []
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) walk(path)
      else {
        const stat = statSync(path)
        parts.push(`${path}:${stat.size}:${stat.mtimeMs}`)
      }
    }
  }
  walk(dir)
  return parts.sort().join('\n')
}

export function folderSnapshot(kind: Snapshot['kind'], name: string, dir: string): Snapshot {
  const signature = signatureOf(dir)
  const cached = folderCache.get(`${kind}:${dir}`)
  if (cached?.signature === signature && cached.snapshot.name === name) return cached.snapshot
  const files = folderFiles(dir)
  const snapshot: Snapshot = {
    hash: contentHash(kind, 'folder', files),
    kind,
    name,
    origin: 'folder',
    files,
  }
  folderCache.set(`${kind}:${dir}`, { signature, snapshot })
  return snapshot
}

export function importedProfileSnapshot(
  name: string,
  profile: { dtb: Uint8Array; bootargs: string },
): Snapshot {
  const files = new Map<string, Uint8Array>([
    ['board.dtb', profile.dtb],
    ['bootargs', Buffer.from(profile.bootargs, 'utf8')],
  ])
  return {
    hash: contentHash('profile', 'imported', files),
    kind: 'profile',
    name,
    origin: 'imported',
    files,
  }
}

/** The store's row: the files as gzipped JSON (base64 bytes), checked against the hash on the way back. */
export function toRow(snapshot: Snapshot): SnapshotRow {
  const files = Object.fromEntries(
    [...snapshot.files].map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')]),
  )
  const body = gzipSync(JSON.stringify({ origin: snapshot.origin, files }), { level: 1 })
  return { hash: snapshot.hash, kind: snapshot.kind, name: snapshot.name, body }
}

export function fromRow(row: SnapshotRow): Snapshot {
  let parsed: { origin?: unknown; files?: unknown }
  try {
    parsed = JSON.parse(gunzipSync(row.body).toString('utf8')) as typeof parsed
  } catch (error) {
    throw new SnapshotError(
      `snapshot ${row.hash.slice(0, 12)} of ${row.kind} "${row.name}" cannot be read (${(error as Error).message})`,
    )
  }
  const origin = parsed.origin === 'imported' ? 'imported' : 'folder'
  const files = new Map<string, Uint8Array>()
  for (const [name, text] of Object.entries((parsed.files ?? {}) as Record<string, unknown>)) {
    if (typeof text !== 'string' || name.split('/').includes('..') || name.startsWith('/'))
      throw new SnapshotError(`snapshot ${row.hash.slice(0, 12)} names a bad file "${name}"`)
    files.set(name, Buffer.from(text, 'base64'))
  }
  const hash = contentHash(row.kind, origin, files)
  if (hash !== row.hash)
    throw new SnapshotError(
      `snapshot of ${row.kind} "${row.name}" does not match its hash (${row.hash.slice(0, 12)}, content ${hash.slice(0, 12)})`,
    )
  return { hash, kind: row.kind, name: row.name, origin, files }
}

/** Writes a folder snapshot's files under `dir`. */
export function materialise(snapshot: Snapshot, dir: string): void {
  for (const [name, bytes] of snapshot.files) {
    const path = join(dir, name)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, bytes)
  }
}
