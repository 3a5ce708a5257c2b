/** Preprocessing tokens of one logical line, as cpp splits a line before expanding macros. */
export type PpKind = 'space' | 'ident' | 'number' | 'string' | 'char' | 'punct'

export interface PpToken {
  kind: PpKind
  text: string
  /** The source column (from 1) of the token, or of the macro name whose expansion made it. */
  column: number
  /** True for tokens that came out of a macro's expansion. */
  expanded?: boolean
  /** The macros whose expansion made this token and which must not expand it again (Prosser's hide set). */
  hide?: ReadonlySet<string>
}

const TOKEN =
  /([ \t\f\v\r\n]+)|([A-Za-z_$][\w$]*)|(\.?[0-9](?:[eEpP][+-]|[\w.])*)|("(?:[^"\\]|\\.)*"?)|('(?:[^'\\\n]|\\.){1,4}')|(##|<<|>>|<=|>=|==|!=|&&|\|\||\.\.\.|[^])/y
const KINDS: PpKind[] = ['space', 'ident', 'number', 'string', 'char', 'punct']

export function tokenizeLine(text: string, firstColumn = 1): PpToken[] {
  const tokens: PpToken[] = []
  TOKEN.lastIndex = 0
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    const group = match.findIndex((value, index) => index > 0 && value !== undefined)
    tokens.push({
      kind: KINDS[group - 1] as PpKind,
      text: match[0],
      column: firstColumn + match.index,
    })
    if (TOKEN.lastIndex >= text.length) break
  }
  return tokens
}

/**
 * Blanks out `/* *\/` and `//` comments, keeping every other character (and every newline) in its
 * place so that columns still point into the original file.
 */
export function blankComments(text: string): string {
  if (!text.includes('/')) return text
  let out = ''
  let copiedUpTo = 0
  const blank = (from: number, to: number) => {
    out += text.slice(copiedUpTo, from) + text.slice(from, to).replace(/[^\n]/g, ' ')
    copiedUpTo = to
  }
  for (let at = 0; at < text.length; at++) {
    const char = text[at]
    if (char === '"') {
      at = endOfQuoted(text, at, '"')
    } else if (char === "'") {
      const literal = /'(?:[^'\\\n]|\\.){1,4}'/y
      literal.lastIndex = at
      if (literal.test(text)) at = literal.lastIndex - 1
    } else if (char === '/' && text[at + 1] === '*') {
      const close = text.indexOf('*/', at + 2)
      const end = close === -1 ? text.length : close + 2
      blank(at, end)
      at = end - 1
    } else if (char === '/' && text[at + 1] === '/') {
      const newline = text.indexOf('\n', at)
      const end = newline === -1 ? text.length : newline
      blank(at, end)
      at = end - 1
    }
  }
  return out + text.slice(copiedUpTo)
}

/** The index of the closing quote (or of the line's end, for an unterminated string). */
function endOfQuoted(text: string, open: number, quote: string): number {
  for (let at = open + 1; at < text.length; at++) {
    const char = text[at]
    if (char === '\\') at++
    else if (char === quote || char === '\n') return at
  }
  return text.length
}
