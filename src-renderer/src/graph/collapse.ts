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
 * Folds bound devices that supply nothing shown (the hundred consumers of one clock controller)
 * into one node under the supplier most of them share, unless `expanded` names it: the devices a
 * user looks for (deferred, failed, in a cycle, focused) always stay out.
 */
export function collapseGraph(
  graph: SupplierGraph,
  expanded: ReadonlySet<string>,
  keep: ReadonlySet<string>,
): ShownGraph {
  const suppliersOf = new Map<string, string[]>()
  const consumerCount = new Map<string, number>()
  for (const edge of graph.edges) {
    suppliersOf.set(edge.to, [...(suppliersOf.get(edge.to) ?? []), edge.from])
    consumerCount.set(edge.from, (consumerCount.get(edge.from) ?? 0) + 1)
  }
  const groups = new Map<string, string[]>()
  for (const node of graph.nodes) {
    const suppliers = suppliersOf.get(node.id)
    const foldable =
      (node.state === 'bound' || node.state === 'declared') &&
      node.cycle === undefined &&
      !consumerCount.has(node.id) &&
      !keep.has(node.id) &&
      suppliers
    if (!foldable) continue
    // The hub: the supplier with the most consumers (then by name, for a stable layout).
    const hub = [...suppliers].sort(
      (a, b) => (consumerCount.get(b) ?? 0) - (consumerCount.get(a) ?? 0) || a.localeCompare(b),
    )[0] as string
    groups.set(hub, [...(groups.get(hub) ?? []), node.id])
  }
  const folded = new Map<string, string>()
  const groupNodes: ShownNode[] = []
  for (const [hub, members] of groups) {
    if (members.length < FOLD_FROM || expanded.has(hub)) continue
    const id = `group:${hub}`
    for (const member of members) folded.set(member, id)
    groupNodes.push({
      id,
      label: `${members.length} bound consumers`,
      path: hub,
      state: 'bound',
      members,
      group: hub,
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
