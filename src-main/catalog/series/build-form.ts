import type { DriverDefinition } from '../driver-schema'
import type { KernelProfile } from '../kernel-profile-schema'

type Config = Record<string, 'y' | 'm' | 'n'>

/**
 * The drivers the config builds, from every driver of both forms: one present only as a module
 * (`form: "module"`) exists when its symbol is `m`, one present only built in when it is not.
 */
export function buildForms(drivers: DriverDefinition[], config: Config): DriverDefinition[] {
  if (!drivers.some((def) => def.form)) return drivers
  return drivers.filter(
    (def) => !def.form || (def.form === 'module') === (config[def.kconfig] === 'm'),
  )
}

/** The profile's drivers for another config (withConfig): chosen from both forms when it has them. */
export function driversFor(profile: KernelProfile, config: Config): DriverDefinition[] {
  return profile.driverForms ? buildForms(profile.driverForms, config) : profile.drivers
}
