import type { KernelProfile } from './kernel-profile-schema'

/**
 * The compatibles some driver of this kernel build matches, built in or as a module, on any bus:
 * the platform and AMBA drivers the simulation runs and the I2C, SPI, ... drivers it does not.
 */
export function kernelCompatibles(kernel: KernelProfile): Set<string> {
  const built = (kconfig: string) =>
    kernel.config[kconfig] === 'y' || kernel.config[kconfig] === 'm'
  return new Set(
    [...kernel.drivers, ...kernel.foreignDrivers]
      .filter((driver) => built(driver.kconfig))
      .flatMap((driver) => driver.compatible),
  )
}
