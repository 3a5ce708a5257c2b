import type { GraphEdge, GraphNode, SupplierGraph } from '@api/contract'

/** A node as drawn: a device, a node without device, or a group of bound consumers folded into one. */
export interface ShownNode extends GraphNode {
  /** Folded devices, for a group. */
  members?: string[]
  group?: string
}

export interface ShownGraph {
  nodes: ShownNode[]
  edges: GraphEdge[]
}

/** Fewer than this many alike consumers stay as they are. */
const FOLD_FROM = 4

/**
 * Folds bound devices that consume from the same suppliers and supply nothing shown (the hundred
 * consumers of one clock controller) into one node per supplier set, unless `expanded` names it:
 * the devices a user looks for (deferred, failed, in a cycle) always stay out.
 */
export function collapseGraph(
  graph: SupplierGraph,
  expanded: ReadonlySet<string>,
  keep: ReadonlySet<string>,
): ShownGraph {
  const suppliersOf = new Map<string, string[]>()
  const supplies = new Set<string>()
  for (const edge of graph.edges) {
    suppliersOf.set(edge.to, [...(suppliersOf.get(edge.to) ?? []), edge.from])
    supplies.add(edge.from)
  }
  const groups = new Map<string, string[]>()
  for (const node of graph.nodes) {
    const foldable =
      (node.state === 'bound' || node.state === 'declared') &&
      node.cycle === undefined &&
      !supplies.has(node.id) &&
      !keep.has(node.id) &&
      suppliersOf.has(node.id)
    if (!foldable) continue
    const key = [...new Set(suppliersOf.get(node.id))].sort().join(' + ')
    groups.set(key, [...(groups.get(key) ?? []), node.id])
  }
  const folded = new Map<string, string>()
  const groupNodes: ShownNode[] = []
  for (const [key, members] of groups) {
    if (members.length < FOLD_FROM || expanded.has(key)) continue
    const id = `group:${key}`
    for (const member of members) folded.set(member, id)
    groupNodes.push({
      id,
      label: `${members.length} bound consumers`,
      path: key,
      state: 'bound',
      members,
      group: key,
    })
  }
  const nodes: ShownNode[] = [...graph.nodes.filter((node) => !folded.has(node.id)), ...groupNodes]
  const edges = new Map<string, GraphEdge>()
  for (const edge of graph.edges) {
    const from = folded.get(edge.from) ?? edge.from
    const to = folded.get(edge.to) ?? edge.to
    const key = `${from}\u0000${to}`
    const known = edges.get(key)
    if (!known) edges.set(key, { ...edge, from, to, via: [...edge.via] })
    else known.blocking ||= edge.blocking
  }
  return { nodes, edges: [...edges.values()] }
}
