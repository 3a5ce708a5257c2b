import type { DriverDefinition } from '../../catalog/driver-schema'
import type { ModuleDefinition, ModulePolicy } from '../../catalog/module-schema'
import type { KernelProfile } from '../../catalog/kernel-profile-schema'
import { ERRNO } from '../../linux/errno'
import type { Kernel } from '../kernel'
import { deleteModule } from './delete-module'
import { doInitModule } from './do-init-module'
import { modinfoName, validateElf } from './elf-validity'
import { checkModinfo } from './modinfo'
import { parseArgs } from './params'
import { simplifySymbols } from './resolve-symbol'
import { moduleSigCheck, stripSignature } from './signing'
import { SymbolTable, type KernelSymbol } from './symbols'
import type { TaintLetter } from './taint'
import { sameMagic } from './version'

export type ModuleState = 'unformed' | 'coming' | 'live' | 'going'

export interface LoadedModule {
  def: ModuleDefinition
  name: string
  state: ModuleState
  /** The atomic refcnt: MODULE_REF_BASE (1) + references; module_refcount() is this minus one. */
  refcnt: number
  /** source_list: the modules that use this one ("Used by"). */
  users: LoadedModule[]
  /** target_list: the modules this one uses. */
  uses: LoadedModule[]
  taints: Set<TaintLetter>
  coreSize: number
  initSize: number
  params: Map<string, string>
  usingGplOnlySymbols: boolean
  drivers: DriverDefinition[]
}

/** What insmod/modprobe pass to finit_module. */
export interface LoadFlags {
  ignoreVermagic?: boolean
  ignoreModversions?: boolean
  /** The pid initcall_debug names as the caller. */
  pid?: number
}

const MODULE_REF_BASE = 1

/** The taints kernel/module/main.c adds with LOCKDEP_NOW_UNRELIABLE (try_to_force_load, delete_module's forced unload, licences). */
const LOCKDEP_NOW_UNRELIABLE = new Set<TaintLetter>(['F', 'R', 'P'])

const imageExports = new WeakMap<KernelProfile, Map<string, KernelSymbol<never>>>()

/** vmlinux's exports and those of the tristate code the config builds in, once per profile. */
function kernelExportsOf(profile: KernelProfile): ReadonlyMap<string, KernelSymbol<never>> {
  let table = imageExports.get(profile)
  if (!table) {
    const builtIn = profile.modules.filter((module) => profile.config[module.kconfig] === 'y')
    table = SymbolTable.kernelExports([
      ...profile.exports,
      ...builtIn.flatMap((module) => module.exports),
    ])
    imageExports.set(profile, table)
  }
  return table
}

/**
 * kernel/module/main.c: load_module() (main.c:3064), the module list and its symbols. Its steps are
 * in files named after the kernel's: signing.ts, elf-validity.ts, version.ts, modinfo.ts
 * (check_modinfo), resolve-symbol.ts (simplify_symbols), params.ts (parse_args),
 * do-init-module.ts and delete-module.ts.
 */
export class ModuleLoader {
  /** The `modules` list: list_add_rcu puts a new module at the head, so /proc/modules lists the newest first. */
  readonly list: LoadedModule[] = []
  readonly symbols: SymbolTable<LoadedModule>
  private readonly printedOnce = new Set<string>()
  lastUnloaded?: { name: string; taints: string }

  constructor(
    readonly kernel: Kernel,
    readonly policy: ModulePolicy,
  ) {
    this.symbols = new SymbolTable<LoadedModule>(kernelExportsOf(kernel.inputs.profile))
  }

  find(name: string): LoadedModule | undefined {
    return this.list.find((module) => module.name === name)
  }

  /** module_refcount(). */
  refcount(module: LoadedModule): number {
    return module.refcnt - MODULE_REF_BASE
  }

  /** try_module_get(): a built-in owner (no module) always succeeds. */
  tryGet(name: string | undefined): boolean {
    if (!name) return true
    const module = this.find(name)
    if (!module) return true
    if (module.state === 'going' || module.state === 'unformed' || module.refcnt <= 0) return false
    module.refcnt += 1
    return true
  }

  put(name: string | undefined): void {
    const module = name ? this.find(name) : undefined
    if (module && module.refcnt > MODULE_REF_BASE) module.refcnt -= 1
  }

  printOnce(key: string, level: 'warning' | 'notice', text: string): void {
    if (this.printedOnce.has(key)) return
    this.printedOnce.add(key)
    this.kernel.printk(level, text)
  }

  private blacklisted(name: string): boolean {
    const list = this.kernel.cmdline.params.get('module_blacklist')
    return typeof list === 'string' && list.split(',').includes(name)
  }

  private sizes(def: ModuleDefinition): { core: number; init: number } {
    const page = this.kernel.inputs.profile.pageSizeK * 1024
    const align = (bytes: number): number => Math.ceil(bytes / page) * page
    const { text, rodata, roAfterInit, data, initText, initData } = def.sizes
    return {
      core: align(text) + align(rodata) + align(roAfterInit) + align(data),
      init: align(initText) + align(initData),
    }
  }

  /**
   * init_module()/finit_module() of a file's bytes, as they reach the kernel (kmod decompressed
   * them): kernel_read_file() refuses an empty file (-EINVAL, nothing printed), module_sig_check()
   * takes the appended signature off, elf_validity_cache_copy() checks the ELF header and section
   * table (kernel/module/main.c elf_validity_ehdr(), elf_validity_cache_sechdrs()), and the module's
   * `.modinfo` name says which module it is. modlab's `.ko` carries no code: what the module does
   * (symbols, init, sizes) is `definitionOf(name)`, the kernel profile's module of that name.
   */
  loadImage(
    image: Uint8Array,
    args: string,
    definitionOf: (name: string) => ModuleDefinition | undefined,
    flags: LoadFlags = {},
  ): number {
    if (image.length === 0) return -ERRNO.EINVAL
    const { bytes, signed } = stripSignature(image)
    const sig = moduleSigCheck(this, signed)
    if (sig !== 0) return sig
    const elf = validateElf(bytes)
    if (typeof elf === 'string') {
      this.kernel.printk('err', elf)
      return -ERRNO.ENOEXEC
    }
    const name = modinfoName(bytes, elf)
    const def = name === undefined ? undefined : definitionOf(name)
    // find_sec()/setup_load_info(): a module without `.modinfo` name is refused as "No module found
    // in object"; a name modlab has no definition for cannot run either.
    if (!def) {
      this.kernel.printk('warning', `${name ?? '(unknown)'}: No module found in object`)
      return -ERRNO.ENOEXEC
    }
    return this.load({ ...def, signed }, args, flags)
  }

  /** load_module() + do_init_module(): 0 or a negative errno, printing what the kernel prints. */
  load(def: ModuleDefinition, args: string, flags: LoadFlags = {}): number {
    const span = this.kernel.trace.begin()
    const ret = this.loadModule(def, args, flags)
    this.kernel.trace.end(span, 'module', { module: def.name, op: 'load', ret })
    return ret
  }

  private loadModule(def: ModuleDefinition, args: string, flags: LoadFlags): number {
    const name = def.name
    const sig = moduleSigCheck(this, def.signed)
    if (sig !== 0) return sig
    if (this.blacklisted(name)) {
      this.kernel.printk('err', `Module ${name} is blacklisted`)
      return -ERRNO.EPERM
    }
    const moduleMagic = def.vermagic ?? this.policy.vermagic
    if (!sameMagic(this.policy, moduleMagic, flags)) {
      this.kernel.printk(
        'err',
        `${name}: version magic '${moduleMagic}' should be '${this.policy.vermagic}'`,
      )
      return -ERRNO.ENOEXEC
    }
    const { core, init } = this.sizes(def)
    const module: LoadedModule = {
      def,
      name,
      state: 'unformed',
      refcnt: MODULE_REF_BASE,
      users: [],
      uses: [],
      taints: new Set(),
      coreSize: core,
      initSize: init,
      params: new Map(),
      usingGplOnlySymbols: false,
      drivers: [],
    }
    checkModinfo(this, module, flags)
    const existing = this.find(name)
    if (existing) return existing.state === 'live' ? -ERRNO.EEXIST : -ERRNO.EBUSY
    this.list.unshift(module)
    if (!def.signed) {
      this.printOnce(
        'unsigned',
        'notice',
        `${name}: module verification failed: signature and/or required key missing - tainting kernel`,
      )
      this.taint(module, 'E')
    }
    // module_unload_init(): the base reference plus one held while init runs.
    module.refcnt = MODULE_REF_BASE + 1
    const resolved = simplifySymbols(this, module, flags)
    if (resolved !== 0) return this.freeModule(module, resolved)
    const formed = this.completeFormation(module)
    if (formed !== 0) return this.freeModule(module, formed)
    const parsed = parseArgs(this.kernel, module, args)
    if (parsed !== 0) {
      // coming_cleanup: the module goes away as a failed init would.
      module.state = 'going'
      return this.freeModule(module, parsed)
    }
    return doInitModule(this, module, flags.pid ?? 0)
  }

  taint(module: LoadedModule | undefined, letter: TaintLetter): void {
    module?.taints.add(letter)
    // add_taint() (kernel/panic.c): the forced-load, forced-unload and proprietary taints pass
    // LOCKDEP_NOW_UNRELIABLE; the first such taint turns lock debugging off and says so.
    if (LOCKDEP_NOW_UNRELIABLE.has(letter) && !this.printedOnce.has('debug_locks_off')) {
      this.printedOnce.add('debug_locks_off')
      this.kernel.printk('warning', 'Disabling lock debugging due to kernel taint')
    }
    this.kernel.taints.add(letter)
  }

  /** complete_formation() (kernel/module/main.c:2949): duplicate exports refused, then the module is COMING. */
  private completeFormation(module: LoadedModule): number {
    for (const symbol of module.def.exports) {
      const existing = this.symbols.owner(symbol.name)
      if (existing) {
        this.kernel.printk(
          'err',
          `${module.name}: exports duplicate symbol ${symbol.name} (owned by ${existing.owner?.name ?? 'kernel'})`,
        )
        return -ERRNO.ENOEXEC
      }
    }
    this.symbols.addModuleExports(module, module.def.exports)
    module.state = 'coming'
    return 0
  }

  /** free_module() (kernel/module/main.c:1293) on a failed load: references dropped, symbols withdrawn, off the list. */
  freeModule(module: LoadedModule, ret: number): number {
    for (const owner of module.uses) {
      owner.refcnt -= 1
      owner.users = owner.users.filter((user) => user !== module)
    }
    module.uses = []
    this.symbols.removeModule(module)
    const at = this.list.indexOf(module)
    if (at >= 0) this.list.splice(at, 1)
    return ret
  }

  /** delete_module(name, O_NONBLOCK | (force ? O_TRUNC : 0)): 0 or a negative errno. */
  unload(name: string, force: boolean): number {
    const span = this.kernel.trace.begin()
    const ret = deleteModule(this, name, force)
    // A refused rmmod changed nothing: only what really went is on the timeline.
    if (ret === 0) this.kernel.trace.end(span, 'module', { module: name, op: 'unload', ret })
    return ret
  }
}
