import { ERRNO } from '../../linux/errno'
import { busDevicesDir, busDriversFile } from '../bus-sysfs'
import type { Device } from '../device'
import type { Kernel } from '../kernel'
import { procModules, sysModuleFile } from '../module/sysfs'
import { taintMask } from '../module/taint'
import { iommuGroupsFile } from '../subsys/iommu-groups'
import { dir, file, type FileNode } from './pseudo-file'
import { timeFile } from './time-files'
import { cmaFile } from './cma-files'
import { dmaHeapFile } from '../subsys/dma-heap'
import { freeUnusedFile } from '../free-unused'

/**
 * The paths procfs, sysfs, debugfs and devtmpfs answer at below their directories: `ls` of a
 * directory above them lists each one this boot has (`ls /sys`, `ls /proc`).
 */
export const KERNFS_PATHS = [
  '/dev/dma_heap',
  '/proc/cmdline',
  '/proc/meminfo',
  '/proc/modules',
  '/proc/sys/kernel/tainted',
  '/proc/timer_list',
  ...['amba', 'i2c', 'platform', 'spmi'].flatMap((bus) => [
    `/sys/bus/${bus}/devices`,
    `/sys/bus/${bus}/drivers`,
  ]),
  '/sys/class/dma_heap',
  '/sys/class/net',
  '/sys/devices/system/clockevents',
  '/sys/devices/system/clocksource',
  '/sys/kernel/debug/cma',
  '/sys/kernel/debug/devices_deferred',
  '/sys/kernel/debug/free_unused_builtin',
  '/sys/kernel/iommu_groups',
  '/sys/module',
]

/** Values written to initcall_debug at run time, per kernel. */
const initcallDebugWritten = new WeakMap<Kernel, boolean>()

/** The files procfs, sysfs and debugfs show for this kernel; undefined for a path they lack. */
export function kernelFile(kernel: Kernel, path: string): FileNode | undefined {
  const loader = kernel.modules
  if (path === '/proc/modules') return file(() => procModules(loader))
  if (path === '/proc/cmdline') return file(() => `${kernel.cmdline.raw}\n`)
  if (path === '/proc/sys/kernel/tainted') return file(() => `${taintMask(kernel.taints)}\n`)
  if (path === '/sys/kernel/debug/devices_deferred')
    return file(() => kernel.core.devicesDeferred())
  if (path === '/sys/module/kernel/parameters/initcall_debug') return initcallDebugFile(kernel)
  const subsystem =
    timeFile(kernel, path) ??
    iommuGroupsFile(kernel, path) ??
    cmaFile(kernel, path) ??
    dmaHeapFile(kernel, path) ??
    freeUnusedFile(kernel, path)
  if (subsystem) return subsystem
  if (path === '/sys/class/net') return dir(() => kernel.net.names().sort())
  if (path === '/sys/module')
    return dir(() => (loader?.list ?? []).map((module) => module.name).sort())
  const moduleMatch =
    /^\/sys\/module\/(\w+)(?:\/(refcnt|initstate|holders|taint|coresize|initsize))?$/.exec(path)
  if (moduleMatch) return sysModuleFile(loader, moduleMatch[1] as string, moduleMatch[2])
  const busMatch =
    /^\/sys\/bus\/(platform|amba|spmi|i2c)\/drivers(?:\/([^/]+)(?:\/(bind|unbind))?)?$/.exec(path)
  if (busMatch)
    return busDriversFile(kernel, busMatch[1] as Device['bus'], busMatch[2], busMatch[3])
  const devicesMatch = /^\/sys\/bus\/(platform|amba|spmi|i2c)\/devices$/.exec(path)
  if (devicesMatch) return busDevicesDir(kernel, devicesMatch[1] as Device['bus'])
  return undefined
}

/**
 * core_param(initcall_debug, ..., bool, 0644) (init/main.c): readable and writable at run time,
 * but the probes that print `calling`/`initcall ... returned` are registered only at boot
 * (initcall_debug_enable() when the command line set it), so a later write changes what reads
 * back and nothing else: module inits stay silent.
 */
function initcallDebugFile(kernel: Kernel): FileNode {
  return file(
    () => `${(initcallDebugWritten.get(kernel) ?? kernel.initcallDebug) ? 'Y' : 'N'}\n`,
    (value) => {
      // param_set_bool(): kstrtobool() on the first character.
      const first = value.trim()[0]?.toLowerCase()
      if (first === undefined || !'yt1nf0o'.includes(first)) return -ERRNO.EINVAL
      initcallDebugWritten.set(kernel, 'yt1'.includes(first) || /^on/i.test(value.trim()))
      return 0
    },
  )
}
