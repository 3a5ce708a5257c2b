import type { DeviceTree, DtNode } from '../../src-main/hardware/devicetree'

/** An edit as the editor makes one: the nodes on the way to the change are copied, the rest shared. */
export function edit(tree: DeviceTree, path: string, change: (node: DtNode) => DtNode | undefined) {
  const names = path.split('/').filter(Boolean)
  const visit = (node: DtNode, depth: number): DtNode | undefined => {
    if (depth === names.length) return change(node)
    const children = node.children.flatMap((child) =>
      child.name === names[depth] ? (visit(child, depth + 1) ?? []) : [child],
    )
    return { ...node, children }
  }
  return { ...tree, root: visit(tree.root, 0) as DtNode }
}
export const setProperty = (tree: DeviceTree, path: string, name: string, value: Uint8Array) =>
  edit(tree, path, (node) => ({
    ...node,
    properties: [...node.properties.filter((p) => p.name !== name), { name, value }],
  }))

/** One 32-bit cell, big-endian, as a property value. */
export const cell = (value: number) =>
  new Uint8Array([value >>> 24, value >>> 16, value >>> 8, value])
