import type { ModulePolicy } from '../../catalog/module-schema'
import { ERRNO } from '../../linux/errno'
import type { LoadedModule, LoadFlags, ModuleLoader } from './loader'

/** same_magic() (kernel/module/version.c:79): with modversions the kernel release (first word) may differ. */
export function sameMagic(policy: ModulePolicy, moduleMagic: string, flags: LoadFlags): boolean {
  if (flags.ignoreVermagic) return true
  const kernelMagic = policy.vermagic
  if (policy.modversions && !flags.ignoreModversions)
    return (
      moduleMagic.slice(moduleMagic.indexOf(' ')) === kernelMagic.slice(kernelMagic.indexOf(' '))
    )
  return moduleMagic === kernelMagic
}

/**
 * check_version() (kernel/module/version.c:13): the CRC the module was built against must be the
 * export's; an export without a CRC passes silently, an import without one warns once. 0 or -EINVAL.
 */
export function checkVersion(
  loader: ModuleLoader,
  module: LoadedModule,
  name: string,
  exported: string | undefined,
  crc: string | undefined,
  flags: LoadFlags,
): number {
  if (!loader.policy.modversions || flags.ignoreModversions || exported === undefined) return 0
  if (crc === undefined) {
    loader.printOnce(
      'no-symbol-version',
      'warning',
      `${module.name}: no symbol version for ${name}`,
    )
  } else if (exported !== crc) {
    loader.kernel.printk('warning', `${module.name}: disagrees about version of symbol ${name}`)
    return -ERRNO.EINVAL
  }
  return 0
}
