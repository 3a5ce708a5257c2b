import { cells, findProperty, stringList, type DeviceTree, type DtNode } from './devicetree'

/** A devicetree node as the kernel's unflattened tree holds it: with its parent, path and phandle. */
export interface OfNode {
  node: DtNode
  parent?: OfNode
  children: OfNode[]
  /** Full path, `/` for the root. */
  path: string
  /** The name without unit address (`%pOFn`). */
  shortName: string
  compatible: string[]
  phandle?: number
}

export interface OfTree {
  root: OfNode
  all: OfNode[]
  byPhandle: Map<number, OfNode>
}

export function indexTree(tree: DeviceTree): OfTree {
  return reindexTree(undefined, tree)
}

/**
 * The index of `tree`, reusing the entries of `previous` (which it takes over) for every node an
 * edit left as it was at the same path: only the nodes an edit copied are read again.
 */
export function reindexTree(previous: OfTree | undefined, tree: DeviceTree): OfTree {
  const all: OfNode[] = []
  const byPhandle = new Map<number, OfNode>()
  const keep = (entry: OfNode) => {
    all.push(entry)
    if (entry.phandle !== undefined) byPhandle.set(entry.phandle, entry)
    for (const child of entry.children) keep(child)
  }
  const visit = (node: DtNode, parent: OfNode | undefined, old: OfNode | undefined): OfNode => {
    if (old?.node === node) {
      old.parent = parent
      keep(old)
      return old
    }
    const path = parent ? `${parent.path === '/' ? '' : parent.path}/${node.name}` : '/'
    const entry: OfNode = {
      node,
      parent,
      children: [],
      path,
      shortName: node.name.split('@')[0] ?? node.name,
      compatible: stringList(findProperty(node, 'compatible')),
    }
    const phandle = cells(findProperty(node, 'phandle') ?? findProperty(node, 'linux,phandle'))[0]
    if (phandle !== undefined) {
      entry.phandle = phandle
      byPhandle.set(phandle, entry)
    }
    all.push(entry)
    const oldChildren = new Map(old?.children.map((child) => [child.node.name, child]))
    entry.children = node.children.map((child) => visit(child, entry, oldChildren.get(child.name)))
    return entry
  }
  return { root: visit(tree.root, undefined, previous?.root), all, byPhandle }
}

export function propertyCells(of: OfNode, name: string): number[] {
  return cells(findProperty(of.node, name))
}

export function hasProperty(of: OfNode, name: string): boolean {
  return findProperty(of.node, name) !== undefined
}

/** of_device_is_available(): no status, or "okay"/"ok". */
export function isAvailable(of: OfNode): boolean {
  const status = stringList(findProperty(of.node, 'status'))[0]
  return status === undefined || status === 'okay' || status === 'ok'
}
