/** What a tool accepts: single-letter flags, and letters that take a value. */
export interface OptionSpec {
  /** Letters that are plain flags: `cvi` */
  flags: string
  /** Letters that take a value (`-n 3`, `-n3`): `n` */
  withValue?: string
}

export type ParsedOptions =
  { options: [letter: string, value?: string][]; operands: string[] } | { error: string }

/**
 * getopt() as glibc runs it for busybox's applets: options may follow operands, `--` ends them,
 * `-cv` groups flags, `-n3` glues a value; errors use getopt's own wording.
 */
export function getopt(tool: string, args: readonly string[], spec: OptionSpec): ParsedOptions {
  const options: [string, string?][] = []
  const operands: string[] = []
  const takesValue = (letter: string) => (spec.withValue ?? '').includes(letter)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--') {
      operands.push(...args.slice(i + 1))
      break
    }
    // busybox builds these applets without long options.
    if (arg.startsWith('--')) return { error: `${tool}: unrecognized option '${arg}'` }
    if (arg.length < 2 || !arg.startsWith('-')) {
      operands.push(arg)
      continue
    }
    for (let at = 1; at < arg.length; at++) {
      const letter = arg[at] as string
      if (takesValue(letter)) {
        const value = at + 1 < arg.length ? arg.slice(at + 1) : args[++i]
        if (value === undefined)
          return { error: `${tool}: option requires an argument -- '${letter}'` }
        options.push([letter, value])
        break
      }
      if (!spec.flags.includes(letter)) return { error: `${tool}: invalid option -- '${letter}'` }
      options.push([letter])
    }
  }
  return { options, operands }
}
