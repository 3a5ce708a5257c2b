import type { KernelProfile } from '../catalog/kernel-profile-schema'
import type { ExportedSymbol, ModuleDefinition } from '../catalog/module-schema'
import type { SeriesDefinition } from '../catalog/series/series-schema'
import { GPL_COMPATIBLE } from '../kernel/module/modinfo'
import type { VerdictItem } from './whatif-types'

/** The undefined symbols of a module, and where that list comes from. */
export interface NeededSymbols {
  module: string
  /** `kernel/drivers/.../x.ko` without the `kernel/`, as modpost names it. */
  object: string
  license: string
  importNamespaces: string[]
  symbols: string[]
  source: string
  /** Only part of what a build would list (a series' own list): say so. */
  partial?: boolean
  /** Needed core symbols a real build found in `__init`/`__initdata` (System.map), with where. */
  coreInit?: Record<string, string>
  /** What modpost itself said of the build besides undefined symbols (section mismatches...). */
  modpost?: string[]
}

const importName = (entry: ModuleDefinition['imports'][number]) =>
  typeof entry === 'string' ? entry : entry.name

/** What the `.ko` Debian ships (or the series' module definition) says the module imports. */
export function neededFromModule(
  module: ModuleDefinition,
  fromSeries: boolean,
): NeededSymbols | undefined {
  if (module.imports.length === 0) return undefined
  const license = module.info.find(([tag]) => tag === 'license')?.[1] ?? 'GPL'
  return {
    module: module.name,
    object: module.path.replace(/^kernel\//, '').replace(/\.ko(\.\w+)?$/, ''),
    license,
    importNamespaces: module.importNamespaces,
    symbols: module.imports.map(importName),
    source: fromSeries
      ? 'the series’ module definition (the symbols the series is about, not a full build)'
      : `${module.path} (its __versions and undefined symbols)`,
    ...(fromSeries ? { partial: true } : {}),
  }
}

/**
 * Core symbols in `__init` sections in the unpatched kernel, as the known series record them
 * (`remove_init` changes) and a real build found them, less those a series applied to this
 * kernel moved out of `__init`.
 */
export function initSymbols(
  profile: KernelProfile,
  allSeries: readonly SeriesDefinition[],
  needed: NeededSymbols,
): Map<string, string> {
  const init = new Map<string, string>(Object.entries(needed.coreInit ?? {}))
  for (const series of allSeries)
    for (const change of series.changes)
      if (change.kind === 'remove_init' && !init.has(change.symbol))
        init.set(change.symbol, `${change.file} (${series.name})`)
  for (const applied of profile.series ?? [])
    for (const { change, outcome } of applied.changes)
      if (change.kind === 'remove_init' && outcome === 'recorded') init.delete(change.symbol)
  return init
}

/**
 * What modpost would say of the module's undefined symbols against the kernel's exports
 * (scripts/mod/modpost.c:1701 undefined, :1724 namespace, :1730 GPL-only), and the references to
 * core `__init` code that a module can never call.
 */
export function symbolsVerdict(
  profile: KernelProfile,
  needed: NeededSymbols,
  init: Map<string, string>,
): VerdictItem[] {
  const exports = new Map<string, ExportedSymbol & { owner: string }>()
  for (const symbol of profile.exports) exports.set(symbol.name, { ...symbol, owner: 'vmlinux' })
  for (const module of profile.modules)
    if (module.name !== needed.module)
      for (const symbol of module.exports)
        if (!exports.has(symbol.name)) exports.set(symbol.name, { ...symbol, owner: module.name })
  const items: VerdictItem[] = []
  const gpl = GPL_COMPATIBLE.has(needed.license)
  const item = (severity: VerdictItem['severity'], code: string, symbol: string, message: string) =>
    items.push({
      area: 'symbols',
      severity,
      code,
      message,
      source: needed.source,
      subject: symbol,
    })
  for (const symbol of [...needed.symbols].sort()) {
    const initFile = init.get(symbol)
    if (initFile)
      item(
        'error',
        'init-reference',
        symbol,
        `${symbol} is __init (${initFile}): freed after boot, a module loaded later cannot call it; the __init must go`,
      )
    const exported = exports.get(symbol)
    if (!exported) {
      item(
        'error',
        'undefined',
        symbol,
        `ERROR: modpost: "${symbol}" [${needed.object}.ko] undefined!`,
      )
      continue
    }
    if (exported.namespace && !needed.importNamespaces.includes(exported.namespace))
      item(
        'error',
        'namespace',
        symbol,
        `ERROR: modpost: module ${needed.module} uses symbol ${symbol} from namespace ${exported.namespace}, but does not import it.`,
      )
    if (exported.gpl && !gpl)
      item(
        'error',
        'gpl-only',
        symbol,
        `ERROR: modpost: GPL-incompatible module ${needed.module}.ko uses GPL-only symbol '${symbol}'`,
      )
    else if (exported.gpl)
      item('info', 'gpl-only', symbol, `${symbol} is EXPORT_SYMBOL_GPL (fine: ${needed.license})`)
    if (exported.owner !== 'vmlinux')
      item('info', 'module-dependency', symbol, `${symbol} comes from module ${exported.owner}`)
  }
  // Undefined symbols and namespace imports are judged above against this kernel's exports; the
  // recorded build (with missing imports allowed) said the same of the kernel it was built on.
  for (const line of needed.modpost ?? [])
    if (!/undefined!$/.test(line) && !/from namespace \S+, but does not import it\.$/.test(line))
      items.push({
        area: 'symbols',
        severity: /^ERROR/.test(line) ? 'error' : 'warning',
        code: /section mismatch/.test(line) ? 'section-mismatch' : 'modpost',
        message: line,
        source: needed.source,
        subject: needed.module,
      })
  if (needed.partial)
    items.push({
      area: 'symbols',
      severity: 'info',
      code: 'partial',
      message: `only the symbols ${needed.source.replace(/ \(.*/, '')} names are checked, not a full build's list`,
      source: needed.source,
      subject: needed.module,
    })
  return items
}
