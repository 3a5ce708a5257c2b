import type { DriverDefinition } from '../../catalog/driver-schema'
import type { ModuleDefinition, ModulePolicy } from '../../catalog/module-schema'
import type { KernelProfile } from '../../catalog/kernel-profile-schema'
import { NSEC_PER_USEC } from '../clock'
import { ERRNO } from '../../linux/errno'
import type { Kernel } from '../kernel'
import { moduleArgs, paramInt, setParam } from './params'
import { SymbolTable, type KernelSymbol } from './symbols'
import { TAINT_ORDER, type TaintLetter } from './taint'
import { addHeaps } from '../subsys/dma-heap'

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
export const GPL_COMPATIBLE = new Set([
  'GPL',
  'GPL v2',
  'GPL and additional rights',
  'Dual BSD/GPL',
  'Dual MIT/GPL',
  'Dual MPL/GPL',
])

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
    if (!signed && this.sigEnforced()) {
      this.kernel.printk('notice', 'Loading of unsigned module is rejected')
      return -ERRNO.EKEYREJECTED
    }
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
    const parsed = this.parseArgs(module, args)
    if (parsed !== 0) {
      // coming_cleanup: the module goes away as a failed init would.
      module.state = 'going'
      return this.freeModule(module, parsed)
    }
    return this.doInitModule(module, flags.pid ?? 0)
  }

  private taint(module: LoadedModule | undefined, letter: TaintLetter): void {
    module?.taints.add(letter)
    // add_taint() (kernel/panic.c): the forced-load, forced-unload and proprietary taints pass
    // LOCKDEP_NOW_UNRELIABLE; the first such taint turns lock debugging off and says so.
    if (LOCKDEP_NOW_UNRELIABLE.has(letter) && !this.printedOnce.has('debug_locks_off')) {
      this.printedOnce.add('debug_locks_off')
      this.kernel.printk('warning', 'Disabling lock debugging due to kernel taint')
    }
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
    // check_version() (kernel/module/version.c:24): an export without a CRC passes silently.
    if (this.policy.modversions && !flags.ignoreModversions && symbol.crc !== undefined) {
      if (crc === undefined) {
        this.printOnce(
          'no-symbol-version',
          'warning',
          `${module.name}: no symbol version for ${name}`,
        )
      } else if (symbol.crc !== crc) {
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

  /**
   * parse_args() (kernel/params.c) with unknown_module_param_cb(): each known parameter set through
   * its type's set operation, an unknown one ignored with a warning; every failure printed and
   * parsing goes on, the last error returned (load_module() then frees the module).
   */
  private parseArgs(module: LoadedModule, args: string): number {
    const all = moduleArgs(args)
    const dashes = all.findIndex((arg) => arg.name === '--' && arg.value === undefined)
    const types = new Map(module.def.params.map((param) => [param.name, param.type]))
    let err = 0
    for (const { name: key, value } of dashes < 0 ? all : all.slice(0, dashes)) {
      const type = types.get(key)
      if (type === undefined) {
        this.kernel.printk('warning', `${module.name}: unknown parameter '${key}' ignored`)
        continue
      }
      const ret = setParam(type, value)
      if (ret === 0) {
        module.params.set(key, value ?? '')
        continue
      }
      this.kernel.printk('err', `${module.name}: \`${value ?? ''}' invalid for parameter \`${key}'`)
      err = ret
    }
    if (err === 0 && dashes >= 0 && dashes < all.length - 1)
      this.kernel.printk(
        'warning',
        `${module.name}: parameters '${args
          .split(/\s+/)
          .filter(Boolean)
          .slice(dashes + 1)
          .join(' ')}' after \`--' ignored`,
      )
    return err
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
      const span = kernel.trace.begin()
      if (kernel.initcallDebug) kernel.printk('debug', `calling  ${symbol} @ ${pid}`)
      kernel.spendUs(def.init.us)
      kernel.printMessages(def.init.messages, kernel.boardValues())
      if (def.init.fails) ret = -ERRNO[def.init.fails]
      else if (def.init.heaps) ret = addHeaps(kernel, def.init.heaps, def.name)
      if (ret === 0) {
        registerNetdevs(kernel, module)
        for (const driver of kernel.inputs.profile.drivers) {
          if (driver.module !== def.name) continue
          // *_OF_DECLARE in a module is an unused static, in no table (include/linux/of.h:1528):
          // nothing ever calls its init function.
          if (driver.registration.kind === 'of_declare') continue
          module.drivers.push(driver)
          kernel.core.registerDriver(driver)
        }
      }
      if (kernel.initcallDebug) {
        const usecs = Math.floor((kernel.clock.now - start) / NSEC_PER_USEC)
        kernel.printk('debug', `initcall ${symbol} returned ${ret} after ${usecs} usecs`)
      }
      kernel.trace.end(span, 'initcall', { fn, level: 'module', ret, module: def.name })
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
    const span = this.kernel.trace.begin()
    const ret = this.deleteModule(name, force)
    // A refused rmmod changed nothing: only what really went is on the timeline.
    if (ret === 0) this.kernel.trace.end(span, 'module', { module: name, op: 'unload', ret })
    return ret
  }

  private deleteModule(name: string, force: boolean): number {
    const module = this.find(name)
    if (!module) return -ERRNO.ENOENT
    if (module.users.length > 0) return -ERRNO.EAGAIN
    if (module.state !== 'live') {
      this.kernel.prDebug(`${name} already dying`)
      return -ERRNO.EBUSY
    }
    const forced = force && this.policy.forceUnload
    // try_force_unload() (kernel/module/main.c): add_taint(TAINT_FORCED_RMMOD, LOCKDEP_NOW_UNRELIABLE).
    if (module.def.hasInit && !module.def.hasExit) {
      if (!forced) return -ERRNO.EBUSY
      this.taint(undefined, 'R')
    }
    if (this.refcount(module) !== 0) {
      if (!forced) return -ERRNO.EAGAIN
      this.taint(undefined, 'R')
    }
    module.state = 'going'
    if (module.def.hasExit) {
      for (const driver of module.drivers) this.kernel.core.unregisterDriver(driver)
      this.kernel.net.unregisterOwnedBy(name)
    }
    // module_flags(mod, buf, false) (kernel/module/main.c delete_module): the taints, no state.
    this.lastUnloaded = { name, taints: moduleFlags({ ...module, state: 'live' }) }
    if (module.def.hasExit) this.kernel.moduleExit(name)
    this.freeModule(module, 0)
    this.kernel.moduleTextFreed(name)
    return 0
  }
}

/** The network devices the module's init registers, as many as its parameter asks for. */
function registerNetdevs(kernel: Kernel, module: LoadedModule): void {
  const netdevs = module.def.init.netdevs
  if (!netdevs) return
  const { count } = netdevs
  const given = typeof count === 'number' ? undefined : module.params.get(count.param)
  const wanted =
    typeof count === 'number' ? count : given === undefined ? count.default : paramInt(given)
  for (let unit = 0; unit < wanted; unit++) kernel.net.register(netdevs.name, module.name)
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

const MODULE_SIG_STRING = '~Module signature appended~\n'

/**
 * mod_check_sig()/module_sig_check() (kernel/module/signing.c): a file ending with the magic
 * string carries a signature, `struct module_signature` (12 bytes, sig_len big-endian last) before
 * the magic and the PKCS#7 blob before that; the kernel takes it all off. modlab does not verify
 * the blob: a signed module is taken as signed by the build's key.
 */
function stripSignature(image: Uint8Array): { bytes: Uint8Array; signed: boolean } {
  const magic = new TextEncoder().encode(MODULE_SIG_STRING)
  const end = image.length - magic.length
  if (end < 12 || magic.some((byte, i) => image[end + i] !== byte))
    return { bytes: image, signed: false }
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength)
  const sigLen = view.getUint32(end - 4, false)
  const start = end - 12 - sigLen
  if (start < 0) return { bytes: image, signed: false }
  return { bytes: image.subarray(0, start), signed: true }
}

interface ElfLayout {
  shoff: number
  shnum: number
  shstrndx: number
}

const ELF_HEADER_SIZE = 64
const ELF_SECTION_HEADER_SIZE = 64

/** elf_validity_ehdr() and the section-table checks of elf_validity_cache_sechdrs(): a message, or the layout. */
function validateElf(bytes: Uint8Array): ElfLayout | string {
  if (bytes.length < ELF_HEADER_SIZE) return `Invalid ELF header len ${bytes.length}`
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
    return 'Invalid ELF header magic: != \x7fELF'
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const type = view.getUint16(16, true)
  if (type !== 1) return `Invalid ELF header type: ${type} != 1`
  const machine = view.getUint16(18, true)
  if (machine !== 183) return `Invalid architecture in ELF header: ${machine}`
  if (view.getUint16(58, true) !== ELF_SECTION_HEADER_SIZE) return 'Invalid ELF section header size'
  const shoff = Number(view.getBigUint64(40, true))
  const shnum = view.getUint16(60, true)
  if (shoff >= bytes.length || shnum * ELF_SECTION_HEADER_SIZE > bytes.length - shoff)
    return 'Invalid ELF section header overflow'
  return { shoff, shnum, shstrndx: view.getUint16(62, true) }
}

/** The `name=` entry of the `.modinfo` section (get_modinfo(info, "name")). */
function modinfoName(bytes: Uint8Array, elf: ElfLayout): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const section = (index: number) => {
    const at = elf.shoff + index * ELF_SECTION_HEADER_SIZE
    return {
      name: view.getUint32(at, true),
      offset: Number(view.getBigUint64(at + 24, true)),
      size: Number(view.getBigUint64(at + 32, true)),
    }
  }
  const decoder = new TextDecoder('latin1')
  const strings = section(elf.shstrndx)
  for (let index = 1; index < elf.shnum; index++) {
    const header = section(index)
    const nameAt = strings.offset + header.name
    const sectionName = decoder.decode(bytes.subarray(nameAt, bytes.indexOf(0, nameAt)))
    if (sectionName !== '.modinfo') continue
    const text = decoder.decode(bytes.subarray(header.offset, header.offset + header.size))
    return text
      .split('\0')
      .find((entry) => entry.startsWith('name='))
      ?.slice('name='.length)
  }
  return undefined
}
