import type { DriverDefinition } from './driver-schema'
import { KernelCatalog } from './kernel-catalog-schema'
import type { ImportedSymbol, ModuleDefinition } from './module-schema'

/**
 * catalog.json.gz keeps a whole kernel (4,000+ modules, 250,000 imported symbols) in a form that
 * loads in a fraction of the time a schema check of the expanded form takes: imports as one
 * string per module, section sizes as a tuple, the Kconfig declarations as one string parsed when
 * first asked for. An import is `name` when its CRC is its exporter's (as in any consistent
 * build), `name@crc` when it differs, `name@` when it has none; `!w` marks a weak one. The catalog
 * is checked against its schema when it is written; reading it back only checks its shape.
 */
export const CATALOG_FORMAT = 3

type StoredModule = Omit<ModuleDefinition, 'imports' | 'sizes' | 'init' | 'vermagic'> & {
  /** The init function initcall_debug names and its kallsyms size. */
  init?: { fn?: string; size: number }
  imports: string
  sizes: [number, number, number, number, number, number?]
}

export function encodeCatalog(catalog: KernelCatalog): object {
  const checked = KernelCatalog.parse(catalog)
  const crcs = exportCrcs(checked)
  const encodeImport = (entry: ImportedSymbol): string => {
    const { name, crc, weak } = typeof entry === 'string' ? { name: entry, weak: false } : entry
    const version = crc === crcs.get(name) ? '' : `@${crc ?? ''}`
    return `${name}${version}${weak ? '!w' : ''}`
  }
  // A real module's vermagic is its modinfo's: it is not stored twice.
  const encodeModule = (module: ModuleDefinition): StoredModule => {
    const { imports, sizes, init, vermagic: _vermagic, ...rest } = module
    return {
      ...rest,
      ...(init.fn ? { init: { fn: init.fn, size: init.size } } : {}),
      imports: imports.map(encodeImport).join(' '),
      sizes: [
        sizes.text,
        sizes.rodata,
        sizes.data,
        sizes.initText,
        sizes.initData,
        sizes.roAfterInit,
      ],
    }
  }
  return {
    format: CATALOG_FORMAT,
    ...checked,
    kconfig: JSON.stringify(checked.kconfig),
    modules: checked.modules.map(encodeModule),
    builtin: checked.builtin.map(encodeModule),
  }
}

/** Every exported symbol's CRC: the image's and the modules'. */
function exportCrcs(catalog: Pick<KernelCatalog, 'exports' | 'modules'>): Map<string, string> {
  const crcs = new Map<string, string>()
  for (const symbol of catalog.exports) if (symbol.crc) crcs.set(symbol.name, symbol.crc)
  for (const module of catalog.modules)
    for (const symbol of module.exports) if (symbol.crc) crcs.set(symbol.name, symbol.crc)
  return crcs
}

function decodeImport(text: string, crcs: ReadonlyMap<string, string>): ImportedSymbol {
  const weak = text.endsWith('!w')
  const body = weak ? text.slice(0, -2) : text
  const at = body.indexOf('@')
  const name = at < 0 ? body : body.slice(0, at)
  const crc = at < 0 ? crcs.get(name) : body.slice(at + 1) || undefined
  if (!crc && !weak) return name
  return { name, ...(crc ? { crc } : {}), weak }
}

export class CatalogFormatError extends Error {}

function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new CatalogFormatError(what)
}

function decodeModule(
  stored: StoredModule,
  where: string,
  crcs: ReadonlyMap<string, string>,
): ModuleDefinition {
  expect(
    stored && typeof stored.name === 'string' && typeof stored.path === 'string',
    `${where}: a module without a name or path`,
  )
  expect(
    typeof stored.imports === 'string' && Array.isArray(stored.sizes),
    `${where} (${stored.name}): imports or sizes missing`,
  )
  const [text = 0, rodata = 0, data = 0, initText = 0, initData = 0, roAfterInit = 0] = stored.sizes
  const info = stored.info ?? []
  return {
    ...stored,
    info,
    complete: stored.complete ?? false,
    tableAliases: stored.tableAliases ?? [],
    intree: stored.intree ?? true,
    signed: stored.signed ?? true,
    vermagic: info.find(([key]) => key === 'vermagic')?.[1],
    params: stored.params ?? [],
    exports: stored.exports ?? [],
    imports: stored.imports
      ? stored.imports.split(' ').map((entry) => decodeImport(entry, crcs))
      : [],
    importNamespaces: stored.importNamespaces ?? [],
    hasInit: stored.hasInit ?? true,
    hasExit: stored.hasExit ?? true,
    init: {
      us: 0,
      messages: [],
      size: stored.init?.size ?? 0,
      ...(stored.init?.fn ? { fn: stored.init.fn } : {}),
    },
    sizes: { text, rodata, roAfterInit, data, initText, initData },
  }
}

function decodeDriver(driver: DriverDefinition, where: string): DriverDefinition {
  expect(
    driver && typeof driver.name === 'string' && Array.isArray(driver.compatible),
    `${where}: a driver without a name or compatibles`,
  )
  return {
    ...driver,
    license: driver.license ?? 'GPL',
    init: driver.init ?? { us: 0, messages: [] },
    vars: driver.vars ?? {},
    probe: driver.probe ?? { us: 0, effects: [] },
  }
}

/** A value computed the first time it is read: the Kconfig declarations are rarely needed. */
export function lazyProperty<T extends object, K extends keyof T>(
  target: T,
  key: K,
  compute: () => T[K],
): T {
  let value: T[K] | undefined
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => (value ??= compute()),
  })
  return target
}

/** A catalog as `encodeCatalog` wrote it; a file of another shape is refused, never half-read. */
export function decodeCatalog(json: unknown): KernelCatalog {
  const raw = json as Record<string, unknown>
  expect(raw && typeof raw === 'object', 'not a catalog object')
  if (raw.format !== CATALOG_FORMAT) return KernelCatalog.parse(json)
  for (const key of ['modules', 'builtin', 'exports', 'drivers', 'foreignDrivers'])
    expect(Array.isArray(raw[key] ?? []), `${key} is not a list`)
  expect(raw.config && typeof raw.config === 'object', 'config is missing')
  expect(typeof raw.kconfig === 'string', 'kconfig is missing')
  const { format: _format, kconfig, ...rest } = raw
  const storedModules = raw.modules as StoredModule[]
  const crcs = exportCrcs({
    exports: raw.exports as KernelCatalog['exports'],
    modules: storedModules as unknown as KernelCatalog['modules'],
  })
  const catalog = {
    ...(rest as unknown as Omit<KernelCatalog, 'kconfig'>),
    modules: storedModules.map((m, i) => decodeModule(m, `modules[${i}]`, crcs)),
    builtin: ((raw.builtin as StoredModule[]) ?? []).map((m, i) =>
      decodeModule(m, `builtin[${i}]`, crcs),
    ),
    drivers: ((raw.drivers as DriverDefinition[]) ?? []).map((d, i) =>
      decodeDriver(d, `drivers[${i}]`),
    ),
    foreignDrivers: (raw.foreignDrivers as KernelCatalog['foreignDrivers']) ?? [],
  } as KernelCatalog
  return lazyProperty(catalog, 'kconfig', () => JSON.parse(kconfig as string))
}
