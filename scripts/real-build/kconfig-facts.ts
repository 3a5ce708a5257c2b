// A Kconfig symbol as the 6.12 Kconfig files declare it (the source scanner's reading of them),
// with Debian's value and every `select` of it, and the registration macros a driver's source uses.
import type { SourceScan } from '../kernel-import/source-scan.mjs'

export interface KconfigFacts {
  symbol: string
  type?: string
  /** the prompt's `if` (`COMPILE_TEST`: only visible there, so not user-selectable on arm64) */
  prompt: boolean
  promptIf?: string
  depends?: string
  at: string
  /** Debian's .config: y, m or n */
  value: string
  /** every `select SYMBOL [if COND]` in the Kconfig files, with the selector's Debian value */
  selectedBy: { by: string; if?: string; at: string; value: string }[]
}

const first = (at: string | string[]): string => (Array.isArray(at) ? (at[0] ?? '') : at)

export function kconfigFacts(
  scan: SourceScan,
  symbol: string,
  config: Record<string, string>,
): KconfigFacts {
  const info = scan.kconfig[symbol]
  if (!info) throw new Error(`no Kconfig symbol ${symbol} in the 6.12 source`)
  const valueOf = (name: string) => config[name] ?? 'n'
  const selectedBy = Object.entries(scan.kconfig)
    .flatMap(([by, other]) =>
      (other.select ?? [])
        .filter((select) => select.symbol === symbol)
        .map((select) => ({
          by,
          ...(select.if ? { if: select.if } : {}),
          at: first(other.at),
          value: valueOf(by),
        })),
    )
    .sort((a, b) => a.by.localeCompare(b.by))
  return {
    symbol,
    ...(info.type ? { type: info.type } : {}),
    prompt: info.prompt,
    ...(info.promptIf ? { promptIf: info.promptIf } : {}),
    ...(info.depends ? { depends: info.depends } : {}),
    at: first(info.at),
    value: valueOf(symbol),
    selectedBy,
  }
}

export interface Registration {
  macro: string
  /** its first argument (the table name, the init function, the driver struct) */
  arg: string
  at: string
}

const REGISTRATION =
  /^[ \t]*((?:\w+_)?OF_DECLARE(?:_DRIVER)?|IRQCHIP_DECLARE|\w*_initcall(?:_sync)?|module_init|module_exit|module_\w+_driver|builtin_\w+_driver|__setup|early_param|MODULE_LICENSE)[ \t]*\(\s*([^,)\n]*)/gm

/** The registration macros of one source file, in order, with file:line. */
export function registrations(file: string, text: string): Registration[] {
  const found: Registration[] = []
  for (const match of text.matchAll(REGISTRATION)) {
    const line = text.slice(0, match.index).split('\n').length
    found.push({
      macro: match[1] as string,
      arg: (match[2] as string).trim(),
      at: `${file}:${line}`,
    })
  }
  return found
}
