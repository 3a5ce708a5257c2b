/**
 * The kernel command line as `parse_args` sees it: space-separated `name` or `name=value`,
 * double quotes protecting spaces in a value. Later occurrences win.
 */
export interface Cmdline {
  raw: string
  /** Every parameter in command-line order, repeats included. */
  entries: [string, string | true][]
  /** The last value of each parameter. */
  params: Map<string, string | true>
}

export function parseCmdline(raw: string): Cmdline {
  const entries: [string, string | true][] = []
  const tokens = raw.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []
  for (const token of tokens) {
    const unquoted = token.replace(/"/g, '')
    const at = unquoted.indexOf('=')
    entries.push(at < 0 ? [unquoted, true] : [unquoted.slice(0, at), unquoted.slice(at + 1)])
  }
  return { raw: raw.trim().replace(/\s+/g, ' '), entries, params: new Map(entries) }
}

/** An integer parameter, or the fallback when absent or not a number. */
export function intParam(cmdline: Cmdline, name: string, fallback: number): number {
  const value = cmdline.params.get(name)
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) return fallback
  return Number(value)
}

/** `1`, `y`, `on`, a bare flag: true (kstrtobool). */
export function boolParam(cmdline: Cmdline, name: string): boolean {
  const value = cmdline.params.get(name)
  if (value === true) return true
  return typeof value === 'string' && /^(1|y|yes|on|true)$/i.test(value)
}

/** console_loglevel after `loglevel=`, `quiet` and `debug`, in command-line order (last wins). */
export function consoleLoglevel(
  cmdline: Cmdline,
  defaults: { normal: number; quiet: number },
): number {
  let level = defaults.normal
  for (const [name, value] of cmdline.entries) {
    if (name === 'quiet') level = defaults.quiet
    else if (name === 'debug') level = 10
    else if (name === 'loglevel' && typeof value === 'string' && /^\d+$/.test(value))
      level = Number(value)
  }
  return level
}
