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
} from './parsed-tree'
import { PropDataReader, readReference } from './propdata'
import type { SourceLocation } from './source-text'
import { FDT_MAX_DEPTH } from '../tree-depth'

/** The root node's `/`, told apart from keywords such as `/delete-node/`. */
const ROOT = /\/(?=\s*\{)/y

export interface ParsedSource {
  root: ParsedNode
  memoryReservations: { address: bigint; size: bigint }[]
  /** Where a mark the tree holds points, for an error about it. */
  locate(mark: Mark): SourceLocation
}

/** The value of a property without one (or of a delete marker): shared, never pushed to. */
const NO_PARTS: PropertyValue = Object.freeze([])

/**
 * dtc's grammar (dtc-parser.y) for `/dts-v1/` sources, building the tree as it reads; property
 * values are propdata.ts's.
 */
export class DtsParser {
  private root?: ParsedNode
  private readonly values: PropDataReader
  /**
   * The properties of the node bodies open, innermost last: each body takes an exact-size copy
   * of its own when it closes (a list grown by push keeps room for 17).
   */
  private readonly properties: ParsedProperty[] = []

  constructor(private readonly lexer: DtsLexer) {
    this.values = new PropDataReader(lexer)
  }

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
      const address = this.values.integer(64)
      const size = this.values.integer(64)
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
    const target = readReference(this.lexer)
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
        const parts = lexer.accept('=') ? this.values.value(name) : NO_PARTS
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
}

function depthOf(node: ParsedNode): number {
  let depth = 1
  for (let at = node.parent; at; at = at.parent) depth++
  return depth
}
