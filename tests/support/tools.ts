import { execFileSync } from 'node:child_process'
import type { DeviceTree } from '../../src-main/hardware/devicetree'
import { readFdt } from '../../src-main/hardware/fdt'

/** CI must run every test: there a missing tool or data set fails instead of skipping. */
export function inCi(): boolean {
  const value = process.env.CI
  return !!value && value !== 'false' && value !== '0'
}

/** True when a command-line tool is on PATH. */
export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** True (skip) when any of the tools is missing; in CI a missing tool is an error instead. */
export function lacksTools(...names: string[]): boolean {
  const missing = names.filter((name) => !hasTool(name))
  return lacks(
    missing.length > 0,
    `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed`,
  )
}

/** True (skip) when `missing`; in CI, throws with `what` so that the suite fails rather than skips. */
export function lacks(missing: boolean, what: string): boolean {
  if (missing && inCi())
    throw new Error(
      `${what}: CI runs every test (bash .ci/run installs and fetches what they need)`,
    )
  return missing
}

/** A `.dts` compiled by Debian's dtc (includes searched in `includeDir`), read back as a tree. */
export function compileDts(file: string, includeDir: string): DeviceTree {
  return readFdt(
    new Uint8Array(execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-i', includeDir, file])),
  )
}
