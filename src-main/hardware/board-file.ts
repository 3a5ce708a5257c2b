import { readFileSync } from 'node:fs'
import type { DeviceTree } from './devicetree'
import { parseDts } from './dts'
import { diskResolver } from './dts/disk-includes'
import type { IncludeResolver } from './dts/includes'
import { readFdt } from './fdt'

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
  if (!isSourceFile(path)) return readFdt(new Uint8Array(readFileSync(path)))
  return parseDts(path, readFileSync(path, 'utf8'), { resolver: diskResolver(includeDirs) })
}
