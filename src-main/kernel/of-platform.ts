import type { BusName, Device } from './driver-core'
import { fwDevlinkLinkSuppliers } from './fw-devlink'
import type { Kernel } from './kernel'
import { busId, isAvailable, type OfNode } from './of-tree'

/** of_default_bus_match_table: nodes whose children are populated too. */
const DEFAULT_BUSES = ['simple-bus', 'simple-mfd', 'isa', 'arm,amba-bus']
/** of_skipped_node_table. */
const SKIPPED = ['operating-points-v2']

/**
 * of_platform_populate() from the root: a device per available child with a compatible (AMBA for
 * `arm,primecell`), recursing into buses; nodes an of_declare driver initialised are skipped.
 * Then fw_devlink links every new device to its suppliers.
 */
export function ofPlatformPopulate(kernel: Kernel): Device[] {
  const created: Device[] = []
  const create = (of: OfNode) => {
    if (of.compatible.length === 0) return
    if (of.compatible.some((c) => SKIPPED.includes(c))) return
    if (!isAvailable(of) || kernel.initializedNodes.has(of)) return
    const bus: BusName = of.compatible.includes('arm,primecell') ? 'amba' : 'platform'
    const device: Device = {
      index: kernel.core.devices.length,
      name: busId(of),
      bus,
      of,
      state: 'no-driver',
      canMatch: false,
      suppliers: [],
      consumers: [],
      waitingFor: [],
    }
    kernel.core.addDevice(device)
    created.push(device)
    if (bus === 'platform' && of.compatible.some((c) => DEFAULT_BUSES.includes(c))) {
      for (const child of of.children) create(child)
    }
  }
  for (const child of kernel.of.root.children) create(child)
  fwDevlinkLinkSuppliers(kernel, created)
  for (const device of created) kernel.core.probeNewDevice(device)
  return created
}
