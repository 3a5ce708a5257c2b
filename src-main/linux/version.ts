/** A kernel's major.minor, as kernel.json `version` holds it. */
export type KernelVersion = readonly [number, number]

/** Whether a kernel version is at least major.minor. */
export function versionAtLeast(version: KernelVersion, major: number, minor: number): boolean {
  return version[0] * 1000 + version[1] >= major * 1000 + minor
}
