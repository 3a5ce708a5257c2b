import {
  evaluateExpression,
  readEscapedChar,
  unsigned64,
  type ExpressionToken,
} from './int-expression'
import type { DtsLexer, Mark } from './lexer'
import type { PropertyValue, ValuePart } from './parsed-tree'

const REFERENCE = /&(?:([a-zA-Z_][a-zA-Z0-9_]*)|\{([a-zA-Z0-9,._+*#?@/-]*)\})/y
const LITERAL = /([0-9]+|0[xX][0-9a-fA-F]+)(?:U|L|UL|LL|ULL)?(?![\w])/y
const CHAR_LITERAL = /'((?:[^'\\]|\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.))+)'/y
const STRING = /"((?:[^"\\]|\\[^])*)"/y
const BYTE = /[0-9a-fA-F]{2}/y
const OPERATOR = /<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>?:()]/y

/** Cells as they are read, before they become a value's bytes: grown as needed, reused. */
let cellBytes = new Uint8Array(1024)

/** `&label`, `&{/path}` or `&{label/path}`: the label or path it names. */
export function readReference(lexer: DtsLexer): string {
  const match = lexer.match(REFERENCE)
  if (!match) lexer.fail(`expected &label or &{/path}, found '${lexer.upcoming()}'`)
  return match[1] ?? (match[2] as string)
}

/** Labels inside a value (`< a: 1 b: 2 >`) are read and dropped. */
function skipLabels(lexer: DtsLexer): void {
  while (lexer.label() !== undefined);
}

/**
 * dtc's propdata (dtc-parser.y): a property's value, `"strings"`, `<cells>`, `/bits/ N <cells>`,
 * `[bytes]` and `&refs`, and the integers and (expressions) in cells and /memreserve/.
 */
export class PropDataReader {
  /** Where the expression token read last starts, for errors about it. */
  private lastExpressionToken?: Mark
  /** A value's parts as they are read; each value keeps an exact-size copy. */
  private readonly parts: ValuePart[] = []

  constructor(private readonly lexer: DtsLexer) {}

  /** `"strings"`, `<cells>`, `/bits/ N <cells>`, `[bytes]` and `&refs`, separated by commas. */
  value(name: string): PropertyValue {
    const lexer: DtsLexer = this.lexer
    const parts = this.parts
    parts.length = 0
    do {
      skipLabels(lexer)
      const at = lexer.mark()
      const plain = lexer.plainString()
      const text = plain ? undefined : lexer.match(STRING)
      if (plain) parts.push(plain)
      else if (text) parts.push(stringBytes(text[1] as string))
      else if (lexer.accept('/bits/')) {
        const bits = Number(this.integerPrimary())
        if (![8, 16, 32, 64].includes(bits))
          lexer.fail(`/bits/ takes 8, 16, 32 or 64, not ${bits}`, at)
        this.cells(bits, parts)
      } else if (lexer.peek() === '<') this.cells(32, parts)
      else if (lexer.accept('[')) parts.push(this.bytes())
      else if (lexer.peek() === '&') {
        parts.push({ kind: 'path', target: readReference(lexer), at })
      } else if (lexer.accept('/incbin/')) lexer.fail('/incbin/ is not supported', at)
      else
        lexer.fail(
          `expected a value for ${name}: "string", <cells>, [bytes] or &label; found '${lexer.upcoming()}'`,
        )
      skipLabels(lexer)
    } while (lexer.accept(','))
    const only = parts.length === 1 ? parts[0] : undefined
    const value = only instanceof Uint8Array ? only : parts.slice()
    parts.length = 0
    return value
  }

  /** `<cells>` onto `parts`: runs of literals as one byte array each, references between them. */
  private cells(bits: number, parts: ValuePart[]): void {
    const lexer: DtsLexer = this.lexer
    lexer.expect('<', "'<' to open the cell list")
    // A nested list (a `/bits/ (expression)`) never starts while this one is open: one buffer serves.
    let length = 0
    for (;;) {
      skipLabels(lexer)
      if (lexer.accept('>')) break
      if (lexer.peek() === '&') {
        const at = lexer.mark()
        if (bits !== 32)
          lexer.fail(`only 32-bit cells can hold references, these are /bits/ ${bits}`)
        const target = readReference(lexer)
        if (length > 0) parts.push(cellBytes.slice(0, length))
        length = 0
        parts.push({ kind: 'phandle', target, at })
        continue
      }
      if (lexer.atEnd()) lexer.fail("the cell list is not closed: '>' expected")
      if (length + 8 > cellBytes.length) cellBytes = doubled(cellBytes, length)
      // Most cells are short literals: read in place, without BigInt, which the general path needs.
      const cell = bits === 32 ? lexer.smallCell() : -1
      if (cell >= 0) {
        cellBytes[length++] = cell >>> 24
        cellBytes[length++] = (cell >>> 16) & 0xff
        cellBytes[length++] = (cell >>> 8) & 0xff
        cellBytes[length++] = cell & 0xff
        continue
      }
      const value = this.integer(bits)
      for (let shift = bits - 8; shift >= 0; shift -= 8)
        cellBytes[length++] = Number((value >> BigInt(shift)) & 0xffn)
    }
    if (length > 0) parts.push(cellBytes.slice(0, length))
  }

  private bytes(): Uint8Array {
    const lexer: DtsLexer = this.lexer
    const bytes: number[] = []
    for (;;) {
      skipLabels(lexer)
      if (lexer.accept(']')) return Uint8Array.from(bytes)
      const pair = lexer.match(BYTE)
      if (!pair)
        lexer.fail(`expected two hex digits or ']' in the byte string, found '${lexer.upcoming()}'`)
      bytes.push(parseInt(pair[0], 16))
    }
  }

  /** An integer that must fit in `bits` (negative values fit if they sign-extend). */
  integer(bits: number): bigint {
    const location = this.lexer.mark()
    const value = this.integerPrimary()
    if (bits < 64) {
      const mask = (1n << BigInt(bits)) - 1n
      if (value > mask && (value | mask) !== 0xffff_ffff_ffff_ffffn) {
        this.lexer.fail(
          `integer value 0x${value.toString(16)} is out of range for ${bits} bits`,
          location,
        )
      }
      return value & mask
    }
    return value
  }

  /** A literal, a 'c' character or a (parenthesised expression), as dtc's integer_prim. */
  private integerPrimary(): bigint {
    const lexer: DtsLexer = this.lexer
    const location = lexer.mark()
    // Only a parenthesised expression: dtc reads `<1 + 2>` as three cells, and `>` closes the list.
    if (lexer.accept('(')) {
      const value = evaluateExpression(
        {
          peek: () => this.expressionToken(false),
          next: () => this.expressionToken(true),
          fail: (reason) => lexer.fail(reason, this.lastExpressionToken),
        },
        unsigned64,
      )
      lexer.expect(')', "')' to close the expression")
      return value
    }
    const char = lexer.match(CHAR_LITERAL)
    if (char) {
      const { value, next } = readEscapedChar(char[1] as string, 0)
      if (next !== (char[1] as string).length)
        lexer.fail('a character literal holds one character', location)
      return BigInt(value)
    }
    const literal = lexer.match(LITERAL)
    if (!literal) lexer.fail(`expected a number, 'c' or (expression), found '${lexer.upcoming()}'`)
    return literalValue(literal[1] as string, lexer, location)
  }

  private expressionToken(consume: boolean): ExpressionToken {
    const lexer: DtsLexer = this.lexer
    const saved = lexer.save()
    const location = lexer.mark()
    let token: ExpressionToken
    const literal = lexer.match(LITERAL)
    const char = literal ? undefined : lexer.match(CHAR_LITERAL)
    if (literal)
      token = { kind: 'number', value: literalValue(literal[1] as string, lexer, location) }
    else if (char)
      token = { kind: 'number', value: BigInt(readEscapedChar(char[1] as string, 0).value) }
    else {
      const op = lexer.match(OPERATOR)
      token = op ? { kind: 'op', text: op[0] } : { kind: 'end' }
    }
    if (consume) this.lastExpressionToken = location
    else lexer.restore(saved)
    return token
  }
}

function literalValue(digits: string, lexer: DtsLexer, location: Mark): bigint {
  if (/^0[0-9]/.test(digits)) {
    if (/[89]/.test(digits)) lexer.fail(`'${digits}' is not a valid octal literal`, location)
    return BigInt(`0o${digits.slice(1)}`)
  }
  const value = BigInt(digits)
  if (value > 0xffff_ffff_ffff_ffffn)
    lexer.fail(`integer literal ${digits} does not fit in 64 bits`, location)
  return value
}

function doubled(bytes: Uint8Array, length: number): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(bytes.length * 2)
  grown.set(bytes.subarray(0, length))
  return grown
}

function stringBytes(escaped: string): Uint8Array {
  if (/^[\x20-\x5b\x5d-\x7e]*$/.test(escaped)) {
    // Printable ASCII without escapes: the common case, byte for byte.
    const plain = new Uint8Array(escaped.length + 1)
    for (let at = 0; at < escaped.length; at++) plain[at] = escaped.charCodeAt(at)
    return plain
  }
  const bytes: number[] = []
  for (let at = 0; at < escaped.length;) {
    if (escaped[at] !== '\\' && escaped.charCodeAt(at) > 0x7f) {
      const encoded = new TextEncoder().encode(escaped[at])
      bytes.push(...encoded)
      at++
      continue
    }
    const { value, next } = readEscapedChar(escaped, at)
    bytes.push(value)
    at = next
  }
  bytes.push(0)
  return Uint8Array.from(bytes)
}
