import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { FileTooLargeError, MAX_SOURCE_BYTES } from '../file-limits'
import { readUserFile } from '../user-file'
import { searchPaths, type IncludeResolver } from './includes'

/** Includes found on disk, as `cpp -I DIR` and `dtc -i DIR` find them. */
export function diskResolver(includeDirs: readonly string[]): IncludeResolver {
  const texts = new Map<string, string | undefined>()
  return {
    candidates: searchPaths(includeDirs.map((dir) => resolve(dir))),
    read(path) {
      if (!texts.has(path)) {
        let text: string | undefined
        try {
          if (statSync(path).isFile()) text = readUserFile(path, MAX_SOURCE_BYTES).toString('utf8')
        } catch (error) {
          if (error instanceof FileTooLargeError) throw error
          text = undefined
        }
        texts.set(path, text)
      }
      return texts.get(path)
    },
  }
}
