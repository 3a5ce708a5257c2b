import {
  evaluateExpression,
  readEscapedChar,
  unsigned64,
  type ExpressionToken,
} from './int-expression'
import type { DtsLexer, Mark } from './lexer'
import {
  deleteNode,
  mergeNodes,
  newNode,
  NO_LABELS,
  nodeByReference,
  pathOf,
  type ParsedNode,
  type ParsedProperty,
  type PropertyValue,
  type ValuePart,
} from './parsed-tree'
import type { SourceLocation } from './source-text'
import { FDT_MAX_DEPTH } from '../tree-depth'

const REFERENCE = /&(?:([a-zA-Z_][a-zA-Z0-9_]*)|\{([a-zA-Z0-9,._+*#?@/-]*)\})/y
const LITERAL = /([0-9]+|0[xX][0-9a-fA-F]+)(?:U|L|UL|LL|ULL)?(?![\w])/y
const CHAR_LITERAL = /'((?:[^'\\]|\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.))+)'/y
const STRING = /"((?:[^"\\]|\\[^])*)"/y
const BYTE = /[0-9a-fA-F]{2}/y
/** The root node's `/`, told apart from keywords such as `/delete-node/`. */
const ROOT = /\/(?=\s*\{)/y
const OPERATOR = /<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>?:()]/y

export interface ParsedSource {
  root: ParsedNode
  memoryReservations: { address: bigint; size: bigint }[]
  /** Where a mark the tree holds points, for an error about it. */
  locate(mark: Mark): SourceLocation
}

/** The value of a property without one (or of a delete marker): shared, never pushed to. */
const NO_PARTS: PropertyValue = Object.freeze([])

/** Cells as they are read, before they become a value's bytes: grown as needed, reused. */
let cellBytes = new Uint8Array(1024)

/** dtc's grammar (dtc-parser.y) for `/dts-v1/` sources, building the tree as it reads. */
export class DtsParser {
  private root?: ParsedNode
  /** Where the expression token read last starts, for errors about it. */
  private lastExpressionToken?: Mark
  /** A value's parts as they are read; each value keeps an exact-size copy. */
  private readonly parts: ValuePart[] = []
  /**
   * The properties of the node bodies open, innermost last: each body takes an exact-size copy
   * of its own when it closes (a list grown by push keeps room for 17).
   */
  private readonly properties: ParsedProperty[] = []

  constructor(private readonly lexer: DtsLexer) {}

  parse(): ParsedSource {
    const lexer: DtsLexer = this.lexer
    if (!lexer.accept('/dts-v1/')) {
      lexer.fail(`expected /dts-v1/; at the start of the source, found '${lexer.upcoming()}'`)
    }
    lexer.expect(';', "';' after /dts-v1/")
    for (;;) {
      if (lexer.accept('/dts-v1/')) lexer.expect(';', "';' after /dts-v1/")
      else if (lexer.accept('/plugin/')) lexer.fail('overlays (/plugin/) are not supported')
      else break
    }
    const memoryReservations: ParsedSource['memoryReservations'] = []
    for (;;) {
      this.labelsHere()
      if (!lexer.accept('/memreserve/')) break
      const address = this.integer(64)
      const size = this.integer(64)
      lexer.expect(';', "';' after /memreserve/ ADDRESS SIZE")
      memoryReservations.push({ address, size })
    }
    while (!lexer.atEnd()) this.topLevel()
    if (!this.root) lexer.fail('the source has no root node (/ { ... };)')
    return { root: this.root, memoryReservations, locate: (mark) => lexer.locate(mark) }
  }

  private topLevel(): void {
    const lexer: DtsLexer = this.lexer
    const labels = this.labelsHere()
    if (lexer.accept('/delete-node/')) {
      deleteNode(this.referencedNode())
      lexer.expect(';', "';' after /delete-node/ &LABEL")
    } else if (lexer.accept('/omit-if-no-ref/')) {
      this.referencedNode().omitIfNoRef = true
      lexer.expect(';', "';' after /omit-if-no-ref/ &LABEL")
    } else if (lexer.peek() === '&') {
      const target = this.referencedNode()
      // The body stands where its target does, so that messages name the target's path.
      const body = this.nodeBody(newNode(target.name, lexer.mark(), target.parent), depthOf(target))
      body.labels = labels
      mergeNodes(target, body)
    } else if (lexer.match(ROOT)) {
      const body = this.nodeBody(newNode('', lexer.mark()), 1)
      body.labels = labels
      if (this.root) mergeNodes(this.root, body)
      else this.root = body
    } else if (lexer.accept('/dts-v1/')) {
      lexer.fail('/dts-v1/ must come before any node')
    } else {
      lexer.fail(
        `expected a node (/ { ... };, &label { ... };) or /delete-node/ &label;, found '${lexer.upcoming()}'`,
      )
    }
  }

  /** `&label`, `&{/path}` or `&{label/path}` naming a node that exists now. */
  private referencedNode(): ParsedNode {
    const location = this.lexer.mark()
    const match = this.lexer.match(REFERENCE)
    if (!match) this.lexer.fail(`expected &label or &{/path}, found '${this.lexer.upcoming()}'`)
    const target = match[1] ?? (match[2] as string)
    const node = this.root && nodeByReference(this.root, target)
    if (!node) this.lexer.fail(`label or path ${target} not found`, location)
    return node
  }

  /** Labels before a node or property: NO_LABELS when there are none (most places). */
  private labelsHere(): string[] {
    let labels = NO_LABELS
    for (let label = this.lexer.label(); label !== undefined; label = this.lexer.label()) {
      if (labels === NO_LABELS) labels = []
      labels.push(label)
    }
    return labels
  }

  /**
   * `{ properties subnodes };` read into `node`, as dtc builds a new node before merging: a
   * `/delete-property/` or `/delete-node/` here is a marker that acts when the node is merged.
   * Paths for messages are worked out from the parents only when a message is made.
   */
  private nodeBody(node: ParsedNode, depth: number): ParsedNode {
    const lexer: DtsLexer = this.lexer
    if (depth > FDT_MAX_DEPTH)
      lexer.fail(
        `${pathOf(node)}: nodes nested more than ${FDT_MAX_DEPTH} deep (the devicetree format's limit)`,
      )
    if (!lexer.accept('{')) lexer.fail(`expected '{' to open the node ${pathOf(node)}`)
    const properties = this.properties
    const first = properties.length
    let sawSubnode = false
    for (;;) {
      const at = lexer.mark()
      if (lexer.accept('}')) break
      if (lexer.atEnd()) lexer.fail(`the node ${pathOf(node)} is not closed: '};' expected`)
      let labels = this.labelsHere()
      if (lexer.accept('/delete-property/')) {
        const name = this.name('a property name after /delete-property/')
        lexer.expect(';', `';' after /delete-property/ ${name}`)
        properties.push({ name, labels: NO_LABELS, parts: NO_PARTS, deleted: true, at })
        continue
      }
      if (lexer.accept('/delete-node/')) {
        const name = this.name('a node name after /delete-node/')
        lexer.expect(';', `';' after /delete-node/ ${name}`)
        node.children.push({ ...newNode(name, at, node), deleted: true })
        sawSubnode = true
        continue
      }
      const omit = lexer.accept('/omit-if-no-ref/')
      // Only the keyword can stand between labels: without it, labelsHere has read them all.
      const more = omit ? this.labelsHere() : NO_LABELS
      if (more !== NO_LABELS) labels = labels === NO_LABELS ? more : [...labels, ...more]
      const name = this.name(undefined, node)
      const next = lexer.peek()
      if (!omit && (next === '=' || next === ';')) {
        if (sawSubnode) {
          lexer.fail(`property ${name} comes after a subnode: properties must precede subnodes`, at)
        }
        const parts = lexer.accept('=') ? this.value(name) : NO_PARTS
        if (!lexer.accept(';')) lexer.fail(`expected ';' after the property ${name}`)
        properties.push({ name, labels, parts, deleted: false, at })
        continue
      }
      if (next !== '{') lexer.fail(`expected '=', ';' or '{' after ${name}`)
      sawSubnode = true
      const child = this.nodeBody(newNode(name, at, node), depth + 1)
      child.labels = labels
      child.omitIfNoRef = omit
      node.children.push(child)
    }
    if (!lexer.accept(';')) lexer.fail(`expected ';' after the '}' closing ${pathOf(node)}`)
    node.properties = properties.slice(first)
    properties.length = first
    return node
  }

  /** A name; `what` says what was expected, or (without it) a name or the end of `node`. */
  private name(what: string | undefined, node?: ParsedNode): string {
    const name = this.lexer.name()
    if (name === undefined)
      this.lexer.fail(
        `expected ${what ?? `a property or node name, or '};' to close ${pathOf(node as ParsedNode)}`}, found '${this.lexer.upcoming()}'`,
      )
    return name
  }

  /** `"strings"`, `<cells>`, `/bits/ N <cells>`, `[bytes]` and `&refs`, separated by commas. */
  private value(name: string): PropertyValue {
    const lexer: DtsLexer = this.lexer
    const parts = this.parts
    parts.length = 0
    do {
      this.labelsHere()
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
        const match = lexer.match(REFERENCE)
        if (!match) lexer.fail(`expected &label or &{/path}, found '${lexer.upcoming()}'`)
        parts.push({ kind: 'path', target: match[1] ?? (match[2] as string), at })
      } else if (lexer.accept('/incbin/')) lexer.fail('/incbin/ is not supported', at)
      else
        lexer.fail(
          `expected a value for ${name}: "string", <cells>, [bytes] or &label; found '${lexer.upcoming()}'`,
        )
      this.labelsHere()
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
      this.labelsHere()
      if (lexer.accept('>')) break
      if (lexer.peek() === '&') {
        const at = lexer.mark()
        if (bits !== 32)
          lexer.fail(`only 32-bit cells can hold references, these are /bits/ ${bits}`)
        const match = lexer.match(REFERENCE)
        if (!match) lexer.fail(`expected &label or &{/path}, found '${lexer.upcoming()}'`)
        if (length > 0) parts.push(cellBytes.slice(0, length))
        length = 0
        parts.push({ kind: 'phandle', target: match[1] ?? (match[2] as string), at })
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
    const bytes: number[] = []
    for (;;) {
      this.labelsHere()
      if (this.lexer.accept(']')) return Uint8Array.from(bytes)
      const pair = this.lexer.match(BYTE)
      if (!pair)
        this.lexer.fail(
          `expected two hex digits or ']' in the byte string, found '${this.lexer.upcoming()}'`,
        )
      bytes.push(parseInt(pair[0], 16))
    }
  }

  /** An integer that must fit in `bits` (negative values fit if they sign-extend). */
  private integer(bits: number): bigint {
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

function depthOf(node: ParsedNode): number {
  let depth = 1
  for (let at = node.parent; at; at = at.parent) depth++
  return depth
}
