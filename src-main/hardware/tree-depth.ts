import { FDT_MAX_DEPTH } from './fdt-format'

export { FDT_MAX_DEPTH }

/**
 * The deepest path of a tree (nodes, root included), without recursion, stopping as soon as it
 * passes `limit`: safe on a hostile tree of any depth, before any recursive code sees it. Works on
 * any `{children: [...]}` shape (DtNode, TreeNodeData, or JSON not validated yet).
 */
export function treeDepthExceeds(root: unknown, limit = FDT_MAX_DEPTH): boolean {
  const stack: [unknown, number][] = [[root, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (depth > limit) return true
    const children = (node as { children?: unknown } | null)?.children
    if (!Array.isArray(children)) continue
    for (const child of children) stack.push([child, depth + 1])
  }
  return false
}

export const TREE_TOO_DEEP = `the tree nests nodes more than ${FDT_MAX_DEPTH} deep (the devicetree format's limit)`
