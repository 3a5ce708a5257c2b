import { BUSYBOX_USAGE } from './busybox-usage'
import { getopt, type OptionSpec } from './getopt'
import { fail, type ToolResult } from './system'

/** What a filter reads: its standard input (what the previous command of the pipeline printed) or files. */
export interface FilterInput {
  stdin: string
  /** A file's contents, or the reason it cannot be read (`No such file or directory`). */
  readFile(path: string): { text: string } | { error: string }
}

/** One input of a filter: `-` or no operand is standard input. */
export interface Source {
  name: string
  text: string
}

/** The sources named by the operands, or stdin; a file that cannot be read is reported and skipped. */
export function readSources(
  operands: readonly string[],
  input: FilterInput,
  cannotOpen: (name: string, error: string) => string,
): { sources: Source[]; stderr: string } {
  if (operands.length === 0) return { sources: [{ name: '-', text: input.stdin }], stderr: '' }
  const sources: Source[] = []
  let stderr = ''
  for (const name of operands) {
    if (name === '-') {
      sources.push({ name, text: input.stdin })
      continue
    }
    const read = input.readFile(name)
    if ('error' in read) stderr += cannotOpen(name, read.error)
    else sources.push({ name, text: read.text })
  }
  return { sources, stderr }
}

/** Lines with their newline kept, so a last line without one stays without one. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}

const utf8Length = (text: string): number => new TextEncoder().encode(text).length

/** An option error as busybox prints it: getopt's line, then the applet's usage. */
function usageError(tool: 'head' | 'tail' | 'wc', error: string): ToolResult {
  return fail(`${error}\n${BUSYBOX_USAGE[tool]}`, 1)
}

const LINES_SPEC: OptionSpec = { flags: 'qv', withValue: 'n' }
const SUFFIXES: Record<string, number> = { '': 1, b: 512, k: 1024, m: 1024 * 1024 }

/** `-5` is `-n 5` (the obsolete form both applets still take), except as the value of `-n`. */
const withObsoleteCount = (args: readonly string[]): string[] =>
  args.map((arg, i) => (/^-\d+$/.test(arg) && args[i - 1] !== '-n' ? `-n${arg.slice(1)}` : arg))

/**
 * busybox head and tail: `-n N`, `-N`; head's `-n -N` (all but the last N), tail's `-n +N` (from
 * line N); `N` may end in b, k or m. Several files get `==> name <==` headers (`-q` none, `-v` always).
 */
export function headOrTail(
  tool: 'head' | 'tail',
  args: readonly string[],
  input: FilterInput,
): ToolResult {
  const parsed = getopt(tool, withObsoleteCount(args), LINES_SPEC)
  if ('error' in parsed) return usageError(tool, parsed.error)
  const value = parsed.options.filter(([letter]) => letter === 'n').at(-1)?.[1] ?? '10'
  const match = /^([+-]?)(\d+)([bkm]?)$/.exec(value)
  if (!match) return fail(`${tool}: invalid number '${value}'\n`, 1)
  const sign = match[1] as string
  const count = Number(match[2]) * (SUFFIXES[match[3] as string] as number)
  const pick = (lines: string[]): string[] => {
    if (tool === 'head')
      return sign === '-'
        ? lines.slice(0, Math.max(0, lines.length - count))
        : lines.slice(0, count)
    if (sign === '+') return lines.slice(Math.max(0, count - 1))
    return count === 0 ? [] : lines.slice(-count)
  }
  const read = readSources(parsed.operands, input, (name, error) =>
    tool === 'head' ? `head: ${name}: ${error}\n` : `tail: can't open '${name}': ${error}\n`,
  )
  const { sources } = read
  let { stderr } = read
  if (tool === 'tail' && sources.length === 0) stderr += 'tail: no files\n'
  const flags = new Set(parsed.options.map(([letter]) => letter))
  const headers = flags.has('v') || (sources.length > 1 && !flags.has('q'))
  const stdout = sources
    .map((source, index) => {
      const body = pick(splitLines(source.text)).join('')
      if (!headers) return body
      const name = source.name === '-' ? 'standard input' : source.name
      return `${index > 0 ? '\n' : ''}==> ${name} <==\n${body}`
    })
    .join('')
  return { stdout, stderr, exitCode: stderr ? 1 : 0 }
}

const WC_SPEC: OptionSpec = { flags: 'lwcmL' }

/** busybox wc: lines, words, characters, bytes and the longest line, in its column order and widths. */
export function wc(args: readonly string[], input: FilterInput): ToolResult {
  const parsed = getopt('wc', args, WC_SPEC)
  if ('error' in parsed) return usageError('wc', parsed.error)
  const asked = new Set(parsed.options.map(([letter]) => letter))
  const columns = (['l', 'w', 'm', 'c', 'L'] as const).filter((letter) => asked.has(letter))
  if (columns.length === 0) columns.push('l', 'w', 'c')
  const { sources, stderr } = readSources(
    parsed.operands,
    input,
    (name, error) => `wc: ${name}: ${error}\n`,
  )
  const rows = sources.map((source) => {
    const text = source.text
    const all = {
      l: (text.match(/\n/g) ?? []).length,
      w: text.split(/\s+/).filter(Boolean).length,
      m: [...text].length,
      c: utf8Length(text),
      L: Math.max(0, ...splitLines(text).map((line) => [...line.replace(/\n$/, '')].length)),
    }
    return { name: source.name, values: columns.map((letter) => all[letter]) }
  })
  if (rows.length > 1)
    rows.push({
      name: 'total',
      values: columns.map((letter, index) => {
        const values = rows.map((row) => row.values[index] ?? 0)
        return letter === 'L' ? Math.max(...values) : values.reduce((a, b) => a + b, 0)
      }),
    })
  // One count of one input is printed bare; otherwise every count is %9u.
  const bare = columns.length === 1 && parsed.operands.length <= 1
  const stdout = rows
    .map((row) => {
      const numbers = row.values
        .map((value, index) => (bare && index === 0 ? String(value) : String(value).padStart(9)))
        .join(' ')
      return parsed.operands.length === 0 ? `${numbers}\n` : `${numbers} ${row.name}\n`
    })
    .join('')
  return { stdout, stderr, exitCode: stderr ? 1 : 0 }
}
