import { BUSYBOX_USAGE } from './busybox-usage'
import { getopt } from './getopt'
import { NestedRepetitionError, posixToJs, RegexSyntaxError } from './posix-regex'
import { fail, type ToolResult } from './system'
import { readSources, splitLines, type FilterInput } from './text-filters'

/** busybox grep's options; the ones this shell leaves out are answered as such, not as invalid. */
const SPEC = { flags: 'HhcnlLoqvsrRiwxFEz', withValue: 'mABCef' }
const UNSUPPORTED = new Set(['r', 'R', 'z', 'A', 'B', 'C', 'f'])

/** The regular expression grep matches each line against, from its patterns and options. */
function matcher(patterns: string[], flags: Set<string>, global: boolean): RegExp {
  const alternatives = patterns.map((pattern) => {
    let source: string
    try {
      source = flags.has('F')
        ? pattern.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
        : posixToJs(pattern, flags.has('E'))
    } catch (error) {
      if (error instanceof RegexSyntaxError) throw new RegexSyntaxError(pattern)
      if (error instanceof NestedRepetitionError) throw new NestedRepetitionError(pattern)
      throw error
    }
    if (flags.has('x')) return `^(?:${source})$`
    // -w: the match must neither follow nor precede a word constituent (letter, digit, underscore).
    if (flags.has('w')) return `(?<!\\w)(?:${source})(?!\\w)`
    return `(?:${source})`
  })
  try {
    return new RegExp(alternatives.join('|'), `${flags.has('i') ? 'i' : ''}${global ? 'g' : ''}`)
  } catch {
    throw new RegexSyntaxError(patterns.join('\n'))
  }
}

/** What -o prints of one line: each non-empty match on its own line. */
function matchesOf(regex: RegExp, line: string): string[] {
  regex.lastIndex = 0
  return [...line.matchAll(regex)].map((match) => match[0]).filter(Boolean)
}

/**
 * busybox grep: basic (default), extended (`-E`) or fixed (`-F`) patterns; `-c`, `-v`, `-i`, `-w`,
 * `-x`, `-n`, `-l`, `-L`, `-o`, `-q`, `-s`, `-H`, `-h`, `-m N`, `-e PATTERN`. Exits 0 when a line
 * was selected, 1 when none, 2 on an error.
 */
export function grep(args: readonly string[], input: FilterInput): ToolResult {
  const parsed = getopt('grep', args, SPEC)
  if ('error' in parsed) return fail(`${parsed.error}\n${BUSYBOX_USAGE.grep}`, 2)
  const flags = new Set(parsed.options.map(([letter]) => letter))
  const unsupported = [...flags].find((letter) => UNSUPPORTED.has(letter))
  if (unsupported) return fail(`grep: -${unsupported} is not supported by this shell\n`, 2)
  const maxText = parsed.options.filter(([letter]) => letter === 'm').at(-1)?.[1]
  if (maxText !== undefined && !/^\d+$/.test(maxText))
    return fail(`grep: invalid number '${maxText}'\n`, 2)
  const max = maxText === undefined ? Infinity : Number(maxText)
  const operands = [...parsed.operands]
  const given = parsed.options.filter(([letter]) => letter === 'e').map(([, value]) => value ?? '')
  if (given.length === 0) {
    const pattern = operands.shift()
    if (pattern === undefined) return fail(BUSYBOX_USAGE.grep, 2)
    given.push(pattern)
  }
  let regex: RegExp
  try {
    // A pattern argument holds one pattern a line, as grep reads them.
    regex = matcher(
      given.flatMap((pattern) => pattern.split('\n')),
      flags,
      flags.has('o'),
    )
  } catch (error) {
    if (error instanceof RegexSyntaxError) return fail(`grep: bad regex '${error.message}'\n`, 2)
    if (error instanceof NestedRepetitionError)
      return fail(
        `grep: '${error.message}': a repeated group that repeats or alternates inside is not supported here (it could take exponential time)\n`,
        2,
      )
    throw error
  }
  const { sources, stderr } = readSources(operands, input, (name, error) =>
    flags.has('s') ? '' : `grep: ${name}: ${error}\n`,
  )
  const named = flags.has('H') || (operands.length > 1 && !flags.has('h'))
  const invert = flags.has('v')
  let stdout = ''
  let selected = false
  for (const source of sources) {
    const label = source.name === '-' ? '(standard input)' : source.name
    const prefix = named ? `${label}:` : ''
    let count = 0
    for (const [index, chunk] of splitLines(source.text).entries()) {
      if (count >= max) break
      const line = chunk.replace(/\n$/, '')
      regex.lastIndex = 0
      if (regex.test(line) === invert) continue
      count++
      selected = true
      if (flags.has('q')) return { stdout: '', stderr, exitCode: 0 }
      if (flags.has('c') || flags.has('l') || flags.has('L')) continue
      const number = flags.has('n') ? `${index + 1}:` : ''
      const shown = flags.has('o') && !invert ? matchesOf(regex, line) : [line]
      for (const text of shown) stdout += `${prefix}${number}${text}\n`
    }
    if (flags.has('l')) stdout += count > 0 ? `${label}\n` : ''
    else if (flags.has('L')) stdout += count === 0 ? `${label}\n` : ''
    else if (flags.has('c')) stdout += `${prefix}${count}\n`
  }
  const failedToOpen = sources.length < Math.max(1, operands.length)
  return { stdout, stderr, exitCode: failedToOpen ? 2 : selected ? 0 : 1 }
}
