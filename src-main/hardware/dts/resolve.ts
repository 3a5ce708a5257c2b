import type { DeviceTree, DtNode, DtProperty } from '../devicetree'
import type { ParsedSource } from './parser'
import { nodeByReference, pathOf, type ParsedNode, type ValueReference } from './parsed-tree'
import { DtsSyntaxError } from './source-text'

const liveChildren = (node: ParsedNode) => node.children.filter((child) => !child.deleted)
const liveProperties = (node: ParsedNode) => node.properties.filter((property) => !property.deleted)

function firstCell(node: ParsedNode, name: string): number | undefined {
  const property = node.properties.find(
    (candidate) => !candidate.deleted && candidate.name === name,
  )
  const [part] = property?.parts ?? []
  if (property?.parts.length !== 1 || !(part instanceof Uint8Array) || part.length !== 4)
    return undefined
  return new DataView(part.buffer, part.byteOffset, 4).getUint32(0)
}

/**
 * What dtc does between parsing and writing: explicit phandles first, then a phandle for every
 * node a `<&ref>` names (numbered from 1 in tree order, skipping taken numbers, with a `phandle`
 * property appended), paths for `&ref` outside cells, and `/omit-if-no-ref/` nodes nobody named
 * removed.
 */
export function resolveTree(parsed: ParsedSource): DeviceTree {
  checkDuplicates(parsed.root)
  const labels = labelOwners(parsed.root)
  const taken = new Set<number>()
  const walk = (node: ParsedNode, visit: (node: ParsedNode) => void) => {
    visit(node)
    for (const child of liveChildren(node)) walk(child, visit)
  }
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
        reference.location,
        `reference to a node that does not exist: &${reference.target.includes('/') ? `{${reference.target}}` : reference.target}`,
      )
    }
    node.referenced = true
    return node
  }
  const values = new Map<object, Uint8Array>()
  walk(parsed.root, (node) => {
    for (const property of liveProperties(node)) {
      for (const part of property.parts) {
        if (part instanceof Uint8Array || part.kind !== 'phandle') continue
        const referenced = target(part)
        if (referenced.phandle === undefined) {
          while (taken.has(nextPhandle)) nextPhandle++
          referenced.phandle = nextPhandle
          taken.add(nextPhandle)
          const cell = new Uint8Array(4)
          new DataView(cell.buffer).setUint32(0, nextPhandle)
          referenced.properties.push({
            name: 'phandle',
            labels: [],
            parts: [cell],
            deleted: false,
            location: referenced.location,
          })
        }
        const cell = new Uint8Array(4)
        new DataView(cell.buffer).setUint32(0, referenced.phandle)
        values.set(part, cell)
      }
    }
  })
  walk(parsed.root, (node) => {
    for (const property of liveProperties(node)) {
      for (const part of property.parts) {
        if (part instanceof Uint8Array || part.kind !== 'path') continue
        values.set(part, new TextEncoder().encode(`${pathOf(target(part))}\0`))
      }
    }
  })
  walk(parsed.root, (node) => {
    if (node.omitIfNoRef && !node.referenced) node.deleted = true
  })

  const build = (node: ParsedNode): DtNode => {
    const properties: DtProperty[] = liveProperties(node).map((property) => ({
      name: property.name,
      value: concat(
        property.parts.map((part) =>
          part instanceof Uint8Array ? part : (values.get(part) as Uint8Array),
        ),
      ),
    }))
    const built: DtNode = { name: node.name, properties, children: liveChildren(node).map(build) }
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
  const cpus = liveChildren(root).find((child) => child.name === 'cpus')
  const first = cpus && liveChildren(cpus)[0]
  return (first && firstCell(first, 'reg')) ?? 0
}

/** The node of every label, checked as dtc's duplicate_label check does: one label, one node. */
function labelOwners(root: ParsedNode): Map<string, ParsedNode> {
  const owners = new Map<string, ParsedNode>()
  const visit = (node: ParsedNode) => {
    for (const label of node.labels) {
      const owner = owners.get(label)
      if (owner && owner !== node) {
        throw new DtsSyntaxError(
          node.location,
          `duplicate label '${label}' on ${pathOf(node)} and ${pathOf(owner)}`,
        )
      }
      owners.set(label, node)
    }
    for (const child of liveChildren(node)) visit(child)
  }
  visit(root)
  return owners
}

/**
 * dtc's duplicate_node_names and duplicate_property_names checks. Merging never leaves
 * duplicates; a single node body that says the same name twice does.
 */
function checkDuplicates(node: ParsedNode): void {
  const where = pathOf(node)
  const properties = new Set<string>()
  for (const property of liveProperties(node)) {
    if (properties.has(property.name))
      throw new DtsSyntaxError(property.location, `duplicate property ${property.name} in ${where}`)
    properties.add(property.name)
  }
  // The first later sibling of each child's name, found in one backward pass (50,000 siblings happen).
  const later = new Map<string, ParsedNode>()
  const twins: (ParsedNode | undefined)[] = []
  for (let index = node.children.length - 1; index >= 0; index--) {
    const child = node.children[index] as ParsedNode
    twins[index] = later.get(child.name)
    later.set(child.name, child)
  }
  node.children.forEach((child, index) => {
    if (child.deleted) return
    const twin = twins[index]
    if (twin) throw new DtsSyntaxError(twin.location, `duplicate node ${child.name} in ${where}`)
    checkDuplicates(child)
  })
}
