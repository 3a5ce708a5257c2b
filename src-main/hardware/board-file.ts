import type { DeviceTree } from './devicetree'
import { parseDts } from './dts'
import { diskResolver } from './dts/disk-includes'
import type { IncludeResolver } from './dts/includes'
import { readFdt } from './fdt'
import { MAX_BLOB_BYTES, MAX_SOURCE_BYTES } from './file-limits'
import { readUserFile } from './user-file'

/** True for names that hold devicetree source rather than a blob. */
export function isSourceFile(path: string): boolean {
  return /\.dtsi?$/i.test(path)
}

/**
 * Includes found on disk, each file read remembered: the CLI hands them over with a .dts
 * it imports, so that the main process parses exactly what was read.
 */
export function recordingDiskResolver(includeDirs: readonly string[]): {
  resolver: IncludeResolver
  files: Map<string, string>
} {
  const disk = diskResolver(includeDirs)
  const files = new Map<string, string>()
  return {
    files,
    resolver: {
      candidates: disk.candidates,
      read(path) {
        const text = disk.read(path)
        if (text !== undefined) files.set(path, text)
        return text
      },
    },
  }
}

/** A board file on disk: a `.dts` (preprocessed, includes searched in `includeDirs`) or a `.dtb`. */
export function readBoardFile(path: string, includeDirs: readonly string[] = []): DeviceTree {
  if (!isSourceFile(path)) return readFdt(new Uint8Array(readUserFile(path, MAX_BLOB_BYTES)))
  const text = readUserFile(path, MAX_SOURCE_BYTES).toString('utf8')
  return parseDts(path, text, { resolver: diskResolver(includeDirs) })
}
