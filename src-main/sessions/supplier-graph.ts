import type {
  DeviceInfo,
  GraphEdge,
  GraphNode,
  GraphNodeState,
  SupplierGraph,
} from '../api/contract'
import { ApiError } from '../api/errors'

export interface GraphRequest {
  focus?: string
  isolated: boolean
  waiting?: boolean
  limit: number
}

/** Whether a wait on this resource state keeps the consumer from probing. */
const WAITING_RESOURCE = 'waiting'

function nodeState(device: DeviceInfo): GraphNodeState {
  return device.initializedBy && device.state !== 'bound' ? 'declared' : device.state
}

function why(device: DeviceInfo): string | undefined {
  if (device.state === 'deferred') return device.deferReason ?? device.why
  if (device.state === 'failed') return device.why ?? `probe failed with error -${device.errno}`
  if (device.state === 'no-driver') return device.why
  return undefined
}

const lastComponent = (path: string) => path.slice(path.lastIndexOf('/') + 1) || path

/**
 * The whole supplier graph of a boot: every device, every supplier node without a device, and
 * one edge per supplier and consumer with what ties them (fw_devlink links, the nodes it waits
 * for, the resources its probe took or waits for). Cycles are the strongly connected components.
 */
export interface WholeGraph {
  nodes: Map<string, GraphNode>
  edges: GraphEdge[]
}

const built = new WeakMap<readonly DeviceInfo[], WholeGraph>()

/** The graph of a device list, built once per list (a shell command makes a new one). */
export function supplierGraphOf(devices: readonly DeviceInfo[]): WholeGraph {
  let graph = built.get(devices)
  if (!graph) {
    graph = supplierGraph(devices)
    built.set(devices, graph)
  }
  return graph
}

export function supplierGraph(devices: readonly DeviceInfo[]): WholeGraph {
  const nodes = new Map<string, GraphNode>()
  const byPath = new Map<string, string>()
  for (const device of devices) {
    const reason = why(device)
    nodes.set(device.name, {
      id: device.name,
      label: device.name,
      path: device.path,
      state: nodeState(device),
      ...(device.driver ? { driver: device.driver } : {}),
      ...(reason ? { why: reason } : {}),
    })
    byPath.set(device.path, device.name)
  }
  const supplierOf = (path: string): string => {
    const name = byPath.get(path)
    if (name) return name
    if (!nodes.has(path))
      nodes.set(path, { id: path, label: lastComponent(path), path, state: 'no-device' })
    return path
  }
  const edges = new Map<string, GraphEdge>()
  const edge = (from: string, to: string): GraphEdge => {
    const key = `${from}\u0000${to}`
    let found = edges.get(key)
    if (!found) {
      found = { from, to, via: [], blocking: false, inCycle: false }
      edges.set(key, found)
    }
    return found
  }
  for (const device of devices) {
    for (const link of device.suppliers) {
      const e = edge(link.device, device.name)
      const supplier = nodes.get(link.device)
      e.via.push({
        kind: 'link',
        property: link.property,
        state: link.relaxed ? 'relaxed' : 'managed',
      })
      if (!link.relaxed && supplier?.state !== 'bound' && device.state !== 'bound')
        e.blocking = true
    }
    for (const path of device.waitingFor) {
      const e = edge(supplierOf(path), device.name)
      e.via.push({ kind: 'wait', property: 'fwnode link', state: 'no device' })
      if (device.state !== 'bound') e.blocking = true
    }
    for (const use of device.resources ?? []) {
      if (use.provider === 'dummy') continue
      const from = supplierOf(use.provider)
      if (from === device.name) continue
      const e = edge(from, device.name)
      if (
        !e.via.some(
          (v) => v.kind === 'resource' && v.property === use.property && v.state === use.state,
        )
      )
        e.via.push({
          kind: 'resource',
          property: `${use.kind} (${use.property})`,
          state: use.state,
        })
      if (use.state === WAITING_RESOURCE) e.blocking = true
    }
  }
  const all = [...edges.values()]
  markCycles(nodes, all)
  return { nodes, edges: all }
}

/** Tarjan's strongly connected components: a component of two or more nodes is a cycle. */
function markCycles(nodes: Map<string, GraphNode>, edges: GraphEdge[]): void {
  const out = new Map<string, string[]>()
  for (const { from, to } of edges) out.set(from, [...(out.get(from) ?? []), to])
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  let next = 0
  let cycle = 0
  // Iterative, so that a chain of 50,000 devices does not overflow the stack.
  for (const root of nodes.keys()) {
    if (index.has(root)) continue
    const work: { id: string; child: number }[] = [{ id: root, child: 0 }]
    index.set(root, next)
    low.set(root, next++)
    stack.push(root)
    onStack.add(root)
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: string; child: number }
      const targets = out.get(frame.id) ?? []
      if (frame.child < targets.length) {
        const target = targets[frame.child++] as string
        if (!index.has(target)) {
          index.set(target, next)
          low.set(target, next++)
          stack.push(target)
          onStack.add(target)
          work.push({ id: target, child: 0 })
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(target) as number))
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent)
        low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number))
      if (low.get(frame.id) !== index.get(frame.id)) continue
      const component: string[] = []
      let member: string
      do {
        member = stack.pop() as string
        onStack.delete(member)
        component.push(member)
      } while (member !== frame.id)
      if (component.length < 2) continue
      cycle += 1
      for (const id of component) (nodes.get(id) as GraphNode).cycle = cycle
    }
  }
  for (const e of edges) {
    const a = nodes.get(e.from)?.cycle
    e.inCycle = a !== undefined && a === nodes.get(e.to)?.cycle
  }
}

/** Everything reachable from `start` along the edges, one way. */
function reachable(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set([start])
  const queue = [start]
  for (let at = 0; at < queue.length; at++) {
    for (const id of next.get(queue[at] as string) ?? []) {
      if (seen.has(id)) continue
      seen.add(id)
      queue.push(id)
    }
  }
  return seen
}

/** The graph as the Lab asks for it: one device's suppliers and consumers, or all that is linked. */
export function filterGraph(
  bootId: number,
  whole: WholeGraph,
  request: GraphRequest,
): SupplierGraph {
  let keep: Set<string>
  const suppliers = new Map<string, string[]>()
  const consumers = new Map<string, string[]>()
  for (const { from, to } of whole.edges) {
    suppliers.set(to, [...(suppliers.get(to) ?? []), from])
    consumers.set(from, [...(consumers.get(from) ?? []), to])
  }
  if (request.focus !== undefined) {
    if (!whole.nodes.has(request.focus))
      throw new ApiError('not-found', `the boot has no device or supplier node "${request.focus}"`)
    keep = new Set([...reachable(request.focus, suppliers), ...reachable(request.focus, consumers)])
  } else if (request.waiting) {
    // dev-needs for every device that did not bind because of something it waits for.
    const blocked = new Set(whole.edges.filter((e) => e.blocking).map((e) => e.to))
    keep = new Set()
    for (const node of whole.nodes.values()) {
      const waits = node.state === 'deferred' || node.state === 'failed' || node.cycle !== undefined
      if (waits || (node.state !== 'bound' && blocked.has(node.id)))
        for (const id of reachable(node.id, suppliers)) keep.add(id)
    }
  } else if (request.isolated) {
    keep = new Set(whole.nodes.keys())
  } else {
    keep = new Set(whole.edges.flatMap((e) => [e.from, e.to]))
  }
  const base = {
    bootId,
    total: whole.nodes.size,
    ...(request.focus ? { focus: request.focus } : {}),
    ...(request.waiting && !request.focus ? { waiting: true } : {}),
  }
  if (keep.size > request.limit) {
    return {
      ...base,
      nodes: [],
      edges: [],
      cycles: 0,
      tooBig: { nodes: keep.size, suggestions: suggestions(whole) },
    }
  }
  const nodes = [...whole.nodes.values()].filter((node) => keep.has(node.id))
  const edges = whole.edges.filter((e) => keep.has(e.from) && keep.has(e.to))
  const cycles = new Set(nodes.flatMap((node) => (node.cycle === undefined ? [] : [node.cycle])))
  return { ...base, nodes, edges, cycles: cycles.size }
}

/** The devices worth a look when the whole graph is too big: unbound ones waiting on something first. */
function suggestions(whole: WholeGraph): string[] {
  const blocked = new Set(whole.edges.filter((e) => e.blocking).map((e) => e.to))
  const rank = (node: GraphNode) =>
    node.cycle !== undefined ? 0 : blocked.has(node.id) ? 1 : node.state === 'failed' ? 2 : 3
  return [...whole.nodes.values()]
    .filter((node) => node.state !== 'no-device' && rank(node) < 3)
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, 20)
    .map((node) => node.id)
}
