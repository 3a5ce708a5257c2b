import { tokenizeLine, type PpToken } from './pp-tokens'

export interface Macro {
  name: string
  /** Parameter names of a function-like macro; undefined for an object-like one. */
  params?: string[]
  variadic: boolean
  body: PpToken[]
}

/** Thrown when a function-like macro's arguments run past the end of the line: cpp reads on. */
export class NeedMoreLines extends Error {}

/** Why an expansion failed, with the column of the macro it was expanding. */
export class MacroError extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message)
  }
}

/** Limits that keep hostile input (self-multiplying macros) from exhausting memory. */
const MAX_TOKENS_PER_LINE = 200_000
/** And time: a parse expands at most this many tokens in all (a real board, a few thousand). */
export const MAX_EXPANDED_TOKENS = 500_000

const isSpace = (token: PpToken | undefined) => token?.kind === 'space'

function withHide(token: PpToken, hide: ReadonlySet<string>, column: number): PpToken {
  return { kind: token.kind, text: token.text, column, expanded: true, hide }
}

function trimSpaces(tokens: PpToken[]): PpToken[] {
  let start = 0
  let end = tokens.length
  while (start < end && isSpace(tokens[start])) start++
  while (end > start && isSpace(tokens[end - 1])) end--
  return tokens.slice(start, end)
}

/** `#x`: the argument's spelling as a string literal, inner whitespace collapsed to one space. */
function stringify(tokens: PpToken[]): string {
  const text = trimSpaces(tokens)
    .map((token) =>
      token.kind === 'space'
        ? ' '
        : token.kind === 'string' || token.kind === 'char'
          ? token.text.replace(/[\\"]/g, '\\$&')
          : token.text,
    )
    .join('')
  return `"${text}"`
}

/** Object-like and function-like macros with cpp's expansion rules, `#` and `##` included. */
export class MacroTable {
  private readonly macros = new Map<string, Macro>()
  private expandedTokens = 0

  define(macro: Macro): void {
    this.macros.set(macro.name, macro)
  }

  undefine(name: string): void {
    this.macros.delete(name)
  }

  has(name: string): boolean {
    return this.macros.has(name)
  }

  /** True when no macro's name appears anywhere in `text` (answered only for a few macros). */
  surelyAbsentFrom(text: string): boolean {
    if (this.macros.size > 16) return false
    for (const name of this.macros.keys()) if (text.includes(name)) return false
    return true
  }

  /** True when the text may hold a macro use (a cheap test that lets most lines skip tokenising). */
  mayExpand(text: string): boolean {
    if (this.macros.size === 0) return false
    const words = /[A-Za-z_$][\w$]*/g
    for (let match = words.exec(text); match; match = words.exec(text)) {
      if (this.macros.has(match[0])) return true
    }
    return false
  }

  /** Expands every macro use in `tokens`; throws NeedMoreLines when an argument list is still open. */
  expand(tokens: PpToken[]): PpToken[] {
    const out: PpToken[] = []
    const pending = tokens.slice().reverse()
    while (pending.length > 0) {
      const token = pending.pop() as PpToken
      const macro = token.kind === 'ident' ? this.macros.get(token.text) : undefined
      if (!macro || token.hide?.has(macro.name)) {
        out.push(token)
        continue
      }
      let hide = new Set(token.hide ?? [])
      let args: PpToken[][] = []
      if (macro.params) {
        let next = pending.length - 1
        while (next >= 0 && isSpace(pending[next])) next--
        if (pending[next]?.text !== '(') {
          out.push(token)
          continue
        }
        pending.length = next
        const { args: collected, close } = collectArguments(pending, macro)
        args = collected
        hide = new Set([...hide].filter((name) => close.hide?.has(name)))
      }
      hide.add(macro.name)
      const body = this.substitute(macro, args, token.column)
      this.expandedTokens += body.length
      if (this.expandedTokens > MAX_EXPANDED_TOKENS) {
        throw new MacroError(
          token.column,
          `macros expand to more than ${MAX_EXPANDED_TOKENS.toLocaleString('en')} tokens in all (${macro.name} multiplying?)`,
        )
      }
      for (let at = body.length - 1; at >= 0; at--) {
        pending.push(withHide(body[at] as PpToken, hide, token.column))
      }
      if (pending.length + out.length > MAX_TOKENS_PER_LINE) {
        throw new MacroError(token.column, `the expansion of ${macro.name} grows without end`)
      }
    }
    return out
  }

  private substitute(macro: Macro, args: PpToken[][], column: number): PpToken[] {
    const params = macro.params ?? []
    const argumentOf = (token: PpToken | undefined): PpToken[] | undefined => {
      if (token?.kind !== 'ident') return undefined
      if (macro.variadic && token.text === '__VA_ARGS__') return args[params.length] ?? []
      const index = params.indexOf(token.text)
      return index === -1 ? undefined : (args[index] ?? [])
    }
    const body = macro.body
    const out: PpToken[] = []
    const neighbour = (from: number, step: number) => {
      let at = from + step
      while (isSpace(body[at])) at += step
      return at
    }
    for (let at = 0; at < body.length; at++) {
      const token = body[at] as PpToken
      if (token.text === '#' && macro.params) {
        const target = neighbour(at, 1)
        const arg = argumentOf(body[target])
        if (arg) {
          out.push({ kind: 'string', text: stringify(arg), column })
          at = target
          continue
        }
      }
      if (token.text === '##') {
        while (isSpace(out[out.length - 1])) out.pop()
        const target = neighbour(at, 1)
        const right = argumentOf(body[target]) ?? (body[target] ? [body[target] as PpToken] : [])
        const rightTokens = trimSpaces(right)
        const left = out.pop()
        const pasted = tokenizeLine((left?.text ?? '') + (rightTokens[0]?.text ?? ''), column)
        out.push(...pasted, ...rightTokens.slice(1))
        at = target
        continue
      }
      const arg = argumentOf(token)
      if (arg) {
        const pastes = body[neighbour(at, 1)]?.text === '##'
        out.push(...(pastes ? trimSpaces(arg) : this.expand(arg)))
        continue
      }
      out.push(token)
    }
    return out
  }
}

/** Reads `a, (b, c), d)` off the pending stack (the `(` already taken). */
function collectArguments(pending: PpToken[], macro: Macro): { args: PpToken[][]; close: PpToken } {
  const params = macro.params ?? []
  const args: PpToken[][] = [[]]
  let depth = 1
  for (;;) {
    const token = pending.pop()
    if (!token) throw new NeedMoreLines()
    if (token.text === '(') depth++
    else if (token.text === ')' && --depth === 0) {
      if (params.length === 0 && !macro.variadic && trimSpaces(args[0] as PpToken[]).length === 0)
        args.length = 0
      const expected = params.length
      if (args.length < expected || (args.length > expected && !macro.variadic)) {
        throw new MacroError(
          token.column,
          `macro ${macro.name} takes ${expected} argument${expected === 1 ? '' : 's'}, but ${args.length} were given`,
        )
      }
      return { args: args.map(trimSpaces), close: token }
    }
    if (token.text === ',' && depth === 1 && !(macro.variadic && args.length > params.length)) {
      args.push([])
      continue
    }
    ;(args[args.length - 1] as PpToken[]).push(token)
  }
}
