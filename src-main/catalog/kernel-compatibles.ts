import type { KernelProfile } from './kernel-profile-schema'

/** The compatibles some driver of this kernel build (built in or as a module) matches. */
export function kernelCompatibles(kernel: KernelProfile): Set<string> {
  const built = (kconfig: string) =>
    kernel.config[kconfig] === 'y' || kernel.config[kconfig] === 'm'
  return new Set(
    kernel.drivers.filter((driver) => built(driver.kconfig)).flatMap((driver) => driver.compatible),
  )
}
