import { existsSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

const CACHE = join(__dirname, '..', '..', '.cache', 'dtbs')

/** The blobs of Debian's arm64 kernel package fetched by scripts/fetch-board-blobs.sh, if any. */
export function boardBlobs(): { dir: string; files: string[] } | undefined {
  if (!existsSync(CACHE)) return undefined
  const [release] = readdirSync(CACHE).sort().reverse()
  if (!release) return undefined
  const dir = join(CACHE, release)
  const files: string[] = []
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.dtb')) files.push(relative(dir, path))
    }
  }
  walk(dir)
  return { dir, files: files.sort() }
}
