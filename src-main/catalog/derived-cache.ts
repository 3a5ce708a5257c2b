import { createHash } from 'node:crypto'
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { threadId } from 'node:worker_threads'
import { defaultCacheDir } from '../paths'

/**
 * Data derived from a kernel profile (depmod's files over 4,000 modules) kept on disk between
 * processes, so that a fresh host's first boot of a kernel does not derive it again. An entry is
 * keyed by the profile's content digest and holds the digest of the code that wrote it; an entry of
 * other code, a truncated or altered one (its body's hash is in its header) is ignored and written
 * again. Never required: any failure to read or write is a miss.
 */
const FORMAT = 1
/** Entries kept, the least recently used removed first (one kernel's depmod is about 3.5 MB). */
const KEEP = 16
const SUFFIX = '.derived'

/** `$MODLAB_CACHE_DIR` (empty or `off`: no disk cache), else the OS's cache folder for modlab. */
export function derivedCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.MODLAB_CACHE_DIR
  if (dir === '' || dir === 'off') return undefined
  return dir ?? defaultCacheDir(env)
}

let code: string | undefined

/**
 * The running code: from its TypeScript sources, every `.ts` under `src-main`; bundled, every
 * script beside this one (a bundle may split its chunks). A change anywhere invalidates the cache.
 */
export function codeDigest(file: string = __filename): string {
  const hash = createHash('sha256').update(`modlab derived ${FORMAT}\n`)
  const fromSource = file.endsWith('.ts')
  const root = fromSource ? join(dirname(file), '..') : dirname(file)
  const scripts = fromSource ? /\.ts$/ : /\.[cm]?js$/
  for (const path of listFiles(root, fromSource)
    .filter((path) => scripts.test(path))
    .sort()) {
    hash.update(`${relative(root, path)}\n`)
    hash.update(readFileSync(path))
  }
  return hash.digest('hex')
}

function listFiles(dir: string, recursive: boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return recursive ? listFiles(path, true) : []
    return entry.isFile() ? [path] : []
  })
}

interface Header {
  format: number
  code: string
  key: string
  bytes: number
  sha256: string
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const entryPath = (dir: string, kind: string, key: string) =>
  join(dir, `${kind}-${sha256(key).slice(0, 40)}${SUFFIX}`)

/** The body stored under `kind` and `key` by this code, or undefined. */
export function readDerived(
  kind: string,
  key: string,
  dir = derivedCacheDir(),
): string | undefined {
  if (!dir) return undefined
  try {
    const path = entryPath(dir, kind, key)
    const text = readFileSync(path, 'utf8')
    const newline = text.indexOf('\n')
    if (newline < 0) return undefined
    const header = JSON.parse(text.slice(0, newline)) as Header
    const body = text.slice(newline + 1)
    code ??= codeDigest()
    if (header.format !== FORMAT || header.code !== code || header.key !== key) return undefined
    if (header.bytes !== body.length || header.sha256 !== sha256(body)) return undefined
    const now = new Date()
    utimesSync(path, now, now)
    return body
  } catch {
    return undefined
  }
}

/**
 * Stores `body` under `kind` and `key`: written beside, then renamed over the entry, so that a
 * reader sees a whole entry or none.
 */
export function writeDerived(kind: string, key: string, body: string, dir = derivedCacheDir()) {
  if (!dir) return
  const path = entryPath(dir, kind, key)
  const temporary = `${path}.${process.pid}-${threadId}.tmp`
  try {
    code ??= codeDigest()
    const header: Header = { format: FORMAT, code, key, bytes: body.length, sha256: sha256(body) }
    mkdirSync(dir, { recursive: true })
    writeFileSync(temporary, `${JSON.stringify(header)}\n${body}`)
    renameSync(temporary, path)
    prune(dir)
  } catch {
    try {
      unlinkSync(temporary)
    } catch {
      // nothing was written
    }
  }
}

/** Keeps the KEEP most recently used entries. */
function prune(dir: string) {
  const entries = readdirSync(dir)
    .filter((name) => name.endsWith(SUFFIX))
    .map((name) => ({ path: join(dir, name), used: statSync(join(dir, name)).mtimeMs }))
  if (entries.length <= KEEP) return
  entries.sort((a, b) => b.used - a.used)
  for (const { path } of entries.slice(KEEP)) unlinkSync(path)
}
