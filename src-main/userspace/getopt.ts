/** What a tool accepts: single-letter flags, letters that take a value, and long names for them. */
export interface OptionSpec {
  /** Letters that are plain flags: `cvi` */
  flags: string
  /** Letters that take a value (`-n 3`, `-n3`): `n` */
  withValue?: string
  /** Long options: `--count` → `c`; a long option whose letter takes a value takes it as `--lines=3` or `--lines 3`. */
  long?: Record<string, string>
}

export type ParsedOptions =
  { options: [letter: string, value?: string][]; operands: string[] } | { error: string }

/**
 * getopt_long() as glibc runs it for coreutils, grep and busybox: options may follow operands,
 * `--` ends them, `-cv` groups flags, `-n3` glues a value; errors use getopt's own wording.
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
    if (arg.startsWith('--')) {
      const [name = '', inline] = splitOnce(arg.slice(2), '=')
      const candidates = Object.keys(spec.long ?? {}).filter((long) => long.startsWith(name))
      const exact = candidates.includes(name) ? name : undefined
      if (!exact && candidates.length !== 1)
        return {
          error:
            candidates.length > 1
              ? `${tool}: option '${arg}' is ambiguous`
              : `${tool}: unrecognized option '${arg}'`,
        }
      const long = exact ?? (candidates[0] as string)
      const letter = spec.long?.[long] as string
      if (!takesValue(letter)) {
        if (inline !== undefined)
          return { error: `${tool}: option '--${long}' doesn't allow an argument` }
        options.push([letter])
        continue
      }
      const value = inline ?? args[++i]
      if (value === undefined) return { error: `${tool}: option '--${long}' requires an argument` }
      options.push([letter, value])
      continue
    }
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

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator)
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)]
}
