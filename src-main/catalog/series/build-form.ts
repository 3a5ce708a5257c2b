import type { DriverDefinition, RegistrationForm } from '../driver-schema'

type Config = Record<string, 'y' | 'm' | 'n'>

function formOf(def: DriverDefinition): RegistrationForm {
  return { name: def.name, registration: def.registration, initcall: def.initcall }
}

/**
 * Each driver in the form the config builds: a driver whose module differs from its built-in code
 * (`#ifdef MODULE`) takes its `asModule` form when its symbol is `m`, and gets its built-in form
 * back otherwise. Drivers without a second form are returned as they are.
 */
export function buildForms(drivers: DriverDefinition[], config: Config): DriverDefinition[] {
  let changed = false
  const result = drivers.map((def) => {
    const modular = config[def.kconfig] === 'm'
    if (modular && def.asModule) {
      changed = true
      const { asModule, ...rest } = def
      return { ...rest, ...asModule, asBuiltIn: formOf(def) }
    }
    if (!modular && def.asBuiltIn) {
      changed = true
      const { asBuiltIn, ...rest } = def
      return { ...rest, ...asBuiltIn, asModule: formOf(def) }
    }
    return def
  })
  return changed ? result : drivers
}
