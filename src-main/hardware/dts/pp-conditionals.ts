import {
  evaluateExpression,
  parseIntegerLiteral,
  readEscapedChar,
  signed64,
  type ExpressionToken,
} from './int-expression'
import { MacroError, NeedMoreLines, type MacroTable } from './macros'
import { tokenizeLine, type PpToken } from './pp-tokens'
import { DtsSyntaxError, type SourceLocation } from './source-text'

/**
 * Conditional compilation: `#if`/`#ifdef`/`#ifndef`/`#elif`/`#else`/`#endif` on a stack of open
 * conditionals, and `#if`'s controlling expression.
 */

/** `#if` inside `#if`: far beyond real sources, and each line checks every level. */
const MAX_CONDITIONAL_DEPTH = 256

export interface Conditional {
  /** Lines in the current branch are kept. */
  active: boolean
  /** Some branch of this #if has been taken already. */
  taken: boolean
  sawElse: boolean
  location: SourceLocation
}

/** Handles #if and its family; returns false for other directives. */
export function conditionalDirective(
  macros: MacroTable,
  name: string,
  rest: string,
  stack: Conditional[],
  location: SourceLocation,
): boolean {
  const enclosingActive = stack.slice(0, -1).every((conditional) => conditional.active)
  const top = stack[stack.length - 1]
  switch (name) {
    case 'if':
    case 'ifdef':
    case 'ifndef': {
      if (stack.length >= MAX_CONDITIONAL_DEPTH)
        throw new DtsSyntaxError(
          location,
          `#${name} nested more than ${MAX_CONDITIONAL_DEPTH} deep`,
        )
      const parentActive = stack.every((conditional) => conditional.active)
      const value = parentActive && condition(macros, name, rest, location)
      stack.push({ active: value, taken: value || !parentActive, sawElse: false, location })
      return true
    }
    case 'elif':
    case 'else': {
      if (!top || top.sawElse) {
        throw new DtsSyntaxError(location, `#${name} without #if`)
      }
      if (name === 'else') top.sawElse = true
      const value =
        !top.taken &&
        enclosingActive &&
        (name === 'else' || condition(macros, 'if', rest, location))
      top.active = value
      top.taken ||= value
      return true
    }
    case 'endif':
      if (!stack.pop()) throw new DtsSyntaxError(location, '#endif without #if')
      return true
    default:
      return false
  }
}

function condition(
  macros: MacroTable,
  name: string,
  rest: string,
  location: SourceLocation,
): boolean {
  if (name !== 'if') {
    const macro = /^\s*([A-Za-z_]\w*)/.exec(rest)?.[1]
    if (!macro) throw new DtsSyntaxError(location, `#${name} needs a macro name`)
    return macros.has(macro) === (name === 'ifdef')
  }
  return evaluateIf(macros, rest, location) !== 0n
}

/** #if's controlling expression: `defined` answered, macros expanded, the rest evaluated as intmax_t. */
function evaluateIf(macros: MacroTable, rest: string, location: SourceLocation): bigint {
  // `defined X` and `defined(X)` are answered before any macro is expanded.
  const resolved = rest.replace(
    /\bdefined\s*(?:\(\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*))/g,
    (_, inParens?: string, bare?: string) => (macros.has((inParens ?? bare) as string) ? '1' : '0'),
  )
  let expanded: PpToken[]
  try {
    expanded = macros.expand(tokenizeLine(resolved)).filter((token) => token.kind !== 'space')
  } catch (error) {
    if (error instanceof MacroError || error instanceof NeedMoreLines)
      throw new DtsSyntaxError(location, `in #if: ${error.message || 'unterminated macro call'}`)
    throw error
  }
  const tokens: ExpressionToken[] = expanded.map((token) => {
    if (token.kind === 'ident') return { kind: 'number', value: 0n }
    if (token.kind === 'char')
      return { kind: 'number', value: BigInt(readEscapedChar(token.text, 1).value) }
    if (token.kind === 'number') {
      const value = parseIntegerLiteral(token.text)
      if (value === undefined)
        throw new DtsSyntaxError(location, `#if: '${token.text}' is not an integer`)
      return { kind: 'number', value }
    }
    return { kind: 'op', text: token.text }
  })
  if (tokens.length === 0) throw new DtsSyntaxError(location, '#if with no expression')
  let next = 0
  const end: ExpressionToken = { kind: 'end' }
  const value = evaluateExpression(
    {
      peek: () => tokens[next] ?? end,
      next: () => tokens[next++] ?? end,
      fail: (reason) => {
        throw new DtsSyntaxError(location, `#if: ${reason}`)
      },
    },
    signed64,
  )
  if (next < tokens.length) {
    const extra = tokens[next] as ExpressionToken
    throw new DtsSyntaxError(
      location,
      `#if: unexpected '${extra.kind === 'op' ? extra.text : String(extra.kind === 'number' ? extra.value : '')}' after the expression`,
    )
  }
  return value
}
