import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SourceFacts } from '../../src-main/catalog/import/catalog-builder'
import type {
  DriverDefinition,
  InitcallLevel,
  MfdCells,
} from '../../src-main/catalog/driver-schema'
import type { ForeignDriver, KconfigSymbol } from '../../src-main/catalog/kernel-catalog-schema'
import {
  scanSource,
  type CDriver,
  type DriverFile,
  type OfTable,
  type SourceScan,
} from './source-scan.mjs'

const LEVELS = new Set<string>([
  'console',
  'early',
  'pure',
  'core',
  'postcore',
  'arch',
  'subsys',
  'fs',
  'rootfs',
  'device',
  'late',
])
const OF_DECLARE_TABLES = new Set(['irqchip', 'clk', 'timer'])
const BUSES: Record<string, DriverDefinition['bus']> = {
  platform_driver: 'platform',
  amba_driver: 'amba',
  spmi_driver: 'spmi',
  i2c_driver: 'i2c',
}

/**
 * The source scan of a series, cached next to the extracted source (it takes a minute or two),
 * keyed by the scanner's own code and the config, so that a changed scanner scans again.
 */
export function scanOf(root: string, series: string, configPath: string): SourceScan | undefined {
  const src = join(root, '.cache/src', `linux-source-${series}`)
  if (!existsSync(src)) return undefined
  const config = readFileSync(configPath, 'utf8')
  const hash = createHash('sha256').update(config)
  const scanner = join(root, 'scripts/kernel-import')
  for (const file of readdirSync(scanner)
    .filter((name) => name.endsWith('.mjs'))
    .sort())
    hash.update(readFileSync(join(scanner, file)))
  const cached = join(root, '.cache/src', `scan-${series}-${hash.digest('hex').slice(0, 12)}.json`)
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as SourceScan
  const scan = scanSource(src, { config, arch: 'arm64' })
  writeFileSync(cached, JSON.stringify(scan))
  return scan
}

/** `IS_ENABLED(CONFIG_X)`, `defined(CONFIG_X)` and `!…` of them against the build's config; else true. */
function holds(condition: string | undefined, config: Record<string, string>): boolean {
  if (!condition) return true
  const simple = /^(!?)\s*(?:IS_ENABLED|IS_BUILTIN|defined)\s*\(\s*(CONFIG_\w+)\s*\)$/.exec(
    condition.trim(),
  )
  if (!simple) return true
  const on = config[simple[2] as string] === 'y' || config[simple[2] as string] === 'm'
  return simple[1] ? !on : on
}

/**
 * The drivers the build contains (built in or as a module), each with its match table, the name
 * its dev_printk lines use, and how it registers; and the Kconfig symbols and objects.
 */
export function sourceFacts(
  root: string,
  series: string,
  configPath: string,
): SourceFacts | undefined {
  const scan = scanOf(root, series, configPath)
  if (!scan) return undefined
  const config: Record<string, string> = {}
  for (const [symbol, info] of Object.entries(scan.kconfig))
    if (info.value) config[`CONFIG_${symbol}`] = info.value
  const symbolOf = (object: string): string | undefined => {
    const info = scan.objects[object]
    if (!info) return undefined
    const symbol = info.config === 'y' || info.config === 'm' ? info.via?.at(-1) : info.config
    return symbol ? `CONFIG_${symbol}` : undefined
  }
  const drivers: DriverDefinition[] = []
  const foreignDrivers: ForeignDriver[] = []
  const objectTables = new Map<string, OfTable>()
  for (const facts of Object.values(scan.drivers))
    for (const object of facts.objects)
      for (const table of facts.tables ?? []) objectTables.set(`${object}:${table.name}`, table)
  const tablesOfObject = (object: string, name: string) => objectTables.get(`${object}:${name}`)
  // The first initcall that registers a driver, per object: where its other drivers register.
  const objectInit = new Map<string, NonNullable<ReturnType<typeof initcallOf>>>()
  for (const facts of Object.values(scan.drivers)) {
    for (const driver of facts.drivers ?? []) {
      const found = initcallOf(facts, driver)
      for (const object of facts.objects)
        if (found && !objectInit.has(object)) objectInit.set(object, found)
    }
  }
  for (const [file, facts] of Object.entries(scan.drivers).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const objectKey = facts.objects.find((key) => scan.objects[key]?.value !== 'n')
    const object = objectKey ? scan.objects[objectKey] : undefined
    if (!objectKey || !object) continue
    const kconfig = symbolOf(objectKey)
    if (!kconfig) continue
    const tristate = scan.kconfig[kconfig.slice(7)]?.type === 'tristate'
    const base = { module: object.module, kconfig, tristate, license: facts.license ?? 'GPL' }
    for (const driver of facts.drivers ?? []) {
      const compatible = tableOf(facts, driver, config, tablesOfObject)
      // amba_match() matches by peripheral id only (drivers/amba/bus.c:180): a table-less AMBA
      // driver (amba-proxy, vfio-amba) binds through driver_override alone.
      const amba = driver.type === 'amba_driver' ? (driver.amba ?? []) : []
      const ids =
        driver.type === 'platform_driver' || driver.type === 'i2c_driver' ? (driver.ids ?? []) : []
      // platform_match() falls back to the driver's own name when it has no id_table
      // (drivers/base/platform.c:1329): a platform driver with neither table still binds a device
      // of its name (an MFD cell without a node, clk-exynos-clkout.c's `exynos-clkout`).
      // Only where the scan found what registers it: a platform_driver_register() from another
      // subsystem's init (dummy_regulator_driver from regulator_init(), ghes from
      // acpi_ghes_init()) has no initcall of its own to invent.
      const byName =
        driver.type === 'platform_driver' &&
        driver.name !== undefined &&
        (initcallOf(facts, driver) ?? objectInit.get(objectKey)) !== undefined
      if (compatible.length === 0 && amba.length === 0 && ids.length === 0 && !byName) continue
      const name = driver.name ?? object.module
      const bus = BUSES[driver.type]
      // Registered from another file of the object (arm_smmu_init() registers qcom_smmu_tbu_driver
      // through qcom_smmu_module_init()): it registers with that object's initcall.
      const registration = initcallOf(facts, driver) ??
        objectInit.get(objectKey) ?? {
          registration: { kind: 'initcall' as const, level: 'device' as InitcallLevel },
          fn: `${driver.var}_init`,
        }
      if (!bus || (compatible.length === 0 && amba.length === 0 && ids.length === 0 && !byName)) {
        foreignDrivers.push({
          name,
          module: object.module,
          kconfig,
          bus: driver.type,
          compatible,
          source: file,
        })
        continue
      }
      drivers.push({
        ...base,
        name,
        bus,
        compatible,
        ...(amba.length > 0 ? { amba } : {}),
        ...(ids.length > 0 ? { ids } : {}),
        registration: registration.registration,
        initcall: registration.fn,
        ...(facts.populates ? { populatesChildren: true } : {}),
        ...(facts.populates && !facts.depopulates ? { keepsChildren: true } : {}),
        ...(facts.controller === 'spmi' ||
        facts.controller === 'i2c' ||
        facts.controller === 'i2c-mux'
          ? { registersController: facts.controller }
          : {}),
        ...mfdOf(facts, driver, compatible, file),
      } as DriverDefinition)
    }
    const declares = new Map<
      string,
      { table: string; fn: string; compatible: string[]; driver: boolean }
    >()
    for (const declare of facts.declares ?? []) {
      if (!OF_DECLARE_TABLES.has(declare.table) || !holds(declare.if, config)) continue
      const key = `${declare.table}/${declare.fn}`
      const entry = declares.get(key) ?? {
        table: declare.table,
        fn: declare.fn,
        compatible: [],
        // CLK_OF_DECLARE_DRIVER leaves the node to a platform driver too (clk-provider.h:1436).
        driver: declare.macro.endsWith('_OF_DECLARE_DRIVER'),
      }
      entry.compatible.push(declare.compatible)
      declares.set(key, entry)
    }
    for (const { table, fn, compatible, driver } of declares.values()) {
      drivers.push({
        ...base,
        name: fn,
        bus: 'platform',
        compatible,
        registration: {
          kind: 'of_declare',
          table: table as 'timer',
          ...(driver ? { driver: true } : {}),
        },
        initcall: fn,
      } as DriverDefinition)
    }
  }
  const kconfig: Record<string, KconfigSymbol> = {}
  const selectedBy = new Map<string, string[]>()
  for (const [symbol, info] of Object.entries(scan.kconfig)) {
    for (const select of info.select ?? [])
      selectedBy.set(select.symbol, [
        ...(selectedBy.get(select.symbol) ?? []),
        select.if ? `${symbol} if ${select.if}` : symbol,
      ])
  }
  for (const [symbol, info] of Object.entries(scan.kconfig)) {
    if (!info.type) continue
    kconfig[`CONFIG_${symbol}`] = {
      type: info.type,
      ...(info.depends ? { depends: info.depends } : {}),
      ...(selectedBy.has(symbol) ? { selectedBy: selectedBy.get(symbol) } : {}),
      prompt: info.prompt,
      at: Array.isArray(info.at) ? info.at[0] : info.at,
    }
  }
  return {
    kconfigOf: (object) =>
      symbolOf(object.replace(/-/g, '_').replace(/^(.*\/)?/, (dir) => dir)) ?? symbolOf(object),
    drivers,
    foreignDrivers,
    kconfig,
  }
}

function tableOf(
  facts: DriverFile,
  driver: CDriver,
  config: Record<string, string>,
  tablesOfObject: (object: string, name: string) => OfTable | undefined,
): string[] {
  // The table may live in another file of the same object (dwc2: params.c, platform.c).
  const table =
    facts.tables?.find((candidate) => candidate.name === driver.table) ??
    (driver.table
      ? facts.objects.map((object) => tablesOfObject(object, driver.table as string)).find(Boolean)
      : undefined)
  if (!table) return []
  return table.compatibles.filter((compatible) => holds(table.if?.[compatible], config))
}

function initcallOf(facts: DriverFile, driver: CDriver) {
  const init = facts.inits?.find((candidate) => candidate.registers.includes(driver.var))
  if (!init || !LEVELS.has(init.level)) return undefined
  const level = `${init.level}${init.sync ? '_sync' : ''}` as InitcallLevel
  return { registration: { kind: 'initcall' as const, level }, fn: init.fn }
}

/**
 * The cells a driver's probe adds, per compatible: the cell arrays its match data names
 * (`.data = &mt6358_core`), else those its mfd_add_devices() calls name.
 */
function mfdOf(
  facts: DriverFile,
  driver: CDriver,
  compatible: string[],
  file: string,
): { mfd?: MfdCells } {
  const mfd = facts.mfd
  if (!mfd) return {}
  const devid =
    mfd.devid === 'PLATFORM_DEVID_NONE'
      ? ('none' as const)
      : mfd.devid === 'PLATFORM_DEVID_AUTO'
        ? ('auto' as const)
        : /^\d+$/.test(mfd.devid)
          ? Number(mfd.devid)
          : undefined
  if (devid === undefined) return {}
  const data = facts.tables?.find((table) => table.name === driver.table)?.data ?? {}
  const byArrays = new Map<string, string[]>()
  const unmapped: string[] = []
  for (const c of compatible) {
    const arrays = mfd.byData[data[c] ?? '']
    if (!arrays) unmapped.push(c)
    for (const array of arrays ?? []) byArrays.set(array, [...(byArrays.get(array) ?? []), c])
  }
  const sets: MfdCells['sets'] = []
  for (const [array, compatibles] of byArrays)
    sets.push({ for: compatibles, cells: mfd.arrays[array] ?? [], source: file })
  // Compatibles without cell-naming match data get the arrays the calls name.
  for (const array of mfd.added)
    sets.push({
      ...(byArrays.size > 0 ? { for: unmapped } : {}),
      cells: mfd.arrays[array] ?? [],
      source: file,
    })
  return sets.length > 0 ? { mfd: { devid, sets } } : {}
}
