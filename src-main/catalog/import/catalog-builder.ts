import type { DriverDefinition } from '../driver-schema'
import type { ForeignDriver, KconfigSymbol } from '../kernel-catalog-schema'
import type { ExportedSymbol, ModuleInput } from '../module-schema'
import {
  objectPath,
  readModulesTree,
  type ExportInfo,
  type TreeFiles,
  type TreeProblem,
} from './modules-tree'
import { layoutRules } from './module-layout'

/** What a kernel build's files say, before they become a catalog. */
export interface BuildFiles {
  modules: TreeFiles
  /** Module.symvers of the build (the headers package), the best source of vmlinux exports. */
  symvers?: string
  /** System.map: its `__ksymtab_*` symbols name the exports when Module.symvers is missing. */
  systemMap?: string
  /** The build's `.config` (`/boot/config-<release>`). */
  config?: string
}

export interface SourceFacts {
  /** The Kconfig symbol building an object (`drivers/net/vrf`), from the source's Makefiles. */
  kconfigOf(object: string): string | undefined
  drivers: DriverDefinition[]
  foreignDrivers: ForeignDriver[]
  kconfig: Record<string, KconfigSymbol>
  /** Symbols the source implies that no Kconfig file declares (objects always built in). */
  config?: Record<string, 'y' | 'm'>
}

export interface CatalogBody {
  release: string
  config: Record<string, 'y' | 'm' | 'n'>
  kconfig: Record<string, KconfigSymbol>
  modules: ModuleInput[]
  builtin: ModuleInput[]
  builtinModinfo?: string
  exports: ExportedSymbol[]
  drivers: DriverDefinition[]
  foreignDrivers: ForeignDriver[]
}

export interface BuiltCatalog {
  catalog: CatalogBody
  problems: TreeProblem[]
  /** What is missing and what that costs, in the user's words. */
  notes: string[]
  /** The tree's modules whose Kconfig symbol (known from the source) the given config does not set to m. */
  contradicted: { path: string; symbol: string; value: string }[]
}

interface SymversEntry extends ExportInfo {
  name: string
  owner: string
}

/** Module.symvers: `crc<TAB>symbol<TAB>owner<TAB>EXPORT_SYMBOL[_GPL]<TAB>namespace`. */
export function parseSymvers(text: string): SymversEntry[] {
  const entries: SymversEntry[] = []
  for (const line of text.split('\n')) {
    if (!line) continue
    const [crc, name, owner, kind, namespace] = line.split('\t')
    if (!crc || !name || !owner || !kind?.startsWith('EXPORT_SYMBOL'))
      throw new Error(`Module.symvers: not a symvers line: ${JSON.stringify(line.slice(0, 80))}`)
    entries.push({
      name,
      owner,
      gpl: kind === 'EXPORT_SYMBOL_GPL',
      crc: `0x${BigInt(crc).toString(16)}`,
      ...(namespace ? { namespace } : {}),
    })
  }
  return entries
}

/** A `.config`: `CONFIG_X=y|m`; values and `is not set` lines are not tristate facts. */
export function parseConfig(text: string): Record<string, 'y' | 'm'> {
  const config: Record<string, 'y' | 'm'> = {}
  for (const line of text.split('\n')) {
    const match = /^(CONFIG_\w+)=([ym])$/.exec(line.trim())
    if (match) config[match[1] as string] = match[2] as 'y' | 'm'
  }
  return config
}

/** CONFIG_HZ and other numeric settings of a `.config`. */
export function configValue(text: string, symbol: string): string | undefined {
  return new RegExp(`^${symbol}=(.*)$`, 'm').exec(text)?.[1]?.replace(/^"|"$/g, '')
}

/** A symbol of its own for an object whose real symbol is unknown or builds it the other way. */
const pseudoKconfig = (path: string) => {
  const object = objectPath(path)
  return `CONFIG_MODULE_${object
    .slice(object.lastIndexOf('/') + 1)
    .replace(/\W/g, '_')
    .toUpperCase()}`
}

/**
 * A whole kernel build as data: every module read from its `.ko`, the built-in modules, the
 * vmlinux exports, and (when the source was scanned) its drivers and Kconfig.
 */
export function buildCatalog(
  files: BuildFiles,
  source: SourceFacts | undefined,
  onProgress?: (done: number, total: number) => void,
): BuiltCatalog {
  const notes: string[] = []
  const symvers = files.symvers ? parseSymvers(files.symvers) : []
  const byName = new Map(symvers.map((entry) => [entry.name, entry]))
  let exports: ExportedSymbol[] = symvers
    .filter((entry) => entry.owner === 'vmlinux')
    .map(({ name, gpl, crc, namespace }) => ({
      name,
      gpl,
      crc,
      ...(namespace ? { namespace } : {}),
    }))
  if (!files.symvers) {
    const fromMap = (files.systemMap ?? '')
      .split('\n')
      .map((line) => /^[0-9a-f]+ \w __ksymtab_(\w+)$/.exec(line)?.[1])
      .filter((name): name is string => !!name)
    exports = [...new Set(fromMap)].map((name) => ({ name, gpl: false }))
    notes.push(
      files.systemMap
        ? 'no Module.symvers: vmlinux exports come from System.map, without CRCs or GPL-only marks'
        : 'no Module.symvers or System.map: the kernel image exports nothing, so modules that use kernel symbols cannot load',
    )
  }
  exports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const kconfigOf = (object: string) =>
    source?.kconfigOf(object.replace(/^kernel\//, '')) ?? pseudoKconfig(object)
  const tree = readModulesTree(files.modules, {
    kconfigOf,
    exportInfo: (name) => byName.get(name),
    layout: layoutRules(files.modules.release, files.config),
    onProgress,
  })
  const given = files.config ? parseConfig(files.config) : undefined
  let config: Record<string, 'y' | 'm' | 'n'> = given ?? {}
  if (!files.config) notes.push('no config file: Kconfig symbols are inferred from the modules')
  if (!files.config) config = { CONFIG_MODULES: 'y' }
  config = { ...source?.config, ...config }
  // What the package holds decides: a `.ko` is a module even where its symbol is `y` (obj-m, or
  // one symbol building objects both ways); such a module gets a symbol of its own.
  const settle = (module: ModuleInput, value: 'y' | 'm') => {
    if (!config[module.kconfig]) config[module.kconfig] = value
    if (config[module.kconfig] === value) return
    module.kconfig = pseudoKconfig(module.path)
    config[module.kconfig] = value
  }
  // The config against the tree: a module whose symbol the config sets to y or leaves unset.
  const contradicted = tree.modules
    .filter(
      (module) =>
        given && module.kconfig !== pseudoKconfig(module.path) && given[module.kconfig] !== 'm',
    )
    .map((module) => ({
      path: module.path,
      symbol: module.kconfig,
      value: given?.[module.kconfig] ?? 'unset',
    }))
  for (const module of tree.modules) settle(module, 'm')
  for (const module of tree.builtin) settle(module, 'y')
  return {
    catalog: {
      release: tree.release,
      config,
      kconfig: source?.kconfig ?? {},
      modules: tree.modules,
      builtin: tree.builtin,
      builtinModinfo: tree.builtinModinfo,
      exports,
      drivers: source?.drivers ?? [],
      foreignDrivers: source?.foreignDrivers ?? [],
    },
    problems: tree.problems,
    notes,
    contradicted,
  }
}
