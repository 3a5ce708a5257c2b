import type { DeviceTree, DtNode } from './devicetree'

/** Node path → labels: how a profile keeps its source labels beside a blob, which has none. */
export type LabelMap = Record<string, string[]>

function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`
}

export function collectLabels(tree: DeviceTree): LabelMap {
  const labels: LabelMap = {}
  const visit = (node: DtNode, path: string) => {
    if (node.labels?.length) labels[path] = [...node.labels]
    for (const child of node.children) visit(child, childPath(path, child.name))
  }
  visit(tree.root, '/')
  return labels
}

/** Puts labels back on the nodes whose paths they were stored under (paths that are gone are skipped). */
export function applyLabels(tree: DeviceTree, labels: LabelMap): DeviceTree {
  if (Object.keys(labels).length === 0) return tree
  const visit = (node: DtNode, path: string): DtNode => {
    const own = labels[path]
    const copy: DtNode = {
      ...node,
      children: node.children.map((child) => visit(child, childPath(path, child.name))),
    }
    if (own?.length) copy.labels = [...own]
    return copy
  }
  return { ...tree, root: visit(tree.root, '/') }
}
