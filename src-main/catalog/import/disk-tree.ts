import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { TreeFiles } from './modules-tree'

/** A `/lib/modules/<release>` folder on disk as TreeFiles. */
export function diskTree(dir: string, release: string): TreeFiles {
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((entry) =>
        entry.isDirectory()
          ? walk(join(folder, entry.name))
          : entry.isFile()
            ? [relative(dir, join(folder, entry.name))]
            : [],
      )
  return { release, list: () => walk(dir), read: (path) => readFileSync(join(dir, path)) }
}
