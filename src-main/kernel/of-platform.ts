import { ambaReadPeriphid, periphidProperty } from './amba-bus'
import type { BusName, Device } from './device'
import { unregisterDevices } from './device-del'
import { fwDevlinkLinkSuppliers } from './fw-devlink'
import type { Kernel } from './kernel'
import { busId, isAvailable, type OfNode } from './of-tree'

/** of_default_bus_match_table: nodes whose children are populated too. */
const DEFAULT_BUSES = ['simple-bus', 'simple-mfd', 'isa', 'arm,amba-bus']
/** of_skipped_node_table. */
const SKIPPED = ['operating-points-v2']
/** reserved_mem_matches (drivers/of/platform.c:492): /reserved-memory nodes that get a device. */
const RESERVED_MEM_MATCHES = [
  'phram',
  'qcom,rmtfs-mem',
  'qcom,cmd-db',
  'qcom,smem',
  'ramoops',
  'nvmem-rmem',
  'google,open-dice',
]

/**
 * of_platform_device_create_pdata() / of_amba_device_create(): a device for an available node
 * nobody populated yet (an of_declare init marks its node OF_POPULATED).
 */
function ofDeviceCreate(kernel: Kernel, of: OfNode, created: Device[]): Device | undefined {
  if (!isAvailable(of) || kernel.initializedNodes.has(of) || kernel.populatedNodes.has(of))
    return undefined
  kernel.populatedNodes.add(of)
  const bus: BusName = of.compatible.includes('arm,primecell') ? 'amba' : 'platform'
  const device = newDevice(kernel, of, bus, busId(of))
  if (bus === 'amba') {
    device.periphid = periphidProperty(of)
    // amba_device_add() (drivers/amba/bus.c:546): an ID it cannot read yet suppresses the uevent.
    if (device.periphid === undefined) device.periphidProblem = ambaReadPeriphid(kernel, device)
  }
  kernel.core.addDevice(device)
  // device_add()'s KOBJ_ADD (drivers/base/core.c:3740), unless amba_device_add() held it back.
  if (device.periphidProblem === undefined) kernel.uevents.add(device)
  created.push(device)
  return device
}

/** A struct device not yet added, for a node of the tree. */
export function newDevice(kernel: Kernel, of: OfNode, bus: BusName, name: string): Device {
  return {
    index: kernel.core.nextDeviceIndex(),
    name,
    bus,
    of,
    state: 'no-driver',
    canMatch: false,
    suppliers: [],
    consumers: [],
    waitingFor: [],
  }
}

/** of_platform_bus_create(): the node's device, then its children's when it is a bus. */
function ofPlatformBusCreate(kernel: Kernel, of: OfNode, created: Device[]): void {
  if (of.compatible.length === 0) return
  if (of.compatible.some((c) => SKIPPED.includes(c))) return
  const device = ofDeviceCreate(kernel, of, created)
  if (!device || device.bus === 'amba') return
  if (!of.compatible.some((c) => DEFAULT_BUSES.includes(c))) return
  for (const child of of.children) ofPlatformBusCreate(kernel, child, created)
}

/**
 * of_platform_populate() of a node's children; then fw_devlink links every new device to its
 * suppliers and each is offered to the drivers registered so far.
 */
export function ofPlatformPopulate(kernel: Kernel, parent: OfNode): Device[] {
  const created: Device[] = []
  for (const child of parent.children) ofPlatformBusCreate(kernel, child, created)
  addDevices(kernel, created)
  return created
}

/**
 * devm_of_platform_populate() (drivers/of/platform.c:665) from a probe: the children appear, and
 * of_platform_depopulate() (:642) takes them down when the parent unbinds: in reverse, each bus
 * child's own children first (of_platform_device_destroy(), :609), clearing OF_POPULATED.
 */
export function devmOfPlatformPopulate(kernel: Kernel, parent: Device): () => void {
  const created = ofPlatformPopulate(kernel, parent.of)
  const destroy = (device: Device) => {
    for (const child of created) if (child.of.parent === device.of) destroy(child)
    unregisterDevices(kernel, [device])
  }
  return () => {
    for (const device of created.filter((d) => d.of.parent === parent.of).reverse()) destroy(device)
  }
}

/** The new devices' fw_devlink links, then each is offered to the drivers registered so far. */
export function addDevices(kernel: Kernel, created: Device[]): void {
  fwDevlinkLinkSuppliers(kernel, created)
  for (const device of created) kernel.core.probeNewDevice(device)
}

/**
 * of_platform_default_populate_init() (drivers/of/platform.c:503, arch_initcall_sync): the
 * reserved-memory regions some drivers bind to, /firmware's children, a simple-framebuffer under
 * /chosen, then everything else from the root.
 */
export function ofPlatformDefaultPopulateInit(kernel: Kernel): Device[] {
  const created: Device[] = []
  for (const node of kernel.of.all) {
    if (node.compatible.some((c) => RESERVED_MEM_MATCHES.includes(c)))
      ofDeviceCreate(kernel, node, created)
  }
  const root = kernel.of.root
  const firmware = root.children.find((child) => child.node.name === 'firmware')
  if (firmware) for (const child of firmware.children) ofPlatformBusCreate(kernel, child, created)
  const chosen = root.children.find((child) => child.node.name === 'chosen')
  const framebuffer = chosen?.children.find((child) =>
    child.compatible.includes('simple-framebuffer'),
  )
  if (framebuffer) ofDeviceCreate(kernel, framebuffer, created)
  for (const child of root.children) ofPlatformBusCreate(kernel, child, created)
  addDevices(kernel, created)
  return created
}
