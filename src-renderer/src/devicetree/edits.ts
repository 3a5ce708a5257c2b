import type { DeviceTree, DtNode, DtProperty } from '@hardware/devicetree'

/**
 * Edits of a devicetree that leave the old tree untouched (only the nodes on the way to the
 * change are copied): every version can sit on the undo stack at the cost of a path.
 * Nodes are addressed by path, `/` for the root.
 */
export type NodePath = string

export class EditError extends Error {}

export function childPath(parent: NodePath, name: string): NodePath {
  return parent === '/' ? `/${name}` : `${parent}/${name}`
}

export function parentPath(path: NodePath): NodePath {
  const slash = path.lastIndexOf('/')
  return slash <= 0 ? '/' : path.slice(0, slash)
}

export function nodeAt(tree: DeviceTree, path: NodePath): DtNode | undefined {
  let node: DtNode | undefined = tree.root
  for (const name of path.split('/')) {
    if (name === '' || !node) continue
    node = node.children.find((child) => child.name === name)
  }
  return node
}

function update(tree: DeviceTree, path: NodePath, change: (node: DtNode) => DtNode): DeviceTree {
  const names = path.split('/').filter(Boolean)
  const visit = (node: DtNode, depth: number): DtNode => {
    if (depth === names.length) return change(node)
    const index = node.children.findIndex((child) => child.name === names[depth])
    if (index === -1) throw new EditError(`no node ${path}`)
    const children = node.children.slice()
    children[index] = visit(children[index] as DtNode, depth + 1)
    return { ...node, children }
  }
  return { ...tree, root: visit(tree.root, 0) }
}

const NAME = /^[a-zA-Z0-9,._+*#?@-]+$/

function checkName(name: string, what: string): void {
  if (!NAME.test(name)) {
    throw new EditError(
      `"${name}" is not a valid ${what} name (letters, digits and , . _ + * # ? @ -)`,
    )
  }
}

export function setProperty(
  tree: DeviceTree,
  path: NodePath,
  name: string,
  value: Uint8Array,
): DeviceTree {
  checkName(name, 'property')
  return update(tree, path, (node) => {
    const properties = node.properties.slice()
    const index = properties.findIndex((property) => property.name === name)
    const property: DtProperty = { name, value }
    if (index === -1) properties.push(property)
    else properties[index] = property
    return { ...node, properties }
  })
}

export function addProperty(tree: DeviceTree, path: NodePath, name: string): DeviceTree {
  if (nodeAt(tree, path)?.properties.some((property) => property.name === name))
    throw new EditError(`${path} has a property ${name} already`)
  return setProperty(tree, path, name, new Uint8Array())
}

export function removeProperty(tree: DeviceTree, path: NodePath, name: string): DeviceTree {
  return update(tree, path, (node) => ({
    ...node,
    properties: node.properties.filter((property) => property.name !== name),
  }))
}

export function renameProperty(
  tree: DeviceTree,
  path: NodePath,
  from: string,
  to: string,
): DeviceTree {
  checkName(to, 'property')
  return update(tree, path, (node) => {
    if (node.properties.some((property) => property.name === to))
      throw new EditError(`${path} has a property ${to} already`)
    return {
      ...node,
      properties: node.properties.map((property) =>
        property.name === from ? { ...property, name: to } : property,
      ),
    }
  })
}

export function addNode(tree: DeviceTree, path: NodePath, name: string): DeviceTree {
  checkName(name, 'node')
  return update(tree, path, (node) => {
    if (node.children.some((child) => child.name === name))
      throw new EditError(`${path} has a node ${name} already`)
    return { ...node, children: [...node.children, { name, properties: [], children: [] }] }
  })
}

export function removeNode(tree: DeviceTree, path: NodePath): DeviceTree {
  if (path === '/') throw new EditError('the root node cannot be removed')
  const name = path.slice(path.lastIndexOf('/') + 1)
  return update(tree, parentPath(path), (node) => ({
    ...node,
    children: node.children.filter((child) => child.name !== name),
  }))
}

export function renameNode(tree: DeviceTree, path: NodePath, to: string): DeviceTree {
  if (path === '/') throw new EditError('the root node has no name to change')
  checkName(to, 'node')
  const name = path.slice(path.lastIndexOf('/') + 1)
  return update(tree, parentPath(path), (node) => {
    if (node.children.some((child) => child.name === to))
      throw new EditError(`${parentPath(path)} has a node ${to} already`)
    return {
      ...node,
      children: node.children.map((child) =>
        child.name === name ? { ...child, name: to } : child,
      ),
    }
  })
}

/** A copy without labels or phandles (both must stay unique), named `<name>-copy[-N]@<unit>`. */
export function duplicateNode(
  tree: DeviceTree,
  path: NodePath,
): { tree: DeviceTree; path: NodePath } {
  const original = nodeAt(tree, path)
  if (!original || path === '/') throw new EditError('only a node below the root can be duplicated')
  const parent = parentPath(path)
  const siblings = nodeAt(tree, parent)?.children ?? []
  const [base, unit] = original.name.split('@') as [string, string | undefined]
  let name = ''
  for (let n = 1; !name || siblings.some((child) => child.name === name); n++) {
    name = `${base}-copy${n > 1 ? `-${n}` : ''}${unit !== undefined ? `@${unit}` : ''}`
  }
  const strip = (node: DtNode): DtNode => ({
    name: node.name,
    properties: node.properties.filter((p) => p.name !== 'phandle' && p.name !== 'linux,phandle'),
    children: node.children.map(strip),
  })
  const copy = { ...strip(original), name }
  return {
    tree: update(tree, parent, (node) => ({ ...node, children: [...node.children, copy] })),
    path: childPath(parent, name),
  }
}

/** `status = "okay"` ⇄ `"disabled"`. */
export function toggleStatus(tree: DeviceTree, path: NodePath): DeviceTree {
  const node = nodeAt(tree, path)
  const status = node?.properties.find((property) => property.name === 'status')
  const current = status ? new TextDecoder().decode(status.value).replace(/\0$/, '') : 'okay'
  const next = current === 'okay' || current === 'ok' ? 'disabled' : 'okay'
  return setProperty(tree, path, 'status', new TextEncoder().encode(`${next}\0`))
}
