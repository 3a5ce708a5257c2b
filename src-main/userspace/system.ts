import type { DriverDefinition } from '../catalog/driver-schema'
import type { KernelProfile } from '../catalog/kernel-profile-schema'
import { profileDigest } from '../catalog/profile-digest'
import type { ModuleDefinition } from '../catalog/module-schema'
import type { Kernel } from '../kernel/kernel'
import type { ModuleLoader } from '../kernel/module/loader'
import { AliasIndex } from './alias-index'
import { depmod, type DepmodOutput, type ModuleFile } from './depmod'
import { cachedDepmod } from './depmod-cache'
import { modinfoEntries, modpostDepends, type InfoEntry } from './modinfo'

/** What a command wrote and returned; the shell adds the kernel lines it caused. */
export interface ToolResult {
  stdout: string
  stderr: string
  exitCode: number
}

export function ok(stdout = ''): ToolResult {
  return { stdout, stderr: '', exitCode: 0 }
}

export function fail(stderr: string, exitCode = 1, stdout = ''): ToolResult {
  return { stdout, stderr, exitCode }
}

/**
 * The `.ko` files (`m`) and the built-in modules (`y`) of a kernel profile, as depmod reads them.
 * Each file's modinfo is made when first read: a boot whose depmod comes from the disk cache reads
 * only its loaded modules'.
 */
export function moduleFilesOf(profile: KernelProfile): {
  modules: ModuleFile[]
  builtin: ModuleFile[]
} {
  const vermagic = profile.modulePolicy?.vermagic ?? `${profile.release} SMP mod_unload`
  let exporters: Map<string, ModuleDefinition> | undefined
  const exportersOf = () => {
    if (exporters) return exporters
    exporters = new Map()
    for (const def of profile.modules) {
      if (profile.config[def.kconfig] !== 'm') continue
      for (const symbol of def.exports) exporters.set(symbol.name, def)
    }
    return exporters
  }
  const infoOf = (def: ModuleDefinition) =>
    def.complete && !builtInMadeModule(def, profile)
      ? def.info
      : modinfoEntries(
          builtInMadeModule(def, profile) ? asModuleBuild(def) : def,
          profile.drivers,
          modpostDepends(def, exportersOf()),
          vermagic,
        )
  const file = (def: ModuleDefinition): ModuleFile => {
    let info: InfoEntry[] | undefined
    return {
      def,
      get info() {
        return (info ??= infoOf(def))
      },
    }
  }
  return {
    modules: profile.modules.filter((def) => profile.config[def.kconfig] === 'm').map(file),
    builtin: profile.modules.filter((def) => profile.config[def.kconfig] === 'y').map(file),
  }
}

/**
 * A profile's module tree, its depmod run and its alias index, made once per profile: every boot
 * of the same kernel build (and config) has the same `/lib/modules`. 4,000 real modules take longer
 * to index than the kernel takes to boot, so depmod's run is also kept on disk for a profile read
 * from its files (`profileDigest`), for the next process to boot it.
 */
interface ModuleTree {
  modules: ModuleFile[]
  builtin: ModuleFile[]
  depmod: DepmodOutput
  aliases?: AliasIndex
  byPath?: Map<string, ModuleFile>
  byName?: Map<string, ModuleFile>
}
const trees = new WeakMap<KernelProfile, ModuleTree>()

function moduleTreeOf(profile: KernelProfile): ModuleTree {
  let tree = trees.get(profile)
  if (!tree) {
    const files = moduleFilesOf(profile)
    const run = () =>
      depmod({
        modules: files.modules,
        builtin: files.builtin,
        builtinModinfo: profile.builtinModinfo,
      })
    const digest = profileDigest(profile)
    tree = { ...files, depmod: digest === undefined ? run() : cachedDepmod(digest, run) }
    trees.set(profile, tree)
  }
  return tree
}

/**
 * The simulated root filesystem's module side: `/lib/modules/<release>/` with the kernel
 * profile's `m` modules as `.ko` files, the files depmod generated from them, and the kernel.
 */
export class System {
  readonly release: string
  readonly modulesDir: string
  /** The `.ko` files, by path under the modules directory, in modules.order order. */
  readonly moduleFiles: ModuleFile[]
  /** Built-in tristate code, with the modinfo `modules.builtin.modinfo` keeps. */
  readonly builtinFiles: ModuleFile[]
  /** The files of the last successful depmod run (a run over a dependency cycle writes none). */
  depmodFiles: Record<string, string> | undefined
  private depmodResult?: DepmodOutput
  private nextPid = 200

  constructor(readonly kernel: Kernel) {
    const profile = kernel.inputs.profile
    this.release = profile.release
    this.modulesDir = `/lib/modules/${this.release}`
    this.tree = moduleTreeOf(profile)
    this.moduleFiles = this.tree.modules
    this.builtinFiles = this.tree.builtin
    this.runDepmod()
  }

  private readonly tree: ModuleTree

  get loader(): ModuleLoader | undefined {
    return this.kernel.modules
  }

  get drivers(): readonly DriverDefinition[] {
    return this.kernel.inputs.profile.drivers
  }

  pid(): number {
    return this.nextPid++
  }

  /** depmod -a: regenerates the index files; a dependency cycle leaves the old ones and fails. */
  runDepmod(): DepmodOutput {
    // The tree never changes under a running system: depmod's answer is the profile's.
    const output = this.tree.depmod
    this.depmodResult = output
    if (output.warnings.length === 0) this.depmodFiles = output.files
    return output
  }

  /** modules.dep as modprobe reads it: per module name, its dependencies' paths (none without an index). */
  dependencies(name: string): string[] | undefined {
    if (!this.depmodFiles) return undefined
    return this.depmodResult?.dependencies.get(name)
  }

  fileByPath(path: string): ModuleFile | undefined {
    const relative = path.startsWith(`${this.modulesDir}/`)
      ? path.slice(this.modulesDir.length + 1)
      : path
    this.tree.byPath ??= new Map(this.moduleFiles.map((file) => [file.def.path, file]))
    return this.tree.byPath.get(relative)
  }

  fileByName(name: string): ModuleFile | undefined {
    this.tree.byName ??= new Map(this.moduleFiles.map((file) => [file.def.name, file]))
    return this.tree.byName.get(name)
  }

  /** modules.alias, indexed once per module tree. */
  aliasIndex(): AliasIndex {
    this.tree.aliases ??= new AliasIndex(this.tree.depmod.files['modules.alias'] ?? '')
    return this.tree.aliases
  }

  private softdepCache?: { text: string; byName: Map<string, string> }

  /** modules.softdep's first line for a module (after `softdep NAME `), parsed once per index. */
  softdepLine(name: string): string | undefined {
    const text = this.depmodFiles?.['modules.softdep'] ?? ''
    if (this.softdepCache?.text !== text) {
      const byName = new Map<string, string>()
      for (const line of text.split('\n')) {
        const match = /^softdep (\S+) (.*)$/.exec(line)
        // kmod_module_get_softdeps() takes the first softdep command that names the module.
        if (match && !byName.has(match[1] as string))
          byName.set(match[1] as string, match[2] as string)
      }
      this.softdepCache = { text, byName }
    }
    return this.softdepCache.byName.get(name)
  }

  isBuiltin(file: ModuleFile): boolean {
    return this.builtinFiles.includes(file)
  }

  builtinByName(name: string): ModuleFile | undefined {
    return this.builtinFiles.find((file) => file.def.name === name)
  }

  absolutePath(file: ModuleFile): string {
    return `${this.modulesDir}/${file.def.path}`
  }
}

/**
 * A module whose modinfo is the build's modules.builtin.modinfo (it carries the `file` tag that
 * include/linux/module.h adds only `#ifndef MODULE`) and that this config builds as `m`.
 */
function builtInMadeModule(def: ModuleDefinition, profile: KernelProfile): boolean {
  return profile.config[def.kconfig] === 'm' && def.info.some(([key]) => key === 'file')
}

/** Its `.ko` as modpost would write it: no `file`, then the OF aliases and depends/name/vermagic. */
function asModuleBuild(def: ModuleDefinition): ModuleDefinition {
  return { ...def, complete: false, info: def.info.filter(([key]) => key !== 'file') }
}
