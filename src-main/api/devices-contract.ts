/**
 * A boot's devices as the API shows them: state, match, fw_devlink links, resources, and the
 * supplier graph drawn from them.
 */
export type DeviceState = 'no-driver' | 'bound' | 'deferred' | 'failed'

export interface DeviceLinkInfo {
  device: string
  property: string
  relaxed: boolean
}

/** Which driver of the build matches a device, and how it gets into the kernel (as `modlab devices` says). */
export type DeviceMatchInfo =
  | { kind: 'builtin'; driver: string; module: string }
  /** Compiled into the image's *_OF_DECLARE table: it runs early, with no struct device. */
  | { kind: 'of_declare'; driver: string; module: string; table: string }
  /** The modules kmod resolves the device's modalias to. */
  | { kind: 'module'; modules: string[]; driver?: string }
  | { kind: 'none' }

export interface DeviceResourceInfo {
  /** The subsystem: clock, reset, regulator, pinctrl, iommu, power-domain, gpio, phy... */
  kind: string
  property: string
  /** The provider's node path, or `dummy` for the dummy regulator. */
  provider: string
  state: 'taken' | 'waiting' | 'dummy' | 'ignored'
}

export interface DeviceInfo {
  name: string
  bus: string
  path: string
  compatible: string[]
  /** The OF modalias udev hands to modprobe: `of:NdevT(null)Cqcom,sdm845-adsp-pas`. */
  modalias: string
  match: DeviceMatchInfo
  state: DeviceState
  driver?: string
  deferReason?: string
  errno?: number
  /** The `*_OF_DECLARE` driver that initialised its node before the driver core ran (the arch timer). */
  initializedBy?: { driver: string; table: string }
  suppliers: DeviceLinkInfo[]
  consumers: DeviceLinkInfo[]
  /** Supplier nodes that have no device: `wait for supplier`. */
  waitingFor: string[]
  /** What its last probe took, or waits for, from each provider its node names (older boots: none). */
  resources?: DeviceResourceInfo[]
  /** Why it ended the boot unbound, in words (older boots: none). */
  why?: string
  /** When the device appeared and each state it went through, by printk time. */
  history: { ns: number; state: DeviceState; detail?: string }[]
}

export type GraphNodeState = DeviceState | 'declared' | 'no-device'

export interface GraphNode {
  /** The device's name, or the node's path when no device was created for it. */
  id: string
  label: string
  path: string
  state: GraphNodeState
  driver?: string
  /** Why it is not bound, in words: the deferral reason, the errno, the report's `why`. */
  why?: string
  /** Nodes in the same strongly connected component share a cycle number. */
  cycle?: number
}

export interface GraphEdge {
  /** The supplier. */
  from: string
  /** The consumer. */
  to: string
  /** What ties them: fw_devlink properties and resources with their state. */
  via: { kind: 'link' | 'wait' | 'resource'; property: string; state: string }[]
  /** The consumer waits on this supplier (an unrelaxed link to an unbound one, a waiting resource). */
  blocking: boolean
  inCycle: boolean
}

export interface SupplierGraph {
  bootId: number
  /** Devices and supplier nodes in the whole graph, before the filter. */
  total: number
  focus?: string
  /** The graph was limited to the devices that wait and their suppliers. */
  waiting?: boolean
  nodes: GraphNode[]
  edges: GraphEdge[]
  /** How many cycles the shown nodes are part of. */
  cycles: number
  /** The filtered graph had more nodes than the limit: nodes and edges are empty, focus on one of these. */
  tooBig?: { nodes: number; suggestions: string[] }
}
