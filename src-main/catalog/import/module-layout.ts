import type { ElfObject, ElfSection } from './elf'

/** The memory a module takes once loaded, per region, as Linux lays it out on arm64. */
export interface ModuleLayout {
  text: number
  rodata: number
  roAfterInit: number
  data: number
  initText: number
  initData: number
}

/** Where each kept section landed: its region and offset there, by section index. */
export type SectionPlaces = Map<number, { region: keyof ModuleLayout; offset: number }>

const SHF_WRITE = 0x1
const SHF_ALLOC = 0x2
const SHF_EXECINSTR = 0x4
/** include/linux/module.h: a flag of the module loader's own, beyond the ELF ones. */
const SHF_RO_AFTER_INIT = 0x00200000
const SHT_RELA = 4
const SHT_NOBITS = 8
const SHN_UNDEF = 0
const R_AARCH64_JUMP26 = 282
const R_AARCH64_CALL26 = 283
/** arch/arm64: sizeof(struct plt_entry), L1_CACHE_BYTES. */
const PLT_ENTRY = 12
const L1_CACHE_BYTES = 64
const SYM_SIZE = 24
const PAGE = 4096

/** What differs between the kernel versions' layouts (checked against 6.1's and 6.12's source). */
export interface LayoutRules {
  /** NR_FTRACE_PLTS, arch/arm64/include/asm/ftrace.h: 2 in 6.1 (line 37), 1 in 6.12. */
  ftracePlts: number
  /** 6.12 module_frob_arch_sections() sizes `.init.text.ftrace_trampoline` too; 6.1 does not. */
  initFtraceTrampoline: boolean
  /**
   * Before 6.4's mod_mem regions, arm64's data_layout is core_layout (6.1
   * kernel/module/internal.h:26): layout_sections() page-aligns the whole core (main.c:1484) and
   * layout_symtab() appends the core kallsyms after it (kallsyms.c:137), on pages of their own.
   */
  kallsymsOwnPages: boolean
  /** CONFIG_KALLSYMS_ALL: data symbols are core kallsyms too, not only text ones (is_core_symbol()). */
  kallsymsAll: boolean
}

/** 6.12's rules (kernel/module/main.c, kallsyms.c; arch/arm64/kernel/module-plts.c). */
export const LAYOUT_6_12: LayoutRules = {
  ftracePlts: 1,
  initFtraceTrampoline: true,
  kallsymsOwnPages: false,
  kallsymsAll: true,
}

/**
 * The rules of a release (`6.1.0-56-arm64`) and its config: before 6.4 (mod_mem) 6.1's, else
 * 6.12's. Only those two are checked against real modules. Without a config, CONFIG_KALLSYMS_ALL is
 * taken as set.
 */
export function layoutRules(release: string, config?: string): LayoutRules {
  const [major = 0, minor = 0] = (/^(\d+)\.(\d+)/.exec(release) ?? []).slice(1).map(Number)
  const old = major < 6 || (major === 6 && minor < 4)
  const kallsymsAll = config === undefined || /^CONFIG_KALLSYMS_ALL=y$/m.test(config)
  return old
    ? { ftracePlts: 2, initFtraceTrampoline: false, kallsymsOwnPages: true, kallsymsAll }
    : { ...LAYOUT_6_12, kallsymsAll }
}

interface Placed extends ElfSection {
  flags: number
  placed?: 'core' | 'init'
}

/** kernel/module/main.c module_init_layout_section(): with CONFIG_MODULE_UNLOAD, `.exit` is core. */
const isInit = (name: string) => name.startsWith('.init')

interface Rela {
  type: number
  sym: number
  addend: bigint
}

function relocations(section: ElfSection): Rela[] {
  const view = new DataView(section.data.buffer, section.data.byteOffset, section.data.byteLength)
  const relas: Rela[] = []
  for (let at = 0; at + 24 <= section.data.length; at += 24) {
    const info = view.getBigUint64(at + 8, true)
    relas.push({
      type: Number(info & 0xffffffffn),
      sym: Number(info >> 32n),
      addend: view.getBigInt64(at + 16, true),
    })
  }
  return relas
}

const cmp = (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0)
const cmpRela = (x: Rela, y: Rela) =>
  cmp(x.type, y.type) || cmp(x.sym, y.sym) || cmp(x.addend, y.addend)

/**
 * arch/arm64/kernel/module-plts.c count_plts(), after partition_branch_plt_relas() and the sort:
 * one PLT entry per distinct branch target outside the branch's own section (erratum 843419's
 * entries are not counted: QEMU's cortex-a57 does not need them).
 */
function countPlts(relas: Rela[], shndxOf: (sym: number) => number, dst: number): number {
  const needsPlt = (r: Rela) =>
    shndxOf(r.sym) !== dst && (r.type === R_AARCH64_JUMP26 || r.type === R_AARCH64_CALL26)
  const rels = [...relas]
  let i = 0
  let j = rels.length - 1
  while (i < j) {
    if (needsPlt(rels[i] as Rela)) i++
    else if (needsPlt(rels[j] as Rela)) [rels[i], rels[j]] = [rels[j] as Rela, rels[i] as Rela]
    else j--
  }
  const sorted = [...rels.slice(0, i).sort(cmpRela), ...rels.slice(i)]
  let count = 0
  sorted.forEach((rela, index) => {
    if (rela.type !== R_AARCH64_JUMP26 && rela.type !== R_AARCH64_CALL26) return
    if (shndxOf(rela.sym) === dst) return
    const duplicate = index > 0 && cmpRela(rela, sorted[index - 1] as Rela) === 0
    if (rela.addend !== 0n || !duplicate) count++
  })
  return count
}

/**
 * load_module()'s layout of a module (kernel/module/main.c layout_sections() and
 * layout_symtab(), arm64's module_frob_arch_sections()): each allocated section goes to a region
 * by its flags, aligned; .modinfo, __versions and the per-CPU section are not kept; the PLTs and the
 * ftrace trampoline take their real size; the core kallsyms table is added to data (after the
 * data pages before 6.4). /proc/modules shows the core regions, each rounded up to pages.
 */
export function moduleLayout(
  elf: ElfObject,
  places: SectionPlaces = new Map(),
  rules: LayoutRules = LAYOUT_6_12,
): ModuleLayout {
  const sections: Placed[] = elf.sections.map((section) => ({ ...section }))
  const byName = (name: string) => sections.find((section) => section.name === name)
  for (const name of ['.modinfo', '__versions', '.data..percpu']) {
    const section = byName(name)
    if (section) section.flags &= ~SHF_ALLOC
  }
  for (const name of ['.data..ro_after_init', '__jump_table']) {
    const section = byName(name)
    if (section) section.flags |= SHF_RO_AFTER_INIT
  }
  const symbols = elf.symbols()
  const shndxOf = (sym: number) => (sym === 0 ? SHN_UNDEF : (symbols[sym - 1]?.shndx ?? SHN_UNDEF))
  let corePlts = 0
  let initPlts = 0
  for (const section of sections) {
    const dst = sections[section.info]
    if (section.type !== SHT_RELA || !dst || !(dst.flags & SHF_EXECINSTR)) continue
    const plts = countPlts(relocations(section), shndxOf, section.info)
    if (isInit(dst.name)) initPlts += plts
    else corePlts += plts
  }
  const resize = (name: string, size: number, align: number) => {
    const section = byName(name)
    if (!section) return
    Object.assign(section, { type: SHT_NOBITS, flags: SHF_EXECINSTR | SHF_ALLOC, size, align })
  }
  resize('.plt', (corePlts + 1) * PLT_ENTRY, L1_CACHE_BYTES)
  resize('.init.plt', (initPlts + 1) * PLT_ENTRY, L1_CACHE_BYTES)
  resize('.text.ftrace_trampoline', rules.ftracePlts * PLT_ENTRY, 4)
  if (rules.initFtraceTrampoline)
    resize('.init.text.ftrace_trampoline', rules.ftracePlts * PLT_ENTRY, 4)

  const layout: ModuleLayout = {
    text: 0,
    rodata: 0,
    roAfterInit: 0,
    data: 0,
    initText: 0,
    initData: 0,
  }
  const place = (region: keyof ModuleLayout, section: Placed) => {
    const align = section.align || 1
    const offset = Math.ceil(layout[region] / align) * align
    places.set(section.index, { region, offset })
    layout[region] = offset + section.size
  }
  // masks[] of layout_sections(), with ARCH_SHF_SMALL = 0: text, rodata, ro_after_init, data, rest.
  const masks: [number, number, keyof ModuleLayout, keyof ModuleLayout | undefined][] = [
    [SHF_EXECINSTR | SHF_ALLOC, 0, 'text', 'initText'],
    [SHF_ALLOC, SHF_WRITE, 'rodata', 'initData'],
    [SHF_RO_AFTER_INIT | SHF_ALLOC, 0, 'roAfterInit', undefined],
    [SHF_WRITE | SHF_ALLOC, 0, 'data', 'initData'],
    [SHF_ALLOC, 0, 'data', 'initData'],
  ]
  for (const [want, refuse, core, init] of masks) {
    for (const section of sections) {
      if ((section.flags & want) !== want || section.flags & refuse || section.placed) continue
      const initSection = isInit(section.name)
      const region = initSection ? init : core
      if (!region) continue
      section.placed = initSection ? 'init' : 'core'
      place(region, section)
    }
  }
  // layout_symtab(): the null symbol and every core symbol (is_core_symbol()), with its name and type.
  const pcpu = sections.findIndex((section) => section.name === '.data..percpu')
  let kept = 1
  let strtab = 1
  for (const symbol of symbols) {
    const section = sections[symbol.shndx]
    if (symbol.shndx === SHN_UNDEF || !section || symbol.nameOffset === 0) continue
    const core = rules.kallsymsAll
      ? symbol.shndx === pcpu || (section.flags & SHF_ALLOC && section.placed === 'core')
      : section.flags & SHF_EXECINSTR && section.placed === 'core'
    if (!core) continue
    kept++
    strtab += new TextEncoder().encode(symbol.name).length + 1
  }
  const symoffsAlign = rules.kallsymsOwnPages ? PAGE : 8
  layout.data =
    Math.ceil(layout.data / symoffsAlign) * symoffsAlign + kept * SYM_SIZE + strtab + kept
  return layout
}
