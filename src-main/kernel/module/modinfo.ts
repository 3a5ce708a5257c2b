import type { ModuleDefinition } from '../../catalog/module-schema'
import type { LoadedModule, LoadFlags, ModuleLoader } from './loader'

/** license_is_gpl_compatible() (include/linux/license.h:5). */
export const GPL_COMPATIBLE = new Set([
  'GPL',
  'GPL v2',
  'GPL and additional rights',
  'Dual BSD/GPL',
  'Dual MIT/GPL',
  'Dual MPL/GPL',
])

/** get_modinfo(info, "license") (kernel/module/main.c:1093). */
export function moduleLicense(def: ModuleDefinition): string {
  return def.info.find(([key]) => key === 'license')?.[1] ?? 'unspecified'
}

/** check_modinfo() (kernel/module/main.c:2303): out-of-tree, staging and licence taints, each announced as the kernel does. */
export function checkModinfo(loader: ModuleLoader, module: LoadedModule, flags: LoadFlags): void {
  const { def, name } = module
  // modprobe -f strips the vermagic: try_to_force_load() taints F, announcing it once.
  if (flags.ignoreVermagic || flags.ignoreModversions) {
    if (!loader.kernel.taints.has('F'))
      loader.kernel.printk('warning', `${name}: bad vermagic: kernel tainted.`)
    loader.taint(module, 'F')
  }
  if (!def.intree) {
    if (!loader.kernel.taints.has('O'))
      loader.kernel.printk('warning', `${name}: loading out-of-tree module taints kernel.`)
    loader.taint(module, 'O')
  }
  if (def.info.some(([key]) => key === 'staging')) {
    loader.taint(module, 'C')
    loader.kernel.printk(
      'warning',
      `${name}: module is from the staging directory, the quality is unknown, you have been warned.`,
    )
  }
  const license = moduleLicense(def)
  if (!GPL_COMPATIBLE.has(license)) {
    if (!loader.kernel.taints.has('P'))
      loader.kernel.printk('warning', `${name}: module license '${license}' taints kernel.`)
    loader.taint(module, 'P')
  }
}
