import type { DriverDefinition } from './driver-schema'
import { KernelCatalog } from './kernel-catalog-schema'
import {
  decodeExports,
  decodeModule,
  encodeExports,
  encodeModule,
  exportCrcs,
  type StoredModule,
} from './module-codec'
import type { ExportedSymbol } from './module-schema'

/**
 * catalog.json.gz keeps a whole kernel (4,000+ modules, 250,000 imported symbols) in a form that
 * loads in a fraction of the time a schema check of the expanded form takes: each module's
 * modinfo, parameters, imports and exports as one string (`module-codec.ts`), the vmlinux exports
 * as one string, section sizes as a tuple, the Kconfig declarations as one JSON string; each is
 * decoded when first read. The catalog is checked against its schema when it is written; reading
 * it back only checks its shape.
 */
export const CATALOG_FORMAT = 4

export function encodeCatalog(catalog: KernelCatalog): object {
  const checked = KernelCatalog.parse(catalog)
  const crcs = exportCrcs(checked.exports, checked.modules)
  return {
    format: CATALOG_FORMAT,
    ...checked,
    kconfig: JSON.stringify(checked.kconfig),
    exports: encodeExports(checked.exports),
    modules: checked.modules.map((module) => encodeModule(module, crcs)),
    builtin: checked.builtin.map((module) => encodeModule(module, crcs)),
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
  expect(
    typeof stored.imports === 'string' && Array.isArray(stored.sizes),
    `${where} (${stored.name}): imports or sizes missing`,
  )
  expect(
    listOrString(stored.info) && listOrString(stored.params) && listOrString(stored.exports),
    `${where} (${stored.name}): info, params or exports is neither a list nor a string`,
  )
  return stored
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
 * A catalog as `encodeCatalog` wrote it; a file of another shape or format is refused, never
 * half-read. A catalog without a format is the expanded form, checked against the schema.
 */
export function decodeCatalog(json: unknown): KernelCatalog {
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
  expect(listOrString(raw.exports), 'exports is neither a list nor a string')
  expect(raw.config && typeof raw.config === 'object', 'config is missing')
  expect(typeof raw.kconfig === 'string', 'kconfig is missing')
  const { format: _format, kconfig, exports, ...rest } = raw
  let crcs: Map<string, string> | undefined
  // The imports' CRCs are their exporters': known once any module's imports are read.
  const crcsOf = () => (crcs ??= exportCrcs(catalog.exports, catalog.modules))
  const catalog = {
    ...(rest as unknown as Omit<KernelCatalog, 'kconfig' | 'exports'>),
    modules: (raw.modules as StoredModule[]).map((m, i) =>
      decodeModule(checkModule(m, `modules[${i}]`), crcsOf),
    ),
    builtin: ((raw.builtin as StoredModule[]) ?? []).map((m, i) =>
      decodeModule(checkModule(m, `builtin[${i}]`), crcsOf),
    ),
    drivers: ((raw.drivers as DriverDefinition[]) ?? []).map((d, i) =>
      decodeDriver(d, `drivers[${i}]`),
    ),
    foreignDrivers: (raw.foreignDrivers as KernelCatalog['foreignDrivers']) ?? [],
  } as KernelCatalog
  lazyProperty(catalog, 'exports', () =>
    typeof exports === 'string' ? decodeExports(exports) : ((exports ?? []) as ExportedSymbol[]),
  )
  return lazyProperty(catalog, 'kconfig', () => JSON.parse(kconfig as string))
}
