// Types of source-scan.mjs for TypeScript callers (the tests, a profile generator).

export interface KSelect {
  symbol: string
  if?: string
}
export interface KDefault {
  value: string
  if?: string
}
/** One Kconfig symbol; `at` is `file:line` (an array when defined in several places). */
export interface KconfigSymbol {
  type?: 'bool' | 'tristate' | 'int' | 'hex' | 'string'
  prompt: boolean
  promptIf?: string
  depends?: string
  select?: KSelect[]
  imply?: KSelect[]
  default?: KDefault[]
  choice?: string
  at: string | string[]
  /** from the .config: 'y', 'm', a value, or 'n' when unset */
  value?: string
}
/** A Kbuild object, keyed by its path without `.o` (`drivers/clocksource/timer-mediatek`). */
export interface KbuildObject {
  /** basename with `-` → `_`, as KBUILD_MODNAME and modules.builtin.modinfo name it */
  module: string
  /** the symbol of `obj-$(CONFIG_X)`, or `y` for obj-y, `m` for obj-m */
  config: string
  /** other symbols listing the same object (`obj-$(CONFIG_A) += x.o` and `obj-$(CONFIG_B) += x.o`) */
  alsoConfig?: string[]
  /** `obj-$(subst m,y,$(CONFIG_X))`: built in when X is m */
  builtinIfM?: true
  /** symbols guarding the directories on the way (`obj-$(CONFIG_D) += dir/`) */
  via?: string[]
  lib?: true
  /** enclosing make conditionals (`ifeq ...`), not evaluated */
  cond?: string
  sources: string[]
  /** composite parts added by `foo-$(CONFIG_Y)`: source → Y */
  partIf?: Record<string, string>
  /** y/m/n under the given .config: guards, evaluated ifeq/ifdef, and the directories above */
  value?: 'y' | 'm' | 'n'
}
export interface KbuildEntry {
  name: string
  config?: string
  cond?: string
}
export interface KbuildFile {
  objs: KbuildEntry[]
  lib: KbuildEntry[]
  parts: Record<string, KbuildEntry[]>
}
export interface OfTable {
  name: string
  line: number
  compatibles: string[]
  /** compatibles inside `#if CONFIG_…` blocks: compatible → condition */
  if?: Record<string, string>
  skipped?: string[]
  /** driver struct variables (or `file#var` in another file, or `fn()` for code) naming it */
  usedBy?: string[]
  /** compatible → the identifier its `.data` points at (`mt6358_core`) */
  data?: Record<string, string>
}
export interface MfdCell {
  name: string
  ofCompatible?: string
  /** `.id`, when not 0 */
  id?: number
}
export interface MfdScan {
  /** every `struct mfd_cell` array of the file */
  arrays: Record<string, MfdCell[]>
  /** the arrays named in (devm_)mfd_add_devices() calls */
  added: string[]
  /** the id argument of the first call: PLATFORM_DEVID_NONE, PLATFORM_DEVID_AUTO, a number... */
  devid: string
  /** struct initializers (match data) → the cell arrays they name */
  byData: Record<string, string[]>
}
export interface OfDeclare {
  macro: string
  /** the linker table: timer, irqchip, clk, reservedmem, earlycon... */
  table: string
  name: string
  compatible: string
  fn: string
  line: number
  if?: string
}
export interface AmbaId {
  id: string
  mask: string
}
export interface CMacro {
  params: string[]
  body: string
}
export interface CDriver {
  var: string
  /** platform_driver, amba_driver, i2c_driver, spi_driver, ... */
  type: string
  name?: string
  /** the `.name` expression when it could not be resolved to a string */
  nameExpr?: string
  table?: string
  /** its `struct amba_id` table up to the terminator, `0x%08x` each */
  amba?: AmbaId[]
  /** amba_id entries that could not be evaluated */
  ambaSkipped?: string[]
  /** a platform or I2C driver's `struct platform_device_id` / `struct i2c_device_id` names */
  ids?: string[]
  line: number
  if?: string
}
export interface CInit {
  /** the function initcall_debug prints (`foo_driver_init` for module_platform_driver(foo_driver)) */
  fn: string
  /**
   * initcall level when built in: early, pure, core, postcore, arch, subsys, fs, rootfs, device,
   * late, or console (console_initcall); module_init, __initcall and module_*_driver are `device`
   */
  level: string
  sync?: true
  /** the macro: module_init, arch_initcall_sync, module_platform_driver, builtin_platform_driver... */
  via: string
  /** driver structs it registers */
  registers: string[]
  line: number
  if?: string
}
export interface CFileScan {
  tables: OfTable[]
  declares: OfDeclare[]
  drivers: CDriver[]
  inits: CInit[]
  exit: boolean
  license?: string
  /** calls (devm_)of_platform_populate(): the probe populates the node's children */
  populates?: true
  /** takes them down again on unbind: devm_of_platform_populate() or of_platform_depopulate() */
  depopulates?: true
  /** registers a controller of this bus (spmi, i2c, i2c-mux), itself or through a helper of the
   * bus subsystem: its children become devices of that bus */
  controller?: string
  /** the MFD cells it adds with (devm_)mfd_add_devices() */
  mfd?: MfdScan
}
export interface DriverFile {
  /** the Kbuild objects (keys of `objects`) this file links into */
  objects: string[]
  /** the .c file that #includes this one, when it is not an object itself */
  includedBy?: string
  tables?: OfTable[]
  declares?: OfDeclare[]
  drivers?: CDriver[]
  inits?: CInit[]
  exit: boolean
  license?: string
  populates?: true
  /** takes them down again on unbind: devm_of_platform_populate() or of_platform_depopulate() */
  depopulates?: true
  /** registers a controller of this bus (spmi, i2c, i2c-mux), itself or through a helper of the
   * bus subsystem: its children become devices of that bus */
  controller?: string
  /** the MFD cells it adds with (devm_)mfd_add_devices() */
  mfd?: MfdScan
}
export interface ScanSummary {
  scannedFiles: number
  driverFiles: number
  filesWithTables: number
  tables: number
  tablesResolved: number
  compatibles: number
  declares: number
  unresolved: Record<string, number>
  skippedEntries: number
  objects: number
  kconfigSymbols: number
  ms: number
  kconfigMs: number
  kbuildMs: number
  cMs: number
  kconfigMissing: string[]
  kbuildMissingDirs: string[]
}
export interface SourceScan {
  drivers: Record<string, DriverFile>
  kconfig: Record<string, KconfigSymbol>
  objects: Record<string, KbuildObject>
  summary: ScanSummary
}

export const SCAN_DIRS: string[]
export function parseDotConfig(text: string): Record<string, string>
export function scanSource(
  root: string,
  opts?: { config?: string | Record<string, string>; arch?: string; dirs?: string[] },
): SourceScan
export function parseKconfig(
  text: string,
  file: string,
  opts?: {
    symbols?: Record<string, unknown>
    srcarch?: string
    onSource?: (path: string, from: string) => { text: string; file: string } | undefined
  },
): Record<
  string,
  Omit<KconfigSymbol, 'select' | 'imply' | 'default' | 'at'> & {
    select: KSelect[]
    imply: KSelect[]
    default: KDefault[]
    at: string[]
    menuconfig?: true
  }
>
export function parseKbuild(
  text: string,
  dir: string,
  readInclude?: (path: string) => string | undefined,
  extraVars?: Record<string, string>,
): KbuildFile
export function scanC(
  source: string,
  opts?: {
    modname?: string
    headerDefines?: Map<string, string>
    headerMacros?: Map<string, CMacro>
    controllerKinds?: Map<string, string>
  },
): CFileScan
/**
 * The functions whose call registers a bus controller, by kind (`spmi`, `i2c`, `i2c-mux`): the
 * cores' own and, to a fixed point, the non-static functions of the bus subsystem naming one.
 */
export function controllerHelpers(
  files: string[],
  read: (file: string) => Buffer,
): Map<string, string>
