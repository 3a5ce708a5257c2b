import type { ModulePolicy } from '../catalog/module-schema'
import { deviceModalias } from './modalias'
import { lookup } from './modprobe'
import type { Device } from '../kernel/device'
import type { Shell } from './shell'

/**
 * The start of userspace: Android first-stage init loads `modules.load` in order, then udev's
 * coldplug walks the devices without a driver and loads what their modalias (OF, or AMBA's) matches
 * (`kmod load $MODALIAS`), in device creation order; then udevd stays, and does the same for each
 * device the kernel adds later. Each load is recorded as a shell command.
 * `override` replaces the profile's `modulePolicy.coldplug` for one boot (`modlab run --coldplug`).
 */
export function coldplug(shell: Shell, override?: ModulePolicy['coldplug']): void {
  const system = shell.system
  const policy = system.kernel.inputs.profile.modulePolicy
  const mode = override ?? policy?.coldplug
  if (!policy || mode === 'none' || !system.loader) return
  system.kernel.markPhase('coldplug')
  const blacklisted = kcmdlineBlacklist(system.kernel.cmdline.entries)
  if (mode === 'modules.load') {
    for (const name of policy.modulesLoad) shell.runOne(`modprobe -q ${name}`)
  }
  const kernel = system.kernel
  const load = (device: Device) => {
    if (device.driver) return
    const alias = deviceModalias(device)
    if (!alias) return
    const found = lookup(system, alias)
    if (found.kind !== 'modules') return
    if (found.files.every((file) => blacklisted.has(file.def.name))) return
    if (found.files.every((file) => system.loader?.find(file.def.name))) return
    shell.runOne(`modprobe -q '${alias}'`)
  }
  // `udevadm trigger` walks /sys/devices, which grows under it with what the loads populate.
  for (const device of kernel.core.devices) load(device)
  kernel.uevents.listen((devices) => devices.forEach(load))
}

/**
 * libkmod reads `modprobe.blacklist=a,b` from /proc/cmdline as blacklist entries
 * (kmod_config_parse_kcmdline), and udev's kmod builtin loads by alias with
 * KMOD_PROBE_APPLY_BLACKLIST: a blacklisted module is never coldplugged, though an explicit
 * `modprobe NAME` still loads it.
 */
function kcmdlineBlacklist(entries: [string, string | true][]): Set<string> {
  const names = new Set<string>()
  for (const [name, value] of entries)
    if (name === 'modprobe.blacklist' && typeof value === 'string')
      for (const module of value.split(',')) if (module) names.add(module.replace(/-/g, '_'))
  return names
}
