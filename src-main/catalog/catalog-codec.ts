import type { DriverDefinition } from './driver-schema'
import { KernelCatalog } from './kernel-catalog-schema'
import type { ImportedSymbol, ModuleDefinition } from './module-schema'

/**
 * catalog.json.gz keeps a whole kernel (4,000+ modules, 250,000 imported symbols) in a form that
 * loads in a fraction of the time a schema check of the expanded form takes: imports as one
 * string per module (`name`, `name@crc`, `!w` for weak), section sizes as a tuple. The catalog is
 * checked against its schema when it is written; reading it back only checks its shape.
 */
export const CATALOG_FORMAT = 2

type StoredModule = Omit<ModuleDefinition, 'imports' | 'sizes' | 'init'> & {
  imports: string
  sizes: [number, number, number, number, number]
}

export function encodeCatalog(catalog: KernelCatalog): object {
  const checked = KernelCatalog.parse(catalog)
  const encodeModule = ({
    imports,
    sizes,
    init: _init,
    ...rest
  }: ModuleDefinition): StoredModule => ({
    ...rest,
    imports: imports.map(encodeImport).join(' '),
    sizes: [sizes.text, sizes.rodata, sizes.data, sizes.initText, sizes.initData],
  })
  return {
    format: CATALOG_FORMAT,
    ...checked,
    modules: checked.modules.map(encodeModule),
    builtin: checked.builtin.map(encodeModule),
  }
}

function encodeImport(entry: ImportedSymbol): string {
  if (typeof entry === 'string') return entry
  return `${entry.name}${entry.crc ? `@${entry.crc}` : ''}${entry.weak ? '!w' : ''}`
}

function decodeImport(text: string): ImportedSymbol {
  const weak = text.endsWith('!w')
  const body = weak ? text.slice(0, -2) : text
  const at = body.indexOf('@')
  if (at < 0 && !weak) return body
  return at < 0 ? { name: body, weak } : { name: body.slice(0, at), crc: body.slice(at + 1), weak }
}

export class CatalogFormatError extends Error {}

function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new CatalogFormatError(what)
}

function decodeModule(stored: StoredModule, where: string): ModuleDefinition {
  expect(
    stored && typeof stored.name === 'string' && typeof stored.path === 'string',
    `${where}: a module without a name or path`,
  )
  expect(
    typeof stored.imports === 'string' && Array.isArray(stored.sizes),
    `${where} (${stored.name}): imports or sizes missing`,
  )
  const [text = 0, rodata = 0, data = 0, initText = 0, initData = 0] = stored.sizes
  return {
    ...stored,
    info: stored.info ?? [],
    complete: stored.complete ?? false,
    tableAliases: stored.tableAliases ?? [],
    intree: stored.intree ?? true,
    signed: stored.signed ?? true,
    params: stored.params ?? [],
    exports: stored.exports ?? [],
    imports: stored.imports ? stored.imports.split(' ').map(decodeImport) : [],
    importNamespaces: stored.importNamespaces ?? [],
    hasInit: stored.hasInit ?? true,
    hasExit: stored.hasExit ?? true,
    init: { us: 0, messages: [], size: 0 },
    sizes: { text, rodata, data, initText, initData },
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

/** A catalog as `encodeCatalog` wrote it; a file of another shape is refused, never half-read. */
export function decodeCatalog(json: unknown): KernelCatalog {
  const raw = json as Record<string, unknown>
  expect(raw && typeof raw === 'object', 'not a catalog object')
  if (raw.format !== CATALOG_FORMAT) return KernelCatalog.parse(json)
  for (const key of ['modules', 'builtin', 'exports', 'drivers', 'foreignDrivers'])
    expect(Array.isArray(raw[key] ?? []), `${key} is not a list`)
  expect(raw.config && typeof raw.config === 'object', 'config is missing')
  const { format: _format, ...rest } = raw
  return {
    ...(rest as unknown as KernelCatalog),
    kconfig: (raw.kconfig as KernelCatalog['kconfig']) ?? {},
    modules: (raw.modules as StoredModule[]).map((m, i) => decodeModule(m, `modules[${i}]`)),
    builtin: ((raw.builtin as StoredModule[]) ?? []).map((m, i) =>
      decodeModule(m, `builtin[${i}]`),
    ),
    drivers: ((raw.drivers as DriverDefinition[]) ?? []).map((d, i) =>
      decodeDriver(d, `drivers[${i}]`),
    ),
    foreignDrivers: (raw.foreignDrivers as KernelCatalog['foreignDrivers']) ?? [],
  }
}
