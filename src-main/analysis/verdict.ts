import type { KernelProfile } from '../catalog/kernel-profile-schema'
import type { SeriesDefinition } from '../catalog/series/series-schema'
import { gkiVerdict } from './verdict-gki'
import { kconfigVerdict } from './verdict-kconfig'
import { driversOf, modulesOf, registrationVerdict, unloadVerdict } from './verdict-module'
import {
  initSymbols,
  neededFromModule,
  symbolsVerdict,
  type NeededSymbols,
} from './verdict-symbols'
import { hasErrors, type Change, type SymbolVerdict, type VerdictItem } from './whatif-types'
import type { SectionSizes } from './whatif-types'

/**
 * Real builds of drivers as modules (scripts/real-build): what each would import and its section
 * sizes, for drivers the kernel package ships built in.
 */
export interface BuildRecords {
  needed(symbol: string, module: string): NeededSymbols | undefined
  sizes(symbol: string): SectionSizes | undefined
  /** The `.ko`s the build made of the symbol, with module_init/module_exit as its ELF has them. */
  modules?(symbol: string): { name: string; hasInit: boolean; hasExit: boolean }[]
}

/**
 * The undefined symbols of the symbol's module: a real build's record first, then the `.ko` the
 * kernel package ships, then the module a series defines (its own partial list).
 */
function neededSymbols(
  profile: KernelProfile,
  symbol: string,
  build: BuildRecords | undefined,
): { needed?: NeededSymbols; module?: string } {
  const modules = modulesOf(profile, symbol)
  // A driver that is built in and no platform driver (a module_init-only heap) is known to the
  // real build only.
  const name =
    modules[0]?.name ??
    driversOf(profile, symbol, 'module')[0]?.module ??
    build?.modules?.(symbol)[0]?.name
  if (!name) return {}
  const fromSeries = (profile.series ?? []).some(({ changes }) =>
    changes.some(
      ({ change }) =>
        change.kind === 'kconfig_tristate' && change.modules.some((m) => m.name === name),
    ),
  )
  const recorded = build?.needed(symbol, name)
  if (recorded) return { needed: fromSeries ? patched(profile, recorded) : recorded, module: name }
  const module = modules.find((candidate) => candidate.name === name)
  const shipped = module && neededFromModule(module, fromSeries)
  return { ...(shipped ? { needed: shipped } : {}), module: name }
}

/**
 * A real build of the unpatched sources, as the series that makes the driver a module changes it:
 * the series gives it its MODULE_LICENSE and MODULE_IMPORT_NS tags, and a code change may make it
 * reference another symbol (`references`).
 */
function patched(profile: KernelProfile, recorded: NeededSymbols): NeededSymbols {
  const changes = (profile.series ?? []).flatMap((series) => series.changes.map((c) => c.change))
  const spec = changes
    .flatMap((change) => (change.kind === 'kconfig_tristate' ? change.modules : []))
    .find((module) => module.name === recorded.module)
  const namespaces = [...recorded.importNamespaces, ...(spec?.importNamespaces ?? [])]
  const uses = new Map(
    changes.flatMap((change) =>
      change.kind === 'code' ? (change.references ?? []).map((r) => [r.instead, r.uses]) : [],
    ) as [string, string][],
  )
  const imported = (line: string) =>
    namespaces.some((namespace) => line.includes(`from namespace ${namespace}, but`))
  return {
    ...recorded,
    importNamespaces: namespaces,
    symbols: recorded.symbols.map((symbol) => uses.get(symbol) ?? symbol),
    modpost: recorded.modpost?.filter((line) => !/MODULE_LICENSE/.test(line) && !imported(line)),
  }
}

/**
 * Would a build of `profile` (the kernel with its series) with `symbol` set to `change` build,
 * load and unload? Each item names its reason and source.
 */
export function verdictFor(
  profile: KernelProfile,
  symbol: string,
  change: Change,
  allSeries: readonly SeriesDefinition[],
  build?: BuildRecords,
  config?: Record<string, 'y' | 'm' | 'n'>,
): SymbolVerdict {
  const items: VerdictItem[] = kconfigVerdict(profile, symbol, change, allSeries, config)
  const form = change === 'm' ? 'module' : 'builtin'
  const drivers = driversOf(profile, symbol, form)
  const modules = modulesOf(profile, symbol)
  if (change === 'm') {
    items.push(...registrationVerdict(drivers))
    if (drivers.length === 0)
      items.push({
        area: 'registration',
        severity: 'info',
        code: 'no-device',
        message: `${symbol} builds no driver with a device table, only module_init: no modalias, so udev's coldplug never loads it; modules.load or a modprobe must`,
        source: 'include/linux/module.h:130',
        subject: symbol,
      })
    const { needed, module } = neededSymbols(profile, symbol, build)
    if (needed)
      items.push(...symbolsVerdict(profile, needed, initSymbols(profile, allSeries, needed)))
    else
      items.push({
        area: 'symbols',
        severity: 'info',
        code: 'no-build-record',
        message: `no record of what ${module ?? symbol} would import as a module: the kernel package ships it built in, and no real build of it as a module is recorded`,
        source: 'scripts/real-build',
        subject: module ?? symbol,
      })
    // What the kernel package or a series does not describe, the real build's .ko does.
    const built = modules.length > 0 ? modules : (build?.modules?.(symbol) ?? [])
    items.push(...unloadVerdict(drivers, built))
    if (module) items.push(...gkiVerdict(module, needed))
  }
  if (change === 'free')
    items.push({
      area: 'registration',
      severity: 'info',
      code: 'free-if-unused',
      message: `built in, and freed at the end of boot when none of ${drivers.map((d) => d.name).join(', ') || symbol} bound a device (the proposal Linux does not have: the memory table shows what it would save)`,
      source: 'reference/upstream-6.12.md §4',
      subject: symbol,
    })
  const unique = [...new Map(items.map((item) => [`${item.code}\n${item.message}`, item])).values()]
  return {
    symbol,
    change,
    drivers: [...new Set(drivers.map((def) => def.name))],
    modules: modules.map((module) => module.name),
    items: unique,
    builds: !hasErrors(unique.filter((item) => item.area !== 'unload')),
  }
}
