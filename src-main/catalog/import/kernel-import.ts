import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import type { KernelProfile } from '../kernel-profile-schema'
import { catalogFiles } from '../catalog-file'
import type { KernelCatalog } from '../kernel-catalog-schema'
import { writeKernelCompatibles } from '../kernel-compatibles'
import { SUMMARY_FILE, type KernelRegistry } from '../kernel-registry'
import { buildCatalog, configValue, type BuildFiles, type SourceFacts } from './catalog-builder'
import { readDebData } from './deb'
import { diskTree } from './disk-tree'
import { KoFormatError } from './elf'
import type { TreeProblem } from './modules-tree'

export class KernelImportError extends Error {
  constructor(
    message: string,
    readonly problems: TreeProblem[] = [],
  ) {
    super(message)
    this.name = 'KernelImportError'
  }
}

export interface KernelImportRequest {
  /** A `/lib/modules/<release>` folder (or a root holding `lib/modules/<release>`), or a linux-image `.deb`. */
  path: string
  name?: string
  config?: string
  symvers?: string
  systemMap?: string
}

export interface KernelImportResult {
  id: string
  name: string
  release: string
  modules: number
  builtin: number
  exports: number
  /** The built-in kernel whose core boot and driver knowledge the new profile borrows. */
  base: string
  notes: string[]
}

const readText = (path: string | undefined) => {
  if (!path) return undefined
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new KernelImportError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    )
  }
}

/** The files of a build as the user pointed at them: a modules folder or a linux-image package. */
export function buildFilesOf(request: KernelImportRequest): BuildFiles {
  if (!existsSync(request.path))
    throw new KernelImportError(`${request.path}: no such file or folder`)
  const extra = {
    config: readText(request.config),
    symvers: readText(request.symvers),
    systemMap: readText(request.systemMap),
  }
  if (statSync(request.path).isDirectory()) {
    const dir = modulesFolder(request.path)
    const local = (name: string) =>
      existsSync(join(dir, name)) ? readText(join(dir, name)) : undefined
    return {
      modules: diskTree(dir, basename(dir)),
      config: extra.config ?? local('config'),
      symvers: extra.symvers ?? local('Module.symvers') ?? local('build/Module.symvers'),
      systemMap: extra.systemMap ?? local('System.map'),
    }
  }
  let files: Map<string, Uint8Array>
  try {
    files = readDebData(new Uint8Array(readFileSync(request.path)))
  } catch (error) {
    if (error instanceof KoFormatError)
      throw new KernelImportError(`${request.path}: ${error.message}`)
    throw error
  }
  const prefix = [...files.keys()]
    .map((path) => /^(?:usr\/)?lib\/modules\/([^/]+)\//.exec(path))
    .find(Boolean)
  if (!prefix)
    throw new KernelImportError(`${request.path}: the package installs no /lib/modules tree`)
  const release = prefix[1] as string
  const root = prefix[0]
  const text = (path: string) => {
    const bytes = files.get(path)
    return bytes ? new TextDecoder().decode(bytes) : undefined
  }
  const map = text(`boot/System.map-${release}`)
  return {
    modules: {
      release,
      list: () =>
        [...files.keys()]
          .filter((path) => path.startsWith(root))
          .map((path) => path.slice(root.length)),
      read: (path) => files.get(root + path) as Uint8Array,
    },
    config: extra.config ?? text(`boot/config-${release}`),
    symvers: extra.symvers,
    // Debian's linux-image ships a stub System.map ("ffffffffffffffff B The real System.map is in ...").
    systemMap: extra.systemMap ?? (map && !map.includes('The real System.map') ? map : undefined),
  }
}

function modulesFolder(path: string): string {
  if (existsSync(join(path, 'modules.order')) || existsSync(join(path, 'kernel'))) return path
  const under = join(path, 'lib', 'modules')
  const releases = existsSync(under) ? readdirSync(under) : []
  if (releases.length === 1) return join(under, releases[0] as string)
  if (releases.length > 1)
    throw new KernelImportError(
      `${path}: lib/modules holds several releases (${releases.join(', ')}): name one`,
    )
  throw new KernelImportError(
    `${path}: not a modules tree (no modules.order, no kernel/ folder, no lib/modules/)`,
  )
}

/** The built-in kernel of the same version series, else the newest: it lends the core boot. */
export function baseKernelFor(release: string, registry: KernelRegistry): KernelProfile {
  const builtins = registry.builtinEntries()
  const [major, minor] = release.split(/[.-]/).map(Number)
  const same = builtins.find((kernel) => kernel.version[0] === major && kernel.version[1] === minor)
  const newest = [...builtins].sort(
    (a, b) => b.version[0] - a.version[0] || b.version[1] - a.version[1],
  )[0]
  const base = same ?? newest
  const profile = base && registry.find(base.id)
  if (!profile) throw new KernelImportError('no built-in kernel profile to take the core boot from')
  return profile
}

/** What the base kernel's source says about objects: which Kconfig symbol builds each. */
function sourceFactsFrom(base: KernelProfile): SourceFacts {
  const kconfigByObject = new Map(
    base.modules.map((module) => [
      module.path.replace(/^kernel\//, '').replace(/\.ko(\.\w+)?$/, ''),
      module.kconfig,
    ]),
  )
  return {
    kconfigOf: (object) => kconfigByObject.get(object),
    drivers: base.drivers,
    foreignDrivers: base.foreignDrivers,
    kconfig: base.kconfig,
  }
}

/** The share of the tree's modules a config may leave unbuilt before it is taken for another build's. */
const CONTRADICTED_SHARE = 0.05

export const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')

/**
 * Reads a user's kernel build and writes it as a kernel profile folder under `kernelsRoot`,
 * all at once: into a temporary folder renamed into place, so a failed import leaves nothing.
 */
export function importKernel(
  request: KernelImportRequest,
  registry: KernelRegistry,
  kernelsRoot: string,
  onProgress?: (done: number, total: number) => void,
): KernelImportResult {
  const files = buildFilesOf(request)
  const base = baseKernelFor(files.modules.release, registry)
  const { catalog, problems, notes, contradicted } = buildCatalog(
    files,
    sourceFactsFrom(base),
    onProgress,
  )
  if (
    !base.release.startsWith(catalog.release.split('-')[0]?.split('.').slice(0, 2).join('.') ?? '')
  )
    notes.push(`drivers and Kconfig are those of ${base.id}: no built-in kernel of this series`)
  if (problems.length > 0)
    throw new KernelImportError(
      `${problems.length} of the tree's module files cannot be read`,
      problems,
    )
  if (catalog.modules.length === 0)
    throw new KernelImportError(`${request.path}: no kernel modules found`)
  // Makefiles that build one object from several symbols make a few mismatches in a real build
  // (6 of Debian 6.12's 4,000 modules); another build's config contradicts far more.
  if (contradicted.length > CONTRADICTED_SHARE * catalog.modules.length)
    throw new KernelImportError(
      `${request.config ?? "the build's config"} is not this tree's: it does not set ${contradicted.length} of its ${catalog.modules.length} modules' symbols to m`,
      contradicted.slice(0, 20).map(({ path, symbol, value }) => ({
        file: path,
        problem: `${symbol} is ${value} in the config`,
      })),
    )
  const name = request.name ?? `${catalog.release} (imported)`
  const id = slug(request.name ?? `user-${catalog.release}`)
  if (registry.find(id) || existsSync(join(kernelsRoot, id)))
    throw new KernelImportError(`a kernel profile "${id}" already exists: choose another --name`)
  const vermagic = catalog.modules[0]?.info?.find(([key]) => key === 'vermagic')?.[1]
  const header = {
    ...headerOf(base),
    id,
    name,
    description: `Imported from ${request.path}; core boot from ${base.id}.`,
    release: catalog.release,
    banner: base.banner.replace(base.release, catalog.release),
    hz: Number(configValue(files.config ?? '', 'CONFIG_HZ') ?? base.hz),
    config: {},
    source: { package: basename(request.path), sha256: '', log: `core boot of ${base.id}` },
    modulePolicy: {
      ...(base.modulePolicy ?? { vermagic: '' }),
      vermagic: vermagic ?? base.modulePolicy?.vermagic ?? catalog.release,
      sigEnforce: files.config ? /^CONFIG_MODULE_SIG_FORCE=y$/m.test(files.config) : false,
      modversions: files.config
        ? /^CONFIG_MODVERSIONS=y$/m.test(files.config)
        : !!catalog.exports[0]?.crc,
      forceUnload: files.config ? /^CONFIG_MODULE_FORCE_UNLOAD=y$/m.test(files.config) : false,
    },
  }
  const provenance = {
    generator: 'modlab kernel import',
    packages: [{ name: basename(request.path), version: catalog.release, sha256: '' }],
  }
  mkdirSync(kernelsRoot, { recursive: true })
  const temporary = join(kernelsRoot, `.import-${id}-${process.pid}`)
  rmSync(temporary, { recursive: true, force: true })
  try {
    mkdirSync(temporary)
    writeFileSync(join(temporary, 'kernel.json'), JSON.stringify(header, null, 2))
    writeFileSync(
      join(temporary, 'boot.json'),
      JSON.stringify({ steps: base.steps, initcalls: base.initcalls }),
    )
    writeFileSync(join(temporary, 'drivers.json'), '[]')
    writeFileSync(
      join(temporary, SUMMARY_FILE),
      JSON.stringify({ modules: catalog.modules.length, drivers: catalog.drivers.length }),
    )
    const files = catalogFiles({ provenance, ...catalog } as KernelCatalog)
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(temporary, name), bytes)
    // The profile's drivers are the catalog's (drivers.json is empty), its config the build's.
    writeKernelCompatibles(temporary, {
      config: catalog.config,
      drivers: catalog.drivers,
      foreignDrivers: catalog.foreignDrivers,
    })
    renameSync(temporary, join(kernelsRoot, id))
  } finally {
    rmSync(temporary, { recursive: true, force: true })
  }
  return {
    id,
    name,
    release: catalog.release,
    modules: catalog.modules.length,
    builtin: catalog.builtin.length,
    exports: catalog.exports.length,
    base: base.id,
    notes,
  }
}

function headerOf(profile: KernelProfile) {
  const {
    steps: _s,
    initcalls: _i,
    drivers: _d,
    modules: _m,
    exports: _e,
    kconfig: _k,
    foreignDrivers: _f,
    provenance: _p,
    builtinModinfo: _b,
    // Curated like drivers.json, which an import leaves empty.
    behaviours: _h,
    ...header
  } = profile
  return header
}
