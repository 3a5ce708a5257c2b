import type { DriverDefinition } from '../../catalog/driver-schema'
import type { ModuleDefinition, ModulePolicy } from '../../catalog/module-schema'
import type { KernelProfile } from '../../catalog/kernel-profile-schema'
import { NSEC_PER_USEC } from '../clock'
import { ERRNO } from '../errno'
import type { Kernel } from '../kernel'
import { SymbolTable, type KernelSymbol } from './symbols'
import { TAINT_ORDER, type TaintLetter } from './taint'

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

/** license_is_gpl_compatible() (include/linux/license.h). */
const GPL_COMPATIBLE = new Set([
  'GPL',
  'GPL v2',
  'GPL and additional rights',
  'Dual BSD/GPL',
  'Dual MIT/GPL',
  'Dual MPL/GPL',
])

const MODULE_REF_BASE = 1

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

/** kernel/module: load_module(), do_init_module(), delete_module(), the module list and its symbols. */
export class ModuleLoader {
  /** The `modules` list: list_add_rcu puts a new module at the head, so /proc/modules lists the newest first. */
  readonly list: LoadedModule[] = []
  readonly symbols: SymbolTable<LoadedModule>
  private readonly printedOnce = new Set<string>()
  lastUnloaded?: { name: string; taints: string }

  constructor(
    private readonly kernel: Kernel,
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

  private printOnce(key: string, level: 'warning' | 'notice', text: string): void {
    if (this.printedOnce.has(key)) return
    this.printedOnce.add(key)
    this.kernel.printk(level, text)
  }

  private sigEnforced(): boolean {
    const param = this.kernel.cmdline.params.get('module.sig_enforce')
    return this.policy.sigEnforce || param === true || param === '1' || param === 'Y'
  }

  private blacklisted(name: string): boolean {
    const list = this.kernel.cmdline.params.get('module_blacklist')
    return typeof list === 'string' && list.split(',').includes(name)
  }

  /** same_magic(): with modversions the kernel release (first word) may differ. */
  private sameMagic(moduleMagic: string, flags: LoadFlags): boolean {
    if (flags.ignoreVermagic) return true
    const kernelMagic = this.policy.vermagic
    if (this.policy.modversions && !flags.ignoreModversions)
      return (
        moduleMagic.slice(moduleMagic.indexOf(' ')) === kernelMagic.slice(kernelMagic.indexOf(' '))
      )
    return moduleMagic === kernelMagic
  }

  private sizes(def: ModuleDefinition): { core: number; init: number } {
    const page = this.kernel.inputs.profile.pageSizeK * 1024
    const align = (bytes: number): number => Math.ceil(bytes / page) * page
    const { text, rodata, data, initText, initData } = def.sizes
    return {
      core: align(text) + align(rodata) + align(data),
      init: align(initText) + align(initData),
    }
  }

  /** load_module() + do_init_module(): 0 or a negative errno, printing what the kernel prints. */
  load(def: ModuleDefinition, args: string, flags: LoadFlags = {}): number {
    const name = def.name
    if (!def.signed && this.sigEnforced()) {
      this.kernel.printk('notice', 'Loading of unsigned module is rejected')
      return -ERRNO.EKEYREJECTED
    }
    if (this.blacklisted(name)) {
      this.kernel.printk('err', `Module ${name} is blacklisted`)
      return -ERRNO.EPERM
    }
    const moduleMagic = def.vermagic ?? this.policy.vermagic
    if (!this.sameMagic(moduleMagic, flags)) {
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
    this.checkModinfo(module, flags)
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
    const resolved = this.simplifySymbols(module, flags)
    if (resolved !== 0) return this.freeModule(module, resolved)
    const formed = this.completeFormation(module)
    if (formed !== 0) return this.freeModule(module, formed)
    this.parseArgs(module, args)
    return this.doInitModule(module, flags.pid ?? 0)
  }

  private taint(module: LoadedModule, letter: TaintLetter): void {
    module.taints.add(letter)
    this.kernel.taints.add(letter)
  }

  /** check_modinfo(): out-of-tree, staging and licence taints, each announced as the kernel does. */
  private checkModinfo(module: LoadedModule, flags: LoadFlags): void {
    const { def, name } = module
    // modprobe -f strips the vermagic: try_to_force_load() taints F, announcing it once.
    if (flags.ignoreVermagic || flags.ignoreModversions) {
      if (!this.kernel.taints.has('F'))
        this.kernel.printk('warning', `${name}: bad vermagic: kernel tainted.`)
      this.taint(module, 'F')
    }
    if (!def.intree) {
      if (!this.kernel.taints.has('O'))
        this.kernel.printk('warning', `${name}: loading out-of-tree module taints kernel.`)
      this.taint(module, 'O')
    }
    if (def.info.some(([key]) => key === 'staging')) {
      this.taint(module, 'C')
      this.kernel.printk(
        'warning',
        `${name}: module is from the staging directory, the quality is unknown, you have been warned.`,
      )
    }
    const license = moduleLicense(def)
    if (!GPL_COMPATIBLE.has(license)) {
      if (!this.kernel.taints.has('P'))
        this.kernel.printk('warning', `${name}: module license '${license}' taints kernel.`)
      this.taint(module, 'P')
    }
  }

  /** simplify_symbols(): every undefined symbol resolved, every failure reported; the last error returned. */
  private simplifySymbols(module: LoadedModule, flags: LoadFlags): number {
    let ret = 0
    for (const entry of module.def.imports) {
      const wanted = typeof entry === 'string' ? { name: entry, weak: false } : entry
      const result = this.resolveSymbol(module, wanted.name, wanted.crc, flags)
      if (result === 0) continue
      if (result === -ERRNO.ENOENT && wanted.weak) continue
      this.kernel.printk('warning', `${module.name}: Unknown symbol ${wanted.name} (err ${result})`)
      ret = result
    }
    return ret
  }

  private resolveSymbol(
    module: LoadedModule,
    name: string,
    crc: string | undefined,
    flags: LoadFlags,
  ): number {
    const gplok = !module.taints.has('P')
    const symbol = this.symbols.find(name, gplok)
    if (!symbol || symbol.owner === module) return -ERRNO.ENOENT
    if (symbol.owner && symbol.owner.state === 'unformed') return -ERRNO.ENOENT
    if (this.policy.modversions && !flags.ignoreModversions) {
      if (crc === undefined) {
        this.printOnce(
          'no-symbol-version',
          'warning',
          `${module.name}: no symbol version for ${name}`,
        )
      } else if (symbol.crc !== undefined && symbol.crc !== crc) {
        this.kernel.printk('warning', `${module.name}: disagrees about version of symbol ${name}`)
        return -ERRNO.EINVAL
      }
    }
    if (symbol.namespace && !module.def.importNamespaces.includes(symbol.namespace)) {
      this.kernel.printk(
        'err',
        `${module.name}: module uses symbol (${name}) from namespace ${symbol.namespace}, but does not import it.`,
      )
      return -ERRNO.EINVAL
    }
    if (symbol.gpl) module.usingGplOnlySymbols = true
    const owner = symbol.owner
    if (!owner) return 0
    if (owner.taints.has('P') && !this.inheritTaint(module, owner, name)) return -ERRNO.EINVAL
    return this.refModule(module, owner)
  }

  /** inherit_taint(): symbols of a proprietary module taint their user, or refuse a GPL-only user. */
  private inheritTaint(module: LoadedModule, owner: LoadedModule, name: string): boolean {
    if (module.usingGplOnlySymbols) {
      this.kernel.printk(
        'err',
        `${module.name}: module using GPL-only symbols uses symbols ${name} from proprietary module ${owner.name}.`,
      )
      return false
    }
    if (!module.taints.has('P')) {
      this.kernel.printk(
        'warning',
        `${module.name}: module uses symbols ${name} from proprietary module ${owner.name}, inheriting taint.`,
      )
      this.taint(module, 'P')
    }
    return true
  }

  /** ref_module(): the first symbol taken from a module links the two and takes a reference. */
  private refModule(module: LoadedModule, owner: LoadedModule): number {
    if (module.uses.includes(owner)) return 0
    if (owner.state === 'coming') return -ERRNO.EBUSY
    if (owner.state !== 'live') return -ERRNO.ENOENT
    owner.refcnt += 1
    owner.users.push(module)
    module.uses.push(owner)
    return 0
  }

  /** complete_formation(): duplicate exports refused, then the module is COMING. */
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

  /** parse_args(): known parameters are kept, unknown ones ignored with a warning. */
  private parseArgs(module: LoadedModule, args: string): void {
    const words = args.split(/\s+/).filter(Boolean)
    const dashes = words.indexOf('--')
    const known = new Set(module.def.params.map((param) => param.name))
    for (const word of dashes < 0 ? words : words.slice(0, dashes)) {
      const [key = '', value = ''] = word.split(/=(.*)/s)
      if (known.has(key)) module.params.set(key, value)
      else this.kernel.printk('warning', `${module.name}: unknown parameter '${key}' ignored`)
    }
    if (dashes >= 0 && dashes < words.length - 1)
      this.kernel.printk(
        'warning',
        `${module.name}: parameters '${words.slice(dashes + 1).join(' ')}' after \`--' ignored`,
      )
  }

  /** do_init_module(): init runs (its drivers register and probe); a failure frees the module. */
  private doInitModule(module: LoadedModule, pid: number): number {
    const { def } = module
    const kernel = this.kernel
    const fn = def.init.fn ?? `${def.name}_init`
    const symbol = `${fn}+0x0/0x${def.init.size.toString(16)} [${def.name}]`
    const start = kernel.clock.now
    let ret = 0
    if (def.hasInit) {
      if (kernel.initcallDebug) kernel.printk('debug', `calling  ${symbol} @ ${pid}`)
      kernel.clock.advance(def.init.us * NSEC_PER_USEC)
      kernel.printMessages(def.init.messages, kernel.boardValues())
      if (def.init.fails) ret = -ERRNO[def.init.fails]
      else {
        for (const driver of kernel.inputs.profile.drivers) {
          if (driver.module !== def.name) continue
          module.drivers.push(driver)
          kernel.core.registerDriver(driver)
        }
      }
      if (kernel.initcallDebug) {
        const usecs = Math.floor((kernel.clock.now - start) / NSEC_PER_USEC)
        kernel.printk('debug', `initcall ${symbol} returned ${ret} after ${usecs} usecs`)
      }
    }
    if (ret < 0) {
      module.state = 'going'
      for (const driver of module.drivers) kernel.core.unregisterDriver(driver)
      return this.freeModule(module, ret)
    }
    module.state = 'live'
    module.refcnt -= 1
    // The init layout is freed once init returned (do_free_init); /proc/modules drops it.
    module.initSize = 0
    return 0
  }

  /** free_module() on a failed load: references dropped, symbols withdrawn, off the list. */
  private freeModule(module: LoadedModule, ret: number): number {
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
    const module = this.find(name)
    if (!module) return -ERRNO.ENOENT
    if (module.users.length > 0) return -ERRNO.EAGAIN
    if (module.state !== 'live') {
      this.kernel.prDebug(`${name} already dying`)
      return -ERRNO.EBUSY
    }
    const forced = force && this.policy.forceUnload
    if (module.def.hasInit && !module.def.hasExit) {
      if (!forced) return -ERRNO.EBUSY
      this.kernel.taints.add('R')
    }
    if (this.refcount(module) !== 0) {
      if (!forced) return -ERRNO.EAGAIN
      this.kernel.taints.add('R')
    }
    module.state = 'going'
    if (module.def.hasExit) {
      for (const driver of module.drivers) this.kernel.core.unregisterDriver(driver)
    }
    this.lastUnloaded = { name, taints: moduleFlags(module) }
    this.freeModule(module, 0)
    return 0
  }
}

export function moduleLicense(def: ModuleDefinition): string {
  return def.info.find(([key]) => key === 'license')?.[1] ?? 'unspecified'
}

/** module_flags(): `(OE)`, with `+` while loading and `-` while unloading; empty when untainted. */
export function moduleFlags(module: LoadedModule): string {
  let flags = TAINT_ORDER.filter((letter) => module.taints.has(letter)).join('')
  if (module.state === 'going') flags += '-'
  if (module.state === 'coming') flags += '+'
  return flags ? `(${flags})` : ''
}
