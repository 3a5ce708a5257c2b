/**
 * POSIX regular expressions, basic (grep) and extended (grep -E), with GNU's extensions
 * (`\|`, `\+`, `\?`, `\<`, `\>`, `\w`, `\s`, `\b`, back-references), rewritten as JavaScript
 * source. Errors use GNU regex's wording.
 */
export class RegexSyntaxError extends Error {}

/**
 * A repeated group that itself repeats or alternates (`(a*)*`, `\(a\|ab\)*`): GNU's matcher is
 * an automaton, JavaScript's backtracks and can take exponential time on such a pattern.
 */
export class NestedRepetitionError extends Error {}

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: '0-9a-zA-Z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
}

/** Escapes that mean the same in GNU regex and in JavaScript. */
const SHARED_ESCAPES = new Set(['w', 'W', 's', 'S', 'b', 'B'])

const literal = (ch: string): string => ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')

/** A bracket expression starting at `pattern[start]` (`[`): its JavaScript class and where it ends. */
function bracket(pattern: string, start: number): { source: string; end: number } {
  let i = start + 1
  let source = '['
  if (pattern[i] === '^') {
    source += '^'
    i++
  }
  let first = true
  for (; i < pattern.length; i++) {
    const ch = pattern[i] as string
    if (ch === ']' && !first) return { source: `${source}]`, end: i }
    first = false
    if (
      ch === '[' &&
      (pattern[i + 1] === ':' || pattern[i + 1] === '.' || pattern[i + 1] === '=')
    ) {
      const kind = pattern[i + 1] as string
      const close = pattern.indexOf(`${kind}]`, i + 2)
      if (close < 0) break
      const name = pattern.slice(i + 2, close)
      if (kind === ':') {
        const members = CLASSES[name]
        if (members === undefined) throw new RegexSyntaxError('Invalid character class name')
        source += members
      } else source += [...name].map((c) => `\\${c}`).join('')
      i = close + 1
    } else if (ch === '-') source += '-'
    else source += /[\\\]^[]/.test(ch) ? `\\${ch}` : ch
  }
  throw new RegexSyntaxError('Unmatched [, [^, [:, [., or [=')
}

/** `{m}`, `{m,}`, `{,n}`, `{m,n}` at `pattern[start]` (after `{` or `\{`), closed by `close`. */
function interval(
  pattern: string,
  start: number,
  close: string,
): { source: string; end: number } | undefined {
  const end = pattern.indexOf(close, start)
  if (end < 0) return undefined
  const match = /^(\d*)(,?)(\d*)$/.exec(pattern.slice(start, end))
  if (!match || (match[1] === '' && match[3] === '' && match[2] === '')) return undefined
  const [, min = '', comma, max = ''] = match
  if (max !== '' && Number(max) < Number(min || 0)) return undefined
  return { source: `{${min || '0'}${comma}${max}}`, end: end + close.length - 1 }
}

/** The JavaScript source of a POSIX basic (`extended = false`) or extended regular expression. */
export function posixToJs(pattern: string, extended: boolean): string {
  let out = ''
  let groups = 0
  // Where `*` is a literal and `^` an anchor: the start of the expression, a group or an alternative.
  let atStart = true
  // GNU reads `a**` as `a*`; JavaScript refuses a quantifier on a quantifier.
  let starred = false
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string
    const wasStart: boolean = atStart
    const wasStarred: boolean = starred
    atStart = false
    starred = false
    if (ch === '\\') {
      const next = pattern[++i]
      if (next === undefined) throw new RegexSyntaxError('Trailing backslash')
      if (!extended && next === '(') {
        out += '('
        groups++
        atStart = true
      } else if (!extended && next === ')') {
        if (groups === 0) throw new RegexSyntaxError('Unmatched ) or \\)')
        out += ')'
        groups--
      } else if (!extended && next === '|') {
        out += '|'
        atStart = true
      } else if (!extended && (next === '+' || next === '?')) {
        out += wasStart ? literal(next) : next
      } else if (!extended && next === '{') {
        const found = wasStart ? undefined : interval(pattern, i + 1, '\\}')
        if (!found) throw new RegexSyntaxError('Invalid content of \\{\\}')
        out += found.source
        i = found.end
      } else if (next === '<') out += '\\b(?=\\w)'
      else if (next === '>') out += '\\b(?<=\\w)'
      else if (SHARED_ESCAPES.has(next) || /[1-9]/.test(next)) out += `\\${next}`
      else out += literal(next)
    } else if (ch === '[') {
      const found = bracket(pattern, i)
      out += found.source
      i = found.end
    } else if (ch === '.') out += '.'
    else if (ch === '*') {
      if (!wasStarred) out += wasStart ? '\\*' : '*'
      starred = wasStarred || !wasStart
    } else if (ch === '^') {
      if (extended || wasStart) {
        out += '^'
        atStart = !extended || wasStart
      } else out += '\\^'
    } else if (ch === '$') {
      const rest = pattern.slice(i + 1)
      const anchors = extended || rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|')
      out += anchors ? '$' : '\\$'
    } else if (extended && ch === '(') {
      out += '('
      groups++
      atStart = true
    } else if (extended && ch === ')' && groups > 0) {
      out += ')'
      groups--
    } else if (extended && ch === '|') {
      out += '|'
      atStart = true
    } else if (extended && (ch === '+' || ch === '?')) out += wasStart ? literal(ch) : ch
    else if (extended && ch === '{') {
      const found = wasStart ? undefined : interval(pattern, i + 1, '}')
      if (found) {
        out += found.source
        i = found.end
      } else out += '\\{'
    } else out += literal(ch)
  }
  if (groups > 0) throw new RegexSyntaxError('Unmatched ( or \\(')
  checkRepetition(out)
  return out
}

/** Refuses a repeated group whose body repeats or alternates, in the JavaScript source posixToJs made. */
function checkRepetition(source: string): void {
  const open: { risky: boolean }[] = []
  let closedRisky = false
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string
    const afterRiskyGroup = closedRisky
    closedRisky = false
    if (ch === '\\') i++
    else if (ch === '[') {
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1
    } else if (ch === '(') {
      open.push({ risky: false })
      const lookaround = /^\?(<?[=!]|:)/.exec(source.slice(i + 1))
      if (lookaround) i += lookaround[0].length
    } else if (ch === ')') closedRisky = open.pop()?.risky ?? false
    else if (ch === '|') {
      const group = open.at(-1)
      if (group) group.risky = true
    } else if (ch === '*' || ch === '+' || ch === '?' || ch === '{') {
      const bounds = ch === '{' ? /^\{(\d+)(,?)(\d*)\}/.exec(source.slice(i)) : undefined
      if (bounds) i += bounds[0].length - 1
      // A fixed count (`{3}`) matches one way; anything else gives the group a choice.
      const fixed = bounds !== undefined && bounds !== null && bounds[2] === ''
      const repeats = ch !== '?' && (!bounds || bounds[2] === ',' || Number(bounds[1]) > 1)
      if (repeats && afterRiskyGroup) throw new NestedRepetitionError()
      if (!fixed) for (const group of open) group.risky = true
    }
  }
}
