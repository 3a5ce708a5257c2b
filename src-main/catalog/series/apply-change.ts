import type { DriverDefinition } from '../driver-schema'
import type { KconfigSymbol } from '../kernel-catalog-schema'
import type { KernelProfile } from '../kernel-profile-schema'
import type { ExportedSymbol, ModuleDefinition } from '../module-schema'
import { withBehaviour } from '../module-behaviour'
import type { SeriesChange, SeriesModule } from './series-schema'

/** The work of one application: copies of what the changes touch, made on first write. */
export class Variant {
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

/** One change of a series made to the variant; what it did, as recorded in `profile.series`. */
export function applyChange(variant: Variant, change: SeriesChange): string {
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
