/**
 * C integer expressions, as `#if` lines and dtc's parenthesised cell expressions have them:
 * `?:`, `||`, `&&`, `|`, `^`, `&`, equality, relations, shifts, `+ -`, `* / %` and unary `- + ~ !`.
 */
export type ExpressionToken =
  { kind: 'number'; value: bigint } | { kind: 'op'; text: string } | { kind: 'end' }

export interface ExpressionCursor {
  peek(): ExpressionToken
  next(): ExpressionToken
  /** Throws an error at the cursor's position. */
  fail(reason: string): never
}

// Far beyond any real source; each level costs a dozen stack frames through the precedence levels.
const MAX_EXPRESSION_DEPTH = 256

const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
]

/** 64-bit arithmetic: dtc computes in uint64_t, cpp in intmax_t. */
export const unsigned64 = (value: bigint) => BigInt.asUintN(64, value)
export const signed64 = (value: bigint) => BigInt.asIntN(64, value)

export function evaluateExpression(
  cursor: ExpressionCursor,
  wrap: (value: bigint) => bigint,
): bigint {
  const isOp = (text: string) => {
    const token = cursor.peek()
    return token.kind === 'op' && token.text === text
  }
  const expect = (text: string) => {
    if (!isOp(text)) cursor.fail(`expected '${text}' in the expression`)
    cursor.next()
  }
  const truth = (value: bigint) => (value !== 0n ? 1n : 0n)

  const apply = (op: string, a: bigint, b: bigint): bigint => {
    switch (op) {
      case '||':
        return truth(a) | truth(b)
      case '&&':
        return truth(a) & truth(b)
      case '|':
        return a | b
      case '^':
        return a ^ b
      case '&':
        return a & b
      case '==':
        return a === b ? 1n : 0n
      case '!=':
        return a !== b ? 1n : 0n
      case '<':
        return a < b ? 1n : 0n
      case '>':
        return a > b ? 1n : 0n
      case '<=':
        return a <= b ? 1n : 0n
      case '>=':
        return a >= b ? 1n : 0n
      // Shift counts wrap at 64 as on the machines dtc and cpp run on; a huge one must not allocate.
      case '<<':
        return a << (BigInt.asUintN(64, b) & 63n)
      case '>>':
        return a >> (BigInt.asUintN(64, b) & 63n)
      case '+':
        return a + b
      case '-':
        return a - b
      case '*':
        return a * b
      default:
        if (b === 0n) cursor.fail('division by zero in the expression')
        return op === '/' ? a / b : a % b
    }
  }

  // `((((...))))` or `- - - ... 1` in a hostile source must end in an error, not a stack overflow.
  let depth = 0
  const nested = <T>(read: () => T): T => {
    if (++depth > MAX_EXPRESSION_DEPTH)
      cursor.fail(`the expression is nested more than ${MAX_EXPRESSION_DEPTH} deep`)
    try {
      return read()
    } finally {
      depth--
    }
  }

  const primary = (): bigint => nested(primaryOnce)
  const primaryOnce = (): bigint => {
    const token = cursor.next()
    if (token.kind === 'number') return wrap(token.value)
    if (token.kind === 'op') {
      if (token.text === '(') {
        const value = ternary()
        expect(')')
        return value
      }
      if (token.text === '-') return wrap(-primary())
      if (token.text === '+') return primary()
      if (token.text === '~') return wrap(~primary())
      if (token.text === '!') return primary() === 0n ? 1n : 0n
    }
    return cursor.fail(
      token.kind === 'end'
        ? 'the expression ends too early'
        : `unexpected '${token.text}' in the expression`,
    )
  }

  const binary = (level: number): bigint => {
    if (level === BINARY_LEVELS.length) return primary()
    let value = binary(level + 1)
    for (;;) {
      const token = cursor.peek()
      if (token.kind !== 'op' || !BINARY_LEVELS[level]?.includes(token.text)) return value
      cursor.next()
      value = wrap(apply(token.text, value, binary(level + 1)))
    }
  }

  const ternary = (): bigint => nested(ternaryOnce)
  const ternaryOnce = (): bigint => {
    const condition = binary(0)
    if (!isOp('?')) return condition
    cursor.next()
    const whenTrue = ternary()
    expect(':')
    const whenFalse = ternary()
    return condition !== 0n ? whenTrue : whenFalse
  }

  return ternary()
}

/** A C integer literal (decimal, 0x hex, leading-0 octal, U/L suffixes), or undefined when it is not one. */
export function parseIntegerLiteral(text: string): bigint | undefined {
  const match = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU])$/.exec(
    text,
  )
  if (!match) return undefined
  const digits = match[1] as string
  if (digits.length > 1 && digits[0] === '0' && !/[xX]/.test(digits))
    return BigInt(`0o${digits.slice(1)}`)
  return BigInt(digits)
}

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  '\\': 92,
  "'": 39,
  '"': 34,
  '?': 63,
}

/**
 * Reads one possibly escaped character of a C string or character literal at `text[at]`;
 * returns its byte value and where the next character starts.
 */
export function readEscapedChar(text: string, at: number): { value: number; next: number } {
  if (text[at] !== '\\') return { value: text.charCodeAt(at), next: at + 1 }
  const letter = text[at + 1] ?? ''
  if (letter in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[letter] as number, next: at + 2 }
  if (letter === 'x') {
    const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(at + 2, at + 4))?.[0]
    if (hex) return { value: parseInt(hex, 16), next: at + 2 + hex.length }
  }
  const octal = /^[0-7]{1,3}/.exec(text.slice(at + 1, at + 4))?.[0]
  if (octal) return { value: parseInt(octal, 8) & 0xff, next: at + 1 + octal.length }
  return { value: letter.charCodeAt(0) || 92, next: at + 2 }
}
