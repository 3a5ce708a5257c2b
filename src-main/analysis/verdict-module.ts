import type { DriverDefinition } from '../catalog/driver-schema'
import type { KernelProfile } from '../catalog/kernel-profile-schema'
import type { ModuleDefinition } from '../catalog/module-schema'
import { INITCALL_SECTIONS } from '../linux/initcall-levels'
import type { VerdictItem } from './whatif-types'

const DEVICE_LEVEL = INITCALL_SECTIONS.indexOf('device')

/** The drivers of a Kconfig symbol in the form a build with that value compiles them. */
export function driversOf(
  profile: KernelProfile,
  symbol: string,
  form: 'builtin' | 'module',
): DriverDefinition[] {
  const all = profile.driverForms ?? profile.drivers
  return all.filter((def) => def.kconfig === symbol && (def.form ?? form) === form)
}

export function modulesOf(profile: KernelProfile, symbol: string): ModuleDefinition[] {
  return profile.modules.filter((module) => module.kconfig === symbol)
}

/**
 * What the registration macros do once the code is a module: `*_OF_DECLARE` is compiled to an
 * unused table (include/linux/of.h:1520-1530, `!defined(MODULE)`), every `*_initcall` becomes
 * module_init (include/linux/module.h:111-127) and runs when the module loads.
 */
export function registrationVerdict(drivers: readonly DriverDefinition[]): VerdictItem[] {
  const items: VerdictItem[] = []
  for (const def of drivers) {
    const registration = def.registration
    if (registration.kind === 'of_declare') {
      const macro = `${registration.table.toUpperCase()}_OF_DECLARE`
      items.push({
        area: 'registration',
        severity: 'error',
        code: 'of-declare',
        message: `${def.name} registers only through ${macro}(${def.initcall}), which a module build compiles out: the module would load and never run ${def.initcall}. It must become a platform driver (module_platform_driver) to load late`,
        source: 'include/linux/of.h:1520-1530',
        subject: def.name,
      })
      continue
    }
    const level = INITCALL_SECTIONS.indexOf(registration.level)
    if (level < DEVICE_LEVEL)
      items.push({
        area: 'registration',
        severity: 'warning',
        code: 'early-initcall',
        message: `${def.name}'s ${registration.level}_initcall(${def.initcall}) becomes module_init in a module: it runs when the module loads, after every built-in initcall, so what needs it earlier defers or goes without`,
        source: 'include/linux/module.h:111-127',
        subject: def.name,
      })
  }
  return items
}

/** A module with an init and no exit can never leave (kernel/module/main.c:775). */
export function permanentItem(module: string, from?: string): VerdictItem {
  return {
    area: 'unload',
    severity: 'warning',
    code: 'permanent',
    message: `${module} has module_init but no module_exit: it can never be unloaded ([permanent] in /proc/modules; rmmod answers EBUSY)`,
    source: from ? `kernel/module/main.c:775 (${from})` : 'kernel/module/main.c:775',
    subject: module,
  }
}

/**
 * Whether the module can leave again: no module_exit makes it [permanent]
 * (kernel/module/main.c:775); a clockevent or clocksource with `.owner = THIS_MODULE` is pinned
 * by the tick code's try_module_get() while in use; one without owner pins nothing, so an
 * unload frees code the tick still calls.
 */
export function unloadVerdict(
  drivers: readonly DriverDefinition[],
  modules: readonly Pick<ModuleDefinition, 'name' | 'hasInit' | 'hasExit'>[],
): VerdictItem[] {
  const items: VerdictItem[] = []
  for (const module of modules)
    if (module.hasInit && !module.hasExit) items.push(permanentItem(module.name))
  for (const def of drivers)
    for (const effect of def.probe.effects) {
      if (effect.kind !== 'clockevent' && effect.kind !== 'clocksource') continue
      const object = effect.kind === 'clockevent' ? 'clock_event_device' : 'clocksource'
      // A name made from the node (`{node.name}`) is known only per device.
      const name = effect.name.includes('{') ? 'named after its node' : `"${effect.name}"`
      const source =
        effect.kind === 'clockevent'
          ? 'kernel/time/tick-common.c:338 (tick_check_new_device)'
          : 'kernel/time/timekeeping.c:1492 (change_clocksource)'
      items.push(
        effect.owner
          ? {
              area: 'unload',
              severity: 'warning',
              code: 'pinned',
              message: `${def.name} registers ${object} ${name} with .owner = THIS_MODULE: while the tick or timekeeping uses it, the module's refcount is held and rmmod is refused${effect.kind === 'clockevent' ? ' (a clockevent in use is never given back)' : ' until another clocksource takes over'}`,
              source,
              subject: def.name,
            }
          : {
              area: 'unload',
              severity: 'warning',
              code: 'unowned',
              message: `${def.name} registers ${object} ${name} without .owner: try_module_get() pins nothing, so once ${effect.kind === 'clockevent' ? 'a tick or broadcast device' : 'the current clocksource'} is this one, rmmod succeeds while the kernel still calls its code (a use-after-free: an Oops)`,
              source,
              subject: def.name,
            },
      )
    }
  return items
}
