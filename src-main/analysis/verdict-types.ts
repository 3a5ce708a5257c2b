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
