import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { z } from 'zod'
import { DriverDefinition } from './driver-schema'
import { BootData, KernelHeader, KernelProfile, type ConfigChange } from './kernel-profile-schema'
import { ProbeFacts } from './probe-facts-schema'
import { lazyProperty } from './catalog-codec'
import { CATALOG_FILE, CATALOG_LISTS_FILE, readCatalogFiles } from './catalog-file'
import type { KernelCatalog } from './kernel-catalog-schema'
import { ModuleBehaviours, type ModuleDefinition } from './module-schema'
import { withBehaviour } from './module-behaviour'
import { driversFor } from './series/build-form'
import { evalDepends } from './kconfig-depends'
import { deriveDigest, digestOf, setProfileDigest } from './profile-digest'

export { CATALOG_FILE, CATALOG_LISTS_FILE } from './catalog-file'

export class KernelProfileError extends Error {
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`)
    this.name = 'KernelProfileError'
  }
}

function readJson<T>(path: string, schema: z.ZodType<T>, read?: Buffer): T {
  let json: unknown
  try {
    const bytes = read ?? readFileSync(path)
    json = JSON.parse((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'))
  } catch (error) {
    throw new KernelProfileError(path, error instanceof Error ? error.message : String(error))
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new KernelProfileError(path, `${issue?.path.join('.') || '(root)'}: ${issue?.message}`)
  }
  return parsed.data
}

function readCatalog(dir: string, files: ProfileBytes): KernelCatalog {
  try {
    return readCatalogFiles(dir, {
      catalog: files.get(CATALOG_FILE) as Buffer,
      lists: files.get(CATALOG_LISTS_FILE),
    })
  } catch (error) {
    const path = join(dir, CATALOG_FILE)
    throw new KernelProfileError(path, error instanceof Error ? error.message : String(error))
  }
}

/** A profile folder's files, each read once: what is parsed is what the digest covers. */
type ProfileBytes = Map<string, Buffer>

function readProfileFiles(dir: string): ProfileBytes {
  const files: ProfileBytes = new Map()
  for (const name of PROFILE_FILES) {
    const path = join(dir, name)
    if (!existsSync(path)) continue
    try {
      files.set(name, readFileSync(path))
    } catch (error) {
      throw new KernelProfileError(path, error instanceof Error ? error.message : String(error))
    }
  }
  return files
}

/**
 * `<dir>/kernel.json` + `boot.json` + `drivers.json` (+ the build's `catalog.json.gz` and the
 * curated `module-behaviour.json`), validated, with Kconfig rules checked.
 */
export function loadKernelProfile(dir: string): KernelProfile {
  // A catalog holds thousands of modules: parse a folder again only when one of its files changed.
  const stamp = PROFILE_FILES.map((name) => {
    const path = join(dir, name)
    return existsSync(path) ? statSync(path).mtimeMs : 0
  }).join(':')
  const cached = profileCache.get(dir)
  if (cached?.stamp === stamp) return cached.profile
  const profile = readKernelProfile(dir)
  profileCache.set(dir, { stamp, profile })
  return profile
}

const PROFILE_FILES = [
  'kernel.json',
  'boot.json',
  'drivers.json',
  'module-behaviour.json',
  'probe-facts.json',
  CATALOG_FILE,
  CATALOG_LISTS_FILE,
]
const profileCache = new Map<string, { stamp: string; profile: KernelProfile }>()

/** Reads a profile folder, ignoring the cache (the benchmark times this). */
export function readKernelProfile(dir: string): KernelProfile {
  const files = readProfileFiles(dir)
  const json = <T>(name: string, schema: z.ZodType<T>) =>
    readJson(join(dir, name), schema, files.get(name))
  const header = json('kernel.json', KernelHeader)
  const boot = json('boot.json', BootData)
  const drivers = json('drivers.json', z.array(DriverDefinition))
  const behaviours = files.has('module-behaviour.json')
    ? json('module-behaviour.json', ModuleBehaviours)
    : {}
  const probeFacts = files.has('probe-facts.json') ? json('probe-facts.json', ProbeFacts) : {}
  const scanned = files.has(CATALOG_FILE) ? readCatalog(dir, files) : undefined
  const unknown = Object.keys(probeFacts).find(
    (key) => !scanned?.drivers.some((driver) => `${driver.module}/${driver.name}` === key),
  )
  if (unknown)
    throw new KernelProfileError(
      join(dir, 'probe-facts.json'),
      `no driver ${unknown} in the catalog`,
    )
  const profile: KernelProfile = scanned
    ? withCatalog(
        { ...header, ...boot, drivers, modules: [], exports: [], kconfig: {}, foreignDrivers: [] },
        scanned,
        behaviours,
        probeFacts,
      )
    : KernelProfile.parse({ ...header, ...boot, drivers })
  const problem = configProblem(profile, profile.config) ?? freeUnusedProblem(profile)
  if (problem) throw new KernelProfileError(join(dir, 'kernel.json'), problem)
  return setProfileDigest(
    profile,
    digestOf(PROFILE_FILES.flatMap((name) => [name, files.get(name) ?? ''])),
  )
}

/** `freeUnused` frees built-in code: a symbol the build does not build in has none to free. */
function freeUnusedProblem(profile: KernelProfile): string | undefined {
  const symbol = (profile.freeUnused ?? []).find((name) => profile.config[name] !== 'y')
  if (symbol === undefined) return undefined
  return `freeUnused names ${symbol}, which this build does not build in (${profile.config[symbol] ?? 'n'}): only built-in code can be freed`
}

/**
 * A profile whose build is a generated catalog: the build's config under the profile's own
 * settings, the catalog's modules and exports, and its drivers after the curated ones (a curated
 * definition of the same driver and module replaces the catalog's).
 */
function withCatalog(
  profile: KernelProfile,
  catalog: KernelCatalog,
  behaviours: ModuleBehaviours,
  probeFacts: ProbeFacts,
): KernelProfile {
  const behave = (module: ModuleDefinition) => withBehaviour(module, behaviours)
  const curated = new Set(profile.drivers.map((driver) => `${driver.module}/${driver.name}`))
  const scanned = new Map(
    catalog.drivers.map((driver) => [`${driver.module}/${driver.name}`, driver]),
  )
  const merged: KernelProfile = {
    ...profile,
    config: { ...catalog.config, ...profile.config },
    drivers: [
      ...profile.drivers.map((driver) => withSourceIds(driver, scanned)),
      ...catalog.drivers
        .filter((driver) => !curated.has(`${driver.module}/${driver.name}`))
        .map((driver) => withProbeFacts(driver, probeFacts)),
    ],
    modules: [...catalog.modules.map(behave), ...catalog.builtin],
    builtinModinfo: catalog.builtinModinfo,
    foreignDrivers: catalog.foreignDrivers,
    provenance: catalog.provenance,
    behaviours,
  }
  // Read only when asked for (the what-if's verdict, the module loader's symbol table).
  lazyProperty(merged, 'exports', () => catalog.exports)
  return lazyProperty(merged, 'kconfig', () => catalog.kconfig)
}

/** A scanned driver with what probe-facts.json says its probe does. */
function withProbeFacts(driver: DriverDefinition, facts: ProbeFacts): DriverDefinition {
  const fact = facts[`${driver.module}/${driver.name}`]
  if (!fact) return driver
  const { later, children, driverDataOf, deferReasons } = fact
  return { ...driver, probe: { ...driver.probe, later, children, driverDataOf, deferReasons } }
}

/**
 * A curated AMBA driver takes its `amba_id` table from the source scan of the same driver: the ids
 * are the source's, not typed in by hand.
 */
function withSourceIds(
  driver: DriverDefinition,
  scanned: ReadonlyMap<string, DriverDefinition>,
): DriverDefinition {
  if (driver.bus !== 'amba' || driver.amba) return driver
  const amba = scanned.get(`${driver.module}/${driver.name}`)?.amba
  return amba ? { ...driver, amba } : driver
}

/** What is wrong with a config for this profile's drivers and modules, or undefined. */
export function configProblem(
  profile: KernelProfile,
  config: KernelProfile['config'],
): string | undefined {
  const modules = new Map(profile.modules.map((module) => [module.name, module]))
  for (const driver of profile.drivers) {
    const value = config[driver.kconfig]
    if (!driver.tristate && value === 'm')
      return `${driver.kconfig} is a bool symbol (driver ${driver.name}) and cannot be m`
    if (value === 'm' && !modules.has(driver.module))
      return `${driver.kconfig}=m but no module "${driver.module}" describes driver ${driver.name}'s .ko`
  }
  // Built-in objects may share a name (modules.builtin of 6.12 has two clk_pll); .ko files may not.
  const paths = new Set<string>()
  const names = new Set<string>()
  for (const module of profile.modules) {
    if (config[module.kconfig] !== 'm') continue
    if (paths.has(module.path)) return `two modules have the path ${module.path}`
    if (names.has(module.name)) return `two modules have the same name ${module.name}`
    paths.add(module.path)
    names.add(module.name)
  }
  return undefined
}

const configured = new WeakMap<KernelProfile, Map<string, KernelProfile>>()

/**
 * The profile with some Kconfig symbols changed (`CONFIG_FOO=m`), refused when the config is
 * impossible; `free` builds the symbol in and adds it to the profile's `freeUnused`.
 */
export function withConfig(
  profile: KernelProfile,
  overrides: Record<string, ConfigChange>,
): KernelProfile {
  // The same object for the same overrides, so that what is derived from a profile once (its
  // modules' files, depmod's output) is not derived again at every boot of a what-if.
  const key = Object.entries(overrides)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([symbol, value]) => `${symbol}=${value}`)
    .join(' ')
  const cached = configured.get(profile)?.get(key)
  if (cached) return cached
  const variant = deriveDigest(configure(profile, overrides), profile, 'config', key)
  const forProfile = configured.get(profile) ?? new Map<string, KernelProfile>()
  forProfile.set(key, variant)
  configured.set(profile, forProfile)
  return variant
}

function configure(profile: KernelProfile, changes: Record<string, ConfigChange>): KernelProfile {
  const overrides = Object.fromEntries(
    Object.entries(changes).map(([symbol, value]) => [symbol, value === 'free' ? 'y' : value]),
  ) as Record<string, 'y' | 'm' | 'n'>
  const known = new Set([
    ...Object.keys(profile.config),
    ...profile.drivers.map((driver) => driver.kconfig),
    ...profile.modules.map((module) => module.kconfig),
  ])
  for (const symbol of Object.keys(overrides)) {
    // A symbol the build leaves unset is still declared (the Kconfig tables are read only then).
    if (!known.has(symbol) && !profile.kconfig[symbol])
      throw new KernelProfileError(profile.id, `unknown Kconfig symbol ${symbol}`)
  }
  const config = { ...profile.config, ...overrides }
  const drivers = driversFor(profile, config)
  const problem =
    configProblem({ drivers, modules: profile.modules } as KernelProfile, config) ??
    overrideProblem(profile, overrides, config)
  if (problem) throw new KernelProfileError(profile.id, problem)
  // A copy of the descriptors, not a spread: what the profile reads lazily stays unread.
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(profile))
  const freed = Object.keys(changes).filter((symbol) => changes[symbol] === 'free')
  const freeUnused = [
    ...(profile.freeUnused ?? []).filter((symbol) => config[symbol] === 'y'),
    ...freed.filter((symbol) => !profile.freeUnused?.includes(symbol)),
  ]
  return Object.assign(copy as KernelProfile, {
    config,
    drivers,
    freeUnused: freeUnused.length > 0 ? freeUnused : undefined,
  })
}

/**
 * A `bool` symbol a user sets to `m`, whether or not a driver of the profile carries it (the
 * Kconfig declarations are read only for the overridden symbols, so that they stay undecoded
 * otherwise). `select` is not evaluated here: an `ARCH_*` that selects a tristate symbol would
 * force it to `y` in a real build; the what-if's verdict names that.
 */
function overrideProblem(
  profile: KernelProfile,
  overrides: Record<string, 'y' | 'm' | 'n'>,
  config: Record<string, 'y' | 'm' | 'n'>,
): string | undefined {
  for (const [symbol, value] of Object.entries(overrides)) {
    const declared = profile.kconfig[symbol]
    if (value === 'm' && declared?.type === 'bool')
      return `${symbol} is a bool symbol and cannot be m`
    if (value === 'n' || !declared?.depends) continue
    // menuconfig would not offer it: its `depends on` is n (or m, for a tristate set to y).
    const limit = evalDepends(declared.depends, config)
    const where = declared.at ? ` (${declared.at})` : ''
    if (limit === 0)
      return `${symbol}=${value} is impossible: it depends on ${declared.depends}${where}, which is n in this config`
    if (limit === 1 && value === 'y' && declared.type === 'tristate')
      return `${symbol} can only be m: it depends on ${declared.depends}${where}, which is m in this config`
  }
  return undefined
}

export function loadKernelProfiles(root: string): KernelProfile[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((id) => loadKernelProfile(join(root, id)))
}
