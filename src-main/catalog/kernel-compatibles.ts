import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import type { KernelProfile } from './kernel-profile-schema'
import { CATALOG_FILE } from './kernel-profiles'

/** What decides a build's compatibles: its config and its drivers on every bus. */
export type BuildDrivers = Pick<KernelProfile, 'config' | 'drivers' | 'foreignDrivers'>

/**
 * The compatibles some driver of this kernel build matches, built in or as a module, on any bus:
 * the platform and AMBA drivers the simulation runs and the I2C, SPI, ... drivers it does not.
 */
export function kernelCompatibles(kernel: BuildDrivers): Set<string> {
  const built = (kconfig: string) =>
    kernel.config[kconfig] === 'y' || kernel.config[kconfig] === 'm'
  return new Set(
    [...kernel.drivers, ...kernel.foreignDrivers]
      .filter((driver) => built(driver.kconfig))
      .flatMap((driver) => driver.compatible),
  )
}

/**
 * kernelCompatibles written beside a kernel's catalog: a check of a board against a kernel reads
 * this instead of loading the whole build (seconds, on the host's thread), while the files it
 * was computed from are unchanged.
 */
export const COMPATIBLES_FILE = 'compatibles.json.gz'
const SOURCES = ['kernel.json', 'drivers.json', CATALOG_FILE]

function stampOf(dir: string): string {
  const hash = createHash('sha256')
  for (const name of SOURCES) {
    const path = join(dir, name)
    hash.update(`${name}\0`)
    if (existsSync(path)) hash.update(readFileSync(path))
  }
  return hash.digest('hex')
}

export function writeKernelCompatibles(dir: string, kernel: BuildDrivers): void {
  const compatibles = [...kernelCompatibles(kernel)].sort()
  const content = JSON.stringify({ stamp: stampOf(dir), compatibles })
  writeFileSync(join(dir, COMPATIBLES_FILE), gzipSync(content, { level: 9 }))
}

/** The compatibles recorded beside the kernel in `dir`, or undefined when missing or stale. */
export function readKernelCompatibles(dir: string): Set<string> | undefined {
  const path = join(dir, COMPATIBLES_FILE)
  if (!existsSync(path)) return undefined
  try {
    const { stamp, compatibles } = JSON.parse(gunzipSync(readFileSync(path)).toString()) as {
      stamp?: unknown
      compatibles?: unknown
    }
    if (stamp !== stampOf(dir) || !Array.isArray(compatibles)) return undefined
    return new Set(compatibles.filter((value): value is string => typeof value === 'string'))
  } catch {
    return undefined
  }
}
