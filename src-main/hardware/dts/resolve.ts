import type { DeviceTree, DtNode, DtProperty } from '../devicetree'
import type { ParsedSource } from './parser'
import {
  nodeByReference,
  pathOf,
  type ParsedNode,
  type ParsedProperty,
  type ValueReference,
} from './parsed-tree'
import { DtsSyntaxError } from './source-text'

// The walks below loop and skip deleted items in place: a 50,000-node board would otherwise
// allocate a filtered copy of every child and property list on every walk.

function liveProperty(node: ParsedNode, name: string): ParsedProperty | undefined {
  for (const property of node.properties)
    if (!property.deleted && property.name === name) return property
  return undefined
}

function firstCell(node: ParsedNode, name: string): number | undefined {
  const property = liveProperty(node, name)
  const part = property?.parts
  if (!(part instanceof Uint8Array) || part.length !== 4) return undefined
  return (
    (((part[0] as number) << 24) |
      ((part[1] as number) << 16) |
      ((part[2] as number) << 8) |
      (part[3] as number)) >>>
    0
  )
}

/** Every live node, parents first, as dtc's for_each_child walks. */
function walk(node: ParsedNode, visit: (node: ParsedNode) => void): void {
  visit(node)
  for (const child of node.children) if (!child.deleted) walk(child, visit)
}

/** Every reference of a kind in a node's live properties. */
function eachReference(
  node: ParsedNode,
  kind: ValueReference['kind'],
  visit: (reference: ValueReference) => void,
): void {
  for (const property of node.properties) {
    if (property.deleted) continue
    if (property.parts instanceof Uint8Array) continue
    for (const part of property.parts)
      if (!(part instanceof Uint8Array) && part.kind === kind) visit(part)
  }
}

const isDeleted = (item: { deleted: boolean }) => item.deleted
const isLive = (item: { deleted: boolean }) => !item.deleted

function bigEndianCell(value: number): Uint8Array {
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff)
}

/**
 * What dtc does between parsing and writing: explicit phandles first, then a phandle for every
 * node a `<&ref>` names (numbered from 1 in tree order, skipping taken numbers, with a `phandle`
 * property appended), paths for `&ref` outside cells, and `/omit-if-no-ref/` nodes nobody named
 * removed.
 */
export function resolveTree(parsed: ParsedSource): DeviceTree {
  checkDuplicates(parsed.root, parsed.locate)
  const labels = labelOwners(parsed.root, parsed.locate)
  const taken = new Set<number>()
  walk(parsed.root, (node) => {
    const phandle = firstCell(node, 'phandle') ?? firstCell(node, 'linux,phandle')
    if (phandle !== undefined && phandle !== 0 && phandle !== 0xffffffff) {
      node.phandle = phandle
      taken.add(phandle)
    }
  })

  let nextPhandle = 1
  const target = (reference: ValueReference): ParsedNode => {
    const node = nodeByReference(parsed.root, reference.target, (label) => labels.get(label))
    if (!node) {
      throw new DtsSyntaxError(
        parsed.locate(reference.at),
        `reference to a node that does not exist: &${reference.target.includes('/') ? `{${reference.target}}` : reference.target}`,
      )
    }
    node.referenced = true
    return node
  }
  const values = new Map<object, Uint8Array>()
  const numbered = (part: ValueReference) => {
    const referenced = target(part)
    if (referenced.phandle === undefined) {
      while (taken.has(nextPhandle)) nextPhandle++
      referenced.phandle = nextPhandle
      taken.add(nextPhandle)
      referenced.properties.push({
        name: 'phandle',
        labels: [],
        parts: bigEndianCell(nextPhandle),
        deleted: false,
        at: referenced.at,
      })
    }
    values.set(part, bigEndianCell(referenced.phandle))
  }
  walk(parsed.root, (node) => eachReference(node, 'phandle', numbered))
  const pathed = (part: ValueReference) => {
    values.set(part, new TextEncoder().encode(`${pathOf(target(part))}\0`))
  }
  walk(parsed.root, (node) => eachReference(node, 'path', pathed))
  walk(parsed.root, (node) => {
    if (node.omitIfNoRef && !node.referenced) node.deleted = true
  })

  const valueOf = ({ parts }: ParsedProperty): Uint8Array =>
    parts instanceof Uint8Array
      ? parts
      : concat(
          parts.map((part) =>
            part instanceof Uint8Array ? part : (values.get(part) as Uint8Array),
          ),
        )
  // Lists of the exact size (map), the tree being the one thing the parse keeps.
  const build = (node: ParsedNode): DtNode => {
    const properties: DtProperty[] = (
      node.properties.some(isDeleted) ? node.properties.filter(isLive) : node.properties
    ).map((property) => ({ name: property.name, value: valueOf(property) }))
    const children = (
      node.children.some(isDeleted) ? node.children.filter(isLive) : node.children
    ).map(build)
    const built: DtNode = { name: node.name, properties, children }
    if (node.labels.length > 0) built.labels = [...node.labels]
    return built
  }
  const root = build(parsed.root)
  return {
    root,
    memoryReservations: parsed.memoryReservations,
    bootCpuId: guessBootCpu(parsed.root),
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** dtc's guess_boot_cpuid(): the `reg` of the first node under /cpus, when it is one cell. */
function guessBootCpu(root: ParsedNode): number {
  const cpus = root.children.find((child) => !child.deleted && child.name === 'cpus')
  const first = cpus?.children.find((child) => !child.deleted)
  return (first && firstCell(first, 'reg')) ?? 0
}

/** The node of every label, checked as dtc's duplicate_label check does: one label, one node. */
function labelOwners(root: ParsedNode, locate: ParsedSource['locate']): Map<string, ParsedNode> {
  const owners = new Map<string, ParsedNode>()
  const visit = (node: ParsedNode) => {
    for (const label of node.labels) {
      const owner = owners.get(label)
      if (owner && owner !== node) {
        throw new DtsSyntaxError(
          locate(node.at),
          `duplicate label '${label}' on ${pathOf(node)} and ${pathOf(owner)}`,
        )
      }
      owners.set(label, node)
    }
  }
  walk(root, visit)
  return owners
}

/**
 * dtc's duplicate_node_names and duplicate_property_names checks. Merging never leaves
 * duplicates; a single node body that says the same name twice does.
 */
function checkDuplicates(node: ParsedNode, locate: ParsedSource['locate']): void {
  const where = () => pathOf(node)
  const { properties, children } = node
  // A short list is searched; a long one (50,000 happen) is looked up, so the check stays linear.
  const seen = properties.length > 8 ? new Set<string>() : undefined
  for (let index = 0; index < properties.length; index++) {
    const property = properties[index] as ParsedProperty
    if (property.deleted) continue
    const { name } = property
    if (seen ? seen.has(name) : earlierLive(properties, index, name))
      throw new DtsSyntaxError(locate(property.at), `duplicate property ${name} in ${where()}`)
    seen?.add(name)
  }
  if (children.length === 0) return
  // The first later sibling of each child's name, found in one backward pass.
  const twins = children.length > 1 ? laterTwins(children) : undefined
  for (let index = 0; index < children.length; index++) {
    const child = children[index] as ParsedNode
    if (child.deleted) continue
    const twin = twins?.[index]
    if (twin)
      throw new DtsSyntaxError(locate(twin.at), `duplicate node ${child.name} in ${where()}`)
    checkDuplicates(child, locate)
  }
}

function earlierLive(properties: readonly ParsedProperty[], index: number, name: string): boolean {
  for (let at = 0; at < index; at++) {
    const property = properties[at] as ParsedProperty
    if (!property.deleted && property.name === name) return true
  }
  return false
}

function laterTwins(children: readonly ParsedNode[]): (ParsedNode | undefined)[] {
  const later = new Map<string, ParsedNode>()
  const twins: (ParsedNode | undefined)[] = new Array(children.length)
  for (let index = children.length - 1; index >= 0; index--) {
    const child = children[index] as ParsedNode
    twins[index] = later.get(child.name)
    later.set(child.name, child)
  }
  return twins
}
