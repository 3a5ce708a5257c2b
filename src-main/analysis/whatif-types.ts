/**
 * The what-if's request and answer as plain data: the API contract re-exports these types, so this
 * file imports nothing.
 */

/** What a what-if asks of one Kconfig symbol: `free` is built in, freed at the end of boot if unused. */
export type Change = 'y' | 'm' | 'n' | 'free'

export type VerdictArea = 'kconfig' | 'registration' | 'symbols' | 'unload' | 'gki'

/**
 * One finding of the verdict: `error` is what stops the build, the load or the change (modpost's
 * ERROR, a Kconfig that will not take the value); `warning` what builds but misbehaves; `info`
 * what an engineer should know.
 */
export interface VerdictItem {
  area: VerdictArea
  severity: 'error' | 'warning' | 'info'
  /** Stable for tests and the JSON: `kconfig-bool`, `undefined`, `of-declare`, `permanent`... */
  code: string
  message: string
  /** Where the fact comes from: a source file and line, a `.ko`, a build record, a series. */
  source: string
  /** The symbol, driver or module the item is about. */
  subject?: string
}

export interface SymbolVerdict {
  symbol: string
  change: Change
  drivers: string[]
  modules: string[]
  items: VerdictItem[]
  /** No error among the items: a build with this change would produce what the change asks. */
  builds: boolean
}

export const hasErrors = (items: readonly VerdictItem[]) =>
  items.some((item) => item.severity === 'error')

/** A device as the diff compares it: its final state, and why when that is not plain. */
/** drivers/base's view of a device at the end of a boot (kernel/device.ts DeviceState). */
export type DeviceState = 'no-driver' | 'bound' | 'deferred' | 'failed'

export interface DeviceOutcome {
  state: DeviceState
  driver?: string
  /** The deferral reason, the errno of a failed probe. */
  detail?: string
  /** It bound only once the deferred-probe timeout let it go without a supplier. */
  afterTimeout?: boolean
  /** No driver bound it, but an `*_OF_DECLARE` init ran on its node at boot (the arch timer). */
  ofDeclared?: boolean
}

export interface DeviceChange {
  device: string
  /** Absent when the device did not exist in that boot (a bus populated only by a driver). */
  before?: DeviceOutcome
  after?: DeviceOutcome
}

export interface ProbeMove {
  device: string
  /** Its place among the devices that bound, in boot A and in boot B. */
  before: number
  after: number
}

/** What changed from boot A to boot B, as a kernel engineer reads it. */
export interface BootDiff {
  /** `diff -u` of the two dmesg texts with the timestamps set aside; '' when identical. */
  dmesg: string
  added: number
  removed: number
  devices: DeviceChange[]
  probeOrder: ProbeMove[]
  /** Virtual time at which each boot started /init (ns), or null for one that never got there. */
  initNs: { before: number | null; after: number | null }
  modules: { loaded: string[]; unloaded: string[] }
  /** DMA-BUF heaps (/dev/dma_heap/<name>) of one boot only; absent when both boots have the same. */
  heaps?: { added: string[]; missing: string[] }
}

/** A driver's section sizes in bytes, and where they were measured. */
export interface SectionSizes {
  text: number
  rodata: number
  /** .data..ro_after_init: a region of its own in a module since 6.4. */
  roAfterInit: number
  data: number
  bss: number
  initText: number
  initData: number
  source: string
  /** A symbol that builds several modules: each `.ko`, page-aligned on its own when loaded. */
  parts?: SectionSizes[]
}

export interface BoardMemory {
  board: string
  /** The nodes that would bind the driver; empty: the board never loads it (unless `byName`). */
  uses: string[]
  /**
   * No device table (a module_init-only module such as a heap): no device ever loads it, the
   * platform does by name (modules.load), so every board is counted as loading it.
   */
  byName?: boolean
  builtin: number
  /** Core bytes as a module, per page size (0 when the board never loads it). */
  module: Record<number, number>
  /** Built in, freed at the end of boot when nothing bound it. */
  freeIfUnused: number
}

/** The "uses it" column of a memory table: what makes the board load the driver, if anything. */
export const usesText = (row: BoardMemory) =>
  row.uses.length > 0
    ? `${row.uses.length} node(s)`
    : row.byName
      ? 'by name (modules.load)'
      : 'never loads it'

export interface MemoryTable {
  sizes: SectionSizes
  boards: BoardMemory[]
  /** One kernel for every board: the sum over the boards of each choice. */
  totals: { builtin: number; module: Record<number, number>; freeIfUnused: number }
  /** What page alignment adds over the raw sizes, per page size, for the boards that load it. */
  alignmentCost: Record<number, number>
}

export interface WhatIfMemory {
  /** Per symbol whose sizes are known; the others are named in `unknown`. */
  tables: { symbol: string; table: MemoryTable }[]
  unknown: { symbol: string; reason: string }[]
  /** With several symbols: what each board pays for all of them, one module each. */
  together?: MemoryTable
  /**
   * With several symbols: what splitting them into one module each costs over one module holding
   * them all, in page rounding, per page size and per board that loads them.
   */
  splitCost?: Record<number, number>
}

/** When the changed module loads in boot B: udev's coldplug, never, or `modprobe` at a time. */
export type LoadTime = { kind: 'coldplug' } | { kind: 'never' } | { kind: 'at'; seconds: number }

/** What `rmmod` said when boot B tried to unload the changed module at its end. */
export interface UnloadAttempt {
  module: string
  exitCode: number
  output: string
  kernelLines: string[]
}

export interface BoardWhatIf {
  board: string
  outcome: { before: string; after: string }
  diff: BootDiff
  unload: UnloadAttempt[]
}

export interface WhatIfResult {
  kernel: string
  series: string[]
  verdicts: SymbolVerdict[]
  boards: BoardWhatIf[]
  /** Why a boot could not be made (the kernel refused its config): no board is compared then. */
  refused?: string
  /** Which boot was refused: B (the change) or A (the baseline the change is compared against). */
  refusedBoot?: 'A' | 'B'
  /**
   * What boot A builds in besides the kernel as it is: a driver made a module here that the kernel
   * leaves out altogether, with the `y` changes its Kconfig needs (absent when none).
   */
  baseline?: Record<string, 'y'>
  memory: WhatIfMemory
  /** The change builds and every board still reaches /init. */
  ok: boolean
}
