import { lazyProperty } from './catalog-codec'
import type { DriverDefinition } from './driver-schema'
import type { KernelCatalog } from './kernel-catalog-schema'
import type { KernelProfile } from './kernel-profile-schema'
import { withBehaviour } from './module-behaviour'
import type { ModuleBehaviours, ModuleDefinition } from './module-schema'
import type { ProbeFacts } from './probe-facts-schema'

/**
 * A profile whose build is a generated catalog: the build's config under the profile's own
 * settings, the catalog's modules and exports, and its drivers after the curated ones (a curated
 * definition of the same driver and module replaces the catalog's).
 */
export function withCatalog(
  profile: KernelProfile,
  catalog: KernelCatalog,
  behaviours: ModuleBehaviours,
  probeFacts: ProbeFacts,
): KernelProfile {
  const behave = (module: ModuleDefinition) => withBehaviour(module, behaviours)
  const curated = new Set(profile.drivers.map((driver) => `${driver.module}/${driver.name}`))
  const scanned = new Map(
    catalog.drivers.map((driver) => [`${driver.module}/${driver.name}`, driver]),
  )
  const merged: KernelProfile = {
    ...profile,
    config: { ...catalog.config, ...profile.config },
    drivers: [
      ...profile.drivers.map((driver) => withSourceIds(driver, scanned)),
      ...catalog.drivers
        .filter((driver) => !curated.has(`${driver.module}/${driver.name}`))
        .map((driver) => withProbeFacts(driver, probeFacts)),
    ],
    modules: [...catalog.modules.map(behave), ...catalog.builtin],
    builtinModinfo: catalog.builtinModinfo,
    foreignDrivers: catalog.foreignDrivers,
    provenance: catalog.provenance,
    behaviours,
  }
  // Read only when asked for (the what-if's verdict, the module loader's symbol table).
  lazyProperty(merged, 'exports', () => catalog.exports)
  return lazyProperty(merged, 'kconfig', () => catalog.kconfig)
}

/** A scanned driver with what probe-facts.json says its probe does. */
function withProbeFacts(driver: DriverDefinition, facts: ProbeFacts): DriverDefinition {
  const fact = facts[`${driver.module}/${driver.name}`]
  if (!fact) return driver
  const { later, children, driverDataOf, deferReasons, effects = [] } = fact
  return {
    ...driver,
    probe: {
      ...driver.probe,
      effects: [...driver.probe.effects, ...effects],
      later,
      children,
      driverDataOf,
      deferReasons,
    },
  }
}

/**
 * A curated AMBA driver takes its `amba_id` table from the source scan of the same driver: the ids
 * are the source's, not typed in by hand.
 */
function withSourceIds(
  driver: DriverDefinition,
  scanned: ReadonlyMap<string, DriverDefinition>,
): DriverDefinition {
  if (driver.bus !== 'amba' || driver.amba) return driver
  const amba = scanned.get(`${driver.module}/${driver.name}`)?.amba
  return amba ? { ...driver, amba } : driver
}
