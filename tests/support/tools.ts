import { execFileSync } from 'node:child_process'
import type { DeviceTree } from '../../src-main/hardware/devicetree'
import { readFdt } from '../../src-main/hardware/fdt'

/** True when a command-line tool is on PATH (tests that compare with a real tool skip without it). */
export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** A `.dts` compiled by Debian's dtc (includes searched in `includeDir`), read back as a tree. */
export function compileDts(file: string, includeDir: string): DeviceTree {
  return readFdt(
    new Uint8Array(execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-i', includeDir, file])),
  )
}
