import type { DriverDefinition } from '../driver-schema'
import type { KconfigSymbol } from '../kernel-catalog-schema'
import type { KernelProfile } from '../kernel-profile-schema'
import type { ExportedSymbol, ModuleDefinition } from '../module-schema'
import { withBehaviour } from '../module-behaviour'
import { deriveDigest } from '../profile-digest'
import { buildForms } from './build-form'
import { SeriesError } from './series-loader'
import type { AppliedSeries, SeriesChange, SeriesDefinition, SeriesModule } from './series-schema'

/** `6.12` for a profile imitating 6.12. */
export function versionOf(profile: KernelProfile): string {
  return `${profile.version[0]}.${profile.version[1]}`
}

/** Why the series cannot be applied to this kernel, or undefined. */
export function seriesProblem(
  profile: KernelProfile,
  series: SeriesDefinition,
): string | undefined {
  const version = versionOf(profile)
  if (series.appliesTo.includes(version)) return undefined
  const merged = series.merged.status === 'merged' ? `; merged in v${series.merged.in}` : ''
  const applies =
    series.appliesTo.length > 0
      ? `it applies to ${series.appliesTo.join(', ')}`
      : (series.notApplicable as string)
  return `series ${series.name} does not apply to kernel ${profile.id} (${version}): ${applies}${merged}`
}

/** The work of one application: copies of what the changes touch, made on first write. */
class Variant {
  drivers: DriverDefinition[]
  modules: ModuleDefinition[]
  private exportList?: ExportedSymbol[]
  private kconfigMap?: Record<string, KconfigSymbol>

  constructor(private readonly base: KernelProfile) {
    this.drivers = base.driverForms ?? base.drivers
    this.modules = base.modules
  }

  get exports(): ExportedSymbol[] {
    return (this.exportList ??= [...this.base.exports])
  }

  get exportsChanged(): boolean {
    return this.exportList !== undefined
  }

  get kconfig(): Record<string, KconfigSymbol> {
    return (this.kconfigMap ??= { ...this.base.kconfig })
  }

  get kconfigChanged(): boolean {
    return this.kconfigMap !== undefined
  }

  /** A Kconfig declaration as the changes so far left it. */
  declared(symbol: string): KconfigSymbol | undefined {
    return (this.kconfigMap ?? this.base.kconfig)[symbol]
  }

  get behaviours(): KernelProfile['behaviours'] {
    return this.base.behaviours
  }

  module(name: string): ModuleDefinition | undefined {
    return this.modules.find((module) => module.name === name)
  }

  replaceModule(name: string, change: (module: ModuleDefinition) => ModuleDefinition): void {
    this.modules = this.modules.map((module) => (module.name === name ? change(module) : module))
  }
}

/** A series module as the `.ko` a build of the patched tree would describe (sizes unknown: 0). */
function moduleOf(
  spec: SeriesModule,
  kconfig: string,
  exports: ExportedSymbol[],
): ModuleDefinition {
  const crcs = new Map(exports.map((symbol) => [symbol.name, symbol.crc]))
  return {
    name: spec.name,
    kconfig,
    path: spec.path,
    info: [
      ['license', spec.license],
      ...(spec.description ? [['description', spec.description] as [string, string]] : []),
    ],
    complete: false,
    tableAliases: [],
    intree: true,
    // Signed by the patched build's own key, as every module of a rebuilt kernel is.
    signed: true,
    params: [],
    exports: [],
    imports: spec.imports.map((name) => {
      const crc = crcs.get(name)
      return crc ? { name, crc, weak: false } : { name, weak: false }
    }),
    importNamespaces: spec.importNamespaces,
    hasInit: true,
    hasExit: spec.hasExit,
    init: { us: 0, messages: [], size: 0 },
    sizes: { text: 0, rodata: 0, data: 0, roAfterInit: 0, initText: 0, initData: 0 },
  }
}

function applyChange(variant: Variant, change: SeriesChange): string {
  switch (change.kind) {
    case 'export': {
      const exports = variant.exports
      const index = exports.findIndex((symbol) => symbol.name === change.symbol)
      const wanted: ExportedSymbol = {
        name: change.symbol,
        gpl: change.gpl,
        ...(change.namespace ? { namespace: change.namespace } : {}),
      }
      if (index < 0) {
        exports.push(wanted)
        return 'applied'
      }
      const present = exports[index] as ExportedSymbol
      if (present.gpl === wanted.gpl && present.namespace === wanted.namespace)
        return 'already exported'
      exports[index] = { ...present, ...wanted }
      return 'applied (export changed)'
    }
    case 'kconfig_tristate': {
      const declared = variant.declared(change.symbol)
      if (!declared) return `${change.symbol} is not declared in this kernel`
      const outcomes: string[] = []
      if (declared.type === 'tristate') outcomes.push('already tristate')
      else if (declared.type === 'bool') {
        variant.kconfig[change.symbol] = { ...declared, type: 'tristate' }
        outcomes.push('applied')
      } else return `${change.symbol} is ${declared.type}, not bool`
      variant.drivers = variant.drivers.map((def) =>
        def.kconfig === change.symbol && !def.tristate ? { ...def, tristate: true } : def,
      )
      for (const spec of change.modules) {
        if (variant.module(spec.name)) outcomes.push(`module ${spec.name} already described`)
        else
          variant.modules = [
            ...variant.modules,
            withBehaviour(moduleOf(spec, change.symbol, variant.exports), variant.behaviours),
          ]
      }
      return outcomes.join('; ')
    }
    case 'kconfig_unselect': {
      const declared = variant.declared(change.symbol)
      const by = change.by.replace(/^CONFIG_/, '')
      const selectors = declared?.selectedBy ?? []
      const kept = selectors.filter((entry) => entry.split(' if ')[0] !== by)
      if (kept.length === selectors.length) return `${change.by} does not select ${change.symbol}`
      variant.kconfig[change.symbol] = { ...(declared as KconfigSymbol), selectedBy: kept }
      return 'applied'
    }
    case 'registration': {
      const converted = variant.drivers.filter(
        (def) => def.module === change.module && def.registration.kind === change.from && !def.form,
      )
      if (converted.length === 0)
        return `no ${change.from} driver of module ${change.module} in this kernel`
      // One platform driver for the converted entries (its match table holds their compatibles);
      // entries that behave differently stay apart under the same name (match data modlab's
      // driver definitions cannot hold).
      const groups = new Map<string, DriverDefinition[]>()
      for (const def of converted) {
        const { name: _name, compatible: _compatible, initcall: _initcall, ...behaviour } = def
        const key = JSON.stringify(behaviour)
        groups.set(key, [...(groups.get(key) ?? []), def])
      }
      const platform = [...groups.values()].map((defs): DriverDefinition => ({
        ...(defs[0] as DriverDefinition),
        name: change.name,
        compatible: defs.flatMap((def) => def.compatible),
        registration: { kind: 'initcall', level: change.level },
        initcall: change.initcall,
        ...(change.when === 'module' ? { form: 'module' as const } : {}),
      }))
      const first = variant.drivers.indexOf(converted[0] as DriverDefinition)
      const kept = variant.drivers.flatMap((def) =>
        !converted.includes(def)
          ? [def]
          : change.when === 'module'
            ? [{ ...def, form: 'builtin' as const }]
            : [],
      )
      kept.splice(change.when === 'module' ? first + converted.length : first, 0, ...platform)
      variant.drivers = kept
      return `applied (${converted.length} → ${platform.length} platform driver${platform.length === 1 ? '' : 's'})`
    }
    case 'module_exit': {
      if (!variant.module(change.module)) return `no module ${change.module} in this kernel`
      variant.replaceModule(change.module, (module) => ({ ...module, hasExit: change.present }))
      return 'applied'
    }
    case 'module_owner':
      // Kept in `profile.series` for the subsystems that take module references (see ownerSet).
      return variant.module(change.module) ||
        variant.drivers.some((d) => d.module === change.module)
        ? 'recorded'
        : `no module ${change.module} in this kernel`
    case 'remove_init':
      return 'recorded'
    case 'code':
      return 'not simulated'
  }
}

const applied = new WeakMap<KernelProfile, Map<string, KernelProfile>>()

/**
 * The kernel variant a profile becomes with these series applied in order: exports added, Kconfig
 * symbols made tristate (with the modules they build), selects dropped, registrations converted;
 * what each change did is kept in `series`. Refused for a series that does not apply to the
 * kernel, or one given twice. Pure and deterministic; the same inputs give the same object.
 */
export function applySeries(
  profile: KernelProfile,
  seriesList: readonly SeriesDefinition[],
): KernelProfile {
  if (seriesList.length === 0) return profile
  const key = seriesList.map((series) => series.name).join('\n')
  const cached = applied.get(profile)?.get(key)
  if (cached) return cached
  const names = new Set((profile.series ?? []).map((series) => series.name))
  for (const series of seriesList) {
    if (names.has(series.name))
      throw new SeriesError(`series ${series.name} is applied twice to kernel ${profile.id}`)
    names.add(series.name)
    const problem = seriesProblem(profile, series)
    if (problem) throw new SeriesError(problem)
  }
  const variant = new Variant(profile)
  const records: AppliedSeries[] = seriesList.map((series) => ({
    name: series.name,
    title: series.title,
    changes: [
      ...series.prerequisites.flatMap((prerequisite) =>
        prerequisite.changes.map((change) => ({
          change,
          outcome: `prerequisite (${prerequisite.summary}): ${applyChange(variant, change)}`,
        })),
      ),
      ...series.changes.map((change) => ({ change, outcome: applyChange(variant, change) })),
    ],
  }))
  // A copy of the descriptors: what the profile reads lazily and the series left alone stays unread.
  const copy = Object.defineProperties(
    {},
    Object.getOwnPropertyDescriptors(profile),
  ) as KernelProfile
  const forms = variant.drivers.some((def) => def.form)
  Object.assign(copy, {
    drivers: buildForms(variant.drivers, profile.config),
    driverForms: forms ? variant.drivers : undefined,
    modules: variant.modules,
    series: [...(profile.series ?? []), ...records],
  })
  if (variant.exportsChanged)
    Object.defineProperty(copy, 'exports', {
      value: variant.exports,
      enumerable: true,
      writable: true,
    })
  if (variant.kconfigChanged)
    Object.defineProperty(copy, 'kconfig', {
      value: variant.kconfig,
      enumerable: true,
      writable: true,
    })
  // The series' whole definitions, not their names: what the variant derives from is their content.
  deriveDigest(copy, profile, 'series', JSON.stringify(seriesList))
  let byKey = applied.get(profile)
  if (!byKey) applied.set(profile, (byKey = new Map()))
  byKey.set(key, copy)
  return copy
}

/** Whether an applied series set `.owner = THIS_MODULE` on this module's object. */
export function ownerSet(
  profile: KernelProfile,
  module: string,
  object: 'clocksource' | 'clockevent' | 'iommu_ops',
): boolean {
  return (profile.series ?? []).some((series) =>
    series.changes.some(
      ({ change, outcome }) =>
        change.kind === 'module_owner' &&
        change.module === module &&
        change.object === object &&
        outcome.endsWith('recorded'),
    ),
  )
}

/** Whether an applied series removed `__init`/`__initdata` from this symbol. */
export function initRemoved(profile: KernelProfile, symbol: string): boolean {
  return (profile.series ?? []).some((series) =>
    series.changes.some(({ change }) => change.kind === 'remove_init' && change.symbol === symbol),
  )
}
