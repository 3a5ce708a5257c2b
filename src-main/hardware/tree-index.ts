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
  const all: OfNode[] = []
  const byPhandle = new Map<number, OfNode>()
  const visit = (node: DtNode, parent: OfNode | undefined): OfNode => {
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
    entry.children = node.children.map((child) => visit(child, entry))
    return entry
  }
  return { root: visit(tree.root, undefined), all, byPhandle }
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
