import type { ModulePolicy } from '../catalog/module-schema'
import { deviceModalias } from './modalias'
import { lookup } from './modprobe'
import type { Shell } from './shell'

/**
 * The start of userspace: Android first-stage init loads `modules.load` in order, then udev's
 * coldplug walks the devices without a driver and loads what their modalias (OF, or AMBA's) matches
 * (`kmod load $MODALIAS`), in device creation order. Each load is recorded as a shell command.
 * `override` replaces the profile's `modulePolicy.coldplug` for one boot (`modlab run --coldplug`).
 */
export function coldplug(shell: Shell, override?: ModulePolicy['coldplug']): void {
  const system = shell.system
  const policy = system.kernel.inputs.profile.modulePolicy
  const mode = override ?? policy?.coldplug
  if (!policy || mode === 'none' || !system.loader) return
  system.kernel.markPhase('coldplug')
  if (mode === 'modules.load') {
    for (const name of policy.modulesLoad) shell.runOne(`modprobe -q ${name}`)
  }
  for (const device of system.kernel.core.devices) {
    if (device.driver) continue
    const alias = deviceModalias(device)
    if (!alias) continue
    const found = lookup(system, alias)
    if (found.kind !== 'modules') continue
    if (found.files.every((file) => system.loader?.find(file.def.name))) continue
    shell.runOne(`modprobe -q '${alias}'`)
  }
}
