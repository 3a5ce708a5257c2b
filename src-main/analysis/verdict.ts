import type { KernelProfile } from '../catalog/kernel-profile-schema'
import type { SeriesDefinition } from '../catalog/series/series-schema'
import { gkiVerdict } from './verdict-gki'
import { kconfigVerdict } from './verdict-kconfig'
import {
  driversOf,
  modulesOf,
  permanentItem,
  registrationVerdict,
  unloadVerdict,
} from './verdict-module'
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
  /** The modules a real build of the symbol made (several for `obj-$(CONFIG_X) += a.o b.o`). */
  modules(symbol: string): string[]
  needed(symbol: string, module: string): NeededSymbols | undefined
  /**
   * The symbols whose modules call code of this one's sources that nothing exports: built as
   * modules, they would need it loaded (a dependency modpost cannot resolve without an export).
   */
  neededBy(symbol: string): string[]
  /** Whether the module's `.ko` has an init and an exit (`init_module`, `cleanup_module`). */
  entry(symbol: string, module: string): { hasInit: boolean; hasExit: boolean } | undefined
  sizes(symbol: string): SectionSizes | undefined
}

/**
 * The modules `symbol=m` builds: the `.ko` files the kernel package (or a series) describes, else
 * those a real build of it made, else the modules its drivers name.
 */
function moduleNames(profile: KernelProfile, symbol: string, build: BuildRecords | undefined) {
  const shipped = modulesOf(profile, symbol).map((module) => module.name)
  if (shipped.length > 0) return shipped
  const recorded = build?.modules(symbol) ?? []
  if (recorded.length > 0) return recorded
  const named = driversOf(profile, symbol, 'module').flatMap((def) => def.module ?? [])
  return [...new Set(named)]
}

/**
 * The undefined symbols of each module of the symbol: a real build's record first, then the `.ko`
 * the kernel package ships, then the module a series defines (its own partial list).
 */
function neededSymbols(
  profile: KernelProfile,
  symbol: string,
  build: BuildRecords | undefined,
): { needed?: NeededSymbols; module: string }[] {
  const modules = modulesOf(profile, symbol)
  return moduleNames(profile, symbol, build).map((name) => {
    const fromSeries = (profile.series ?? []).some(({ changes }) =>
      changes.some(
        ({ change }) =>
          change.kind === 'kconfig_tristate' && change.modules.some((m) => m.name === name),
      ),
    )
    const recorded = build?.needed(symbol, name)
    if (recorded)
      return { needed: fromSeries ? patched(profile, recorded) : recorded, module: name }
    const module = modules.find((candidate) => candidate.name === name)
    const shipped = module && neededFromModule(module, fromSeries)
    return { ...(shipped ? { needed: shipped } : {}), module: name }
  })
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
    const perModule = neededSymbols(profile, symbol, build)
    for (const { needed, module } of perModule)
      if (needed)
        items.push(...symbolsVerdict(profile, needed, initSymbols(profile, allSeries, needed)))
      else
        items.push({
          area: 'symbols',
          severity: 'info',
          code: 'no-build-record',
          message: `no record of what ${module} would import as a module: the kernel package ships it built in, and no real build of it as a module is recorded`,
          source: 'scripts/real-build',
          subject: module,
        })
    if (perModule.length === 0)
      items.push({
        area: 'symbols',
        severity: 'info',
        code: 'no-build-record',
        message: `no record of what ${symbol} would import as a module: the kernel package ships it built in, and no real build of it as a module is recorded`,
        source: 'scripts/real-build',
        subject: symbol,
      })
    items.push(...unloadVerdict(drivers, modules))
    // A module the package does not ship: whether its real build has an exit.
    for (const { module } of perModule)
      if (!modules.some((shipped) => shipped.name === module)) {
        const entry = build?.entry(symbol, module)
        if (entry?.hasInit && !entry.hasExit)
          items.push(permanentItem(module, 'resources/real-build'))
      }
    for (const { needed, module } of perModule) items.push(...gkiVerdict(module, needed))
  }
  if (change === 'free')
    items.push({
      area: 'registration',
      severity: 'info',
      code: 'free-if-unused',
      message: `built in, and freed at the end of boot when none of ${drivers.map((d) => d.name).join(', ') || symbol} bound a device (the proposal Linux does not have: boot B frees it with free_unused_builtin, and the memory table shows what it saves)`,
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
