import type { DriverDefinition } from './driver-schema'
import { KernelCatalog } from './kernel-catalog-schema'
import {
  decodeExports,
  decodeModule,
  encodeExports,
  encodeModule,
  exportCrcs,
  type StoredLists,
  type StoredModule,
} from './module-codec'
import type { ExportedSymbol } from './module-schema'

/**
 * A whole kernel (4,000+ modules, 250,000 imported symbols) in two parts, so that loading a
 * profile reads a fifth of it. `catalog` (catalog.json.gz): the config, the drivers, each module's
 * header (name, path, Kconfig symbol, flags, section sizes as a tuple). `lists`
 * (catalog-lists.json.gz), read the first time one of them is: each module's modinfo, parameters,
 * imports, exports (one string each, `module-codec.ts`) and signature, the vmlinux exports as one
 * string, the Kconfig declarations as one JSON string; each decoded when first read. The catalog
 * is checked against its schema when it is written; reading it back only checks its shape.
 */
export const CATALOG_FORMAT = 6

export interface EncodedCatalog {
  catalog: object
  lists: object
}

export function encodeCatalog(catalog: KernelCatalog): EncodedCatalog {
  const checked = KernelCatalog.parse(catalog)
  const crcs = exportCrcs(checked.exports, checked.modules)
  const modules = checked.modules.map((module) => encodeModule(module, crcs))
  const builtin = checked.builtin.map((module) => encodeModule(module, crcs))
  const { kconfig, exports, ...rest } = checked
  return {
    catalog: {
      format: CATALOG_FORMAT,
      ...rest,
      modules: modules.map(([stored]) => stored),
      builtin: builtin.map(([stored]) => stored),
    },
    lists: {
      format: CATALOG_FORMAT,
      release: checked.release,
      modules: modules.map(([, lists]) => lists),
      builtin: builtin.map(([, lists]) => lists),
      exports: encodeExports(exports),
      kconfig: JSON.stringify(kconfig),
    },
  }
}

export class CatalogFormatError extends Error {}

function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new CatalogFormatError(what)
}

const listOrString = (value: unknown) =>
  value === undefined || typeof value === 'string' || Array.isArray(value)

function checkModule(stored: StoredModule, where: string): StoredModule {
  expect(
    stored && typeof stored.name === 'string' && typeof stored.path === 'string',
    `${where}: a module without a name or path`,
  )
  expect(Array.isArray(stored.sizes), `${where} (${stored.name}): sizes missing`)
  return stored
}

interface ListsPart {
  modules: StoredLists[]
  builtin: StoredLists[]
  exports: string | ExportedSymbol[]
  kconfig: string
}

function checkLists(json: unknown, release: unknown, counts: [number, number]): ListsPart {
  const part = json as Record<string, unknown>
  const what = 'catalog-lists.json.gz'
  expect(part && typeof part === 'object', `${what}: not an object`)
  expect(
    part.format === CATALOG_FORMAT && part.release === release,
    `${what}: format ${JSON.stringify(part.format)} of ${JSON.stringify(part.release)}, not the catalog's`,
  )
  const lists = [part.modules, part.builtin]
  expect(
    lists.every((list, i) => Array.isArray(list) && list.length === counts[i]),
    `${what}: not one entry per module of the catalog`,
  )
  for (const entry of lists.flat() as StoredLists[])
    expect(
      entry &&
        typeof entry.imports === 'string' &&
        listOrString(entry.info) &&
        listOrString(entry.params) &&
        listOrString(entry.exports),
      `${what}: a module's imports, info, params or exports is neither a list nor a string`,
    )
  expect(listOrString(part.exports), `${what}: exports is neither a list nor a string`)
  expect(typeof part.kconfig === 'string', `${what}: kconfig is missing`)
  return part as unknown as ListsPart
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
    set: (replacement: T[K]) => (value = replacement),
  })
  return target
}

/**
 * A catalog as `encodeCatalog` wrote it, its lists read by `readLists` when first needed; a file of
 * another shape or format is refused, never half-read. A catalog without a format is the expanded
 * form, checked against the schema.
 */
export function decodeCatalog(json: unknown, readLists?: () => unknown): KernelCatalog {
  const raw = json as Record<string, unknown>
  expect(raw && typeof raw === 'object' && !Array.isArray(raw), 'not a catalog object')
  if (raw.format === undefined) return KernelCatalog.parse(json)
  expect(
    raw.format === CATALOG_FORMAT,
    `catalog format ${JSON.stringify(raw.format)} is not this modlab's format ${CATALOG_FORMAT}: ` +
      'generate it again (scripts/import-kernel.ts, or modlab kernel import)',
  )
  for (const key of ['modules', 'builtin', 'drivers', 'foreignDrivers'])
    expect(Array.isArray(raw[key] ?? []), `${key} is not a list`)
  expect(raw.config && typeof raw.config === 'object', 'config is missing')
  expect(readLists, 'its lists (catalog-lists.json.gz) are missing')
  const { format: _format, ...rest } = raw
  const storedModules = (raw.modules as StoredModule[]).map((m, i) =>
    checkModule(m, `modules[${i}]`),
  )
  const storedBuiltin = ((raw.builtin as StoredModule[]) ?? []).map((m, i) =>
    checkModule(m, `builtin[${i}]`),
  )
  let part: ListsPart | undefined
  const lists = () =>
    (part ??= checkLists(readLists(), raw.release, [storedModules.length, storedBuiltin.length]))
  let crcs: Map<string, string> | undefined
  // The imports' CRCs are their exporters': known once any module's imports are read.
  const crcsOf = () => (crcs ??= exportCrcs(catalog.exports, catalog.modules))
  const catalog = {
    ...(rest as unknown as Omit<KernelCatalog, 'kconfig' | 'exports'>),
    modules: storedModules.map((m, i) => decodeModule(m, () => lists().modules[i]!, crcsOf)),
    builtin: storedBuiltin.map((m, i) => decodeModule(m, () => lists().builtin[i]!, crcsOf)),
    drivers: ((raw.drivers as DriverDefinition[]) ?? []).map((d, i) =>
      decodeDriver(d, `drivers[${i}]`),
    ),
    foreignDrivers: (raw.foreignDrivers as KernelCatalog['foreignDrivers']) ?? [],
  } as KernelCatalog
  lazyProperty(catalog, 'exports', () => {
    const { exports } = lists()
    return typeof exports === 'string' ? decodeExports(exports) : exports
  })
  return lazyProperty(catalog, 'kconfig', () => JSON.parse(lists().kconfig))
}
