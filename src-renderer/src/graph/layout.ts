import dagre from '@dagrejs/dagre'

export interface LayoutInput {
  nodes: { id: string; width: number; height: number }[]
  edges: { from: string; to: string }[]
}

export interface LayoutResult {
  width: number
  height: number
  nodes: Record<string, { x: number; y: number; width: number; height: number }>
  /** Each edge's polyline, by `from\u0000to`. */
  edges: Record<string, { x: number; y: number }[]>
}

/** dagre's layered layout, suppliers on the left and their consumers to the right. */
export function layoutGraph(input: LayoutInput): LayoutResult {
  const graph = new dagre.graphlib.Graph()
  graph.setGraph({ rankdir: 'LR', nodesep: 10, ranksep: 48, edgesep: 6, marginx: 16, marginy: 16 })
  graph.setDefaultEdgeLabel(() => ({}))
  for (const node of input.nodes) graph.setNode(node.id, { width: node.width, height: node.height })
  for (const edge of input.edges) graph.setEdge(edge.from, edge.to)
  dagre.layout(graph)
  const nodes: LayoutResult['nodes'] = {}
  for (const id of graph.nodes()) {
    const { x, y, width, height } = graph.node(id)
    nodes[id] = { x, y, width, height }
  }
  const edges: LayoutResult['edges'] = {}
  for (const edge of graph.edges())
    edges[`${edge.v}\u0000${edge.w}`] = (graph.edge(edge).points ?? []).map(
      (point: { x: number; y: number }) => ({ x: point.x, y: point.y }),
    )
  const { width = 0, height = 0 } = graph.graph()
  return { width, height, nodes, edges }
}
