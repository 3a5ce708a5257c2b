import type { BusName, Device, DeviceLink } from './driver-core'
import { versionAtLeast } from '../linux/version'
import { supplierRefs } from './fw-devlink'
import type { Kernel } from './kernel'
import { busId, interruptParent, isAvailable, type OfNode } from './of-tree'

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
  linkSuppliers(kernel, created)
  for (const device of created) kernel.core.probeNewDevice(device)
  return created
}

function linkSuppliers(kernel: Kernel, devices: Device[]): void {
  if (kernel.cmdline.params.get('fw_devlink') === 'off') return
  const deviceOf = new Map<OfNode, Device>()
  for (const device of kernel.core.devices) deviceOf.set(device.of, device)
  for (const consumer of devices) {
    const refs = supplierRefs(
      kernel.of,
      consumer.of,
      kernel.fwDevlinkStrict,
      interruptParent(kernel.of, consumer.of),
    )
    for (const ref of refs) {
      if (kernel.initializedNodes.has(ref.supplier)) continue
      const supplier = deviceOf.get(ref.supplier)
      if (!supplier) {
        consumer.waitingFor.push(ref)
        continue
      }
      const link: DeviceLink = { supplier, consumer, property: ref.property, relaxed: false }
      consumer.suppliers.push(link)
      supplier.consumers.push(link)
    }
  }
  relaxCycles(kernel, devices)
}

/** Links that close a dependency cycle would block every device in it: fw_devlink relaxes them. */
function relaxCycles(kernel: Kernel, devices: Device[]): void {
  // Tarjan's strongly connected components over consumer → supplier links, iteratively.
  const index = new Map<Device, number>()
  const low = new Map<Device, number>()
  const onStack = new Set<Device>()
  const stack: Device[] = []
  let counter = 0
  const components: Device[][] = []
  for (const start of devices) {
    if (index.has(start)) continue
    const work: [Device, number][] = [[start, 0]]
    index.set(start, counter)
    low.set(start, counter++)
    stack.push(start)
    onStack.add(start)
    while (work.length > 0) {
      const frame = work[work.length - 1] as [Device, number]
      const [device, next] = frame
      const link = device.suppliers[next]
      if (link) {
        frame[1] = next + 1
        const supplier = link.supplier
        if (!index.has(supplier)) {
          index.set(supplier, counter)
          low.set(supplier, counter++)
          stack.push(supplier)
          onStack.add(supplier)
          work.push([supplier, 0])
        } else if (onStack.has(supplier)) {
          low.set(device, Math.min(low.get(device) ?? 0, index.get(supplier) ?? 0))
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent[0], Math.min(low.get(parent[0]) ?? 0, low.get(device) ?? 0))
      if (low.get(device) === index.get(device)) {
        const component: Device[] = []
        let member: Device | undefined
        do {
          member = stack.pop() as Device
          onStack.delete(member)
          component.push(member)
        } while (member !== device)
        if (component.length > 1) components.push(component)
      }
    }
  }
  for (const component of components) {
    const members = new Set(component)
    for (const consumer of component.sort((a, b) => a.index - b.index)) {
      for (const link of consumer.suppliers) {
        if (!members.has(link.supplier) || link.relaxed) continue
        link.relaxed = true
        // [V3] 6.3+ says so at info level with the supplier's full path; older kernels only in dev_dbg.
        if (versionAtLeast(kernel.inputs.profile.version, 6, 3))
          kernel.devPrintk(
            'info',
            consumer,
            `Fixed dependency cycle(s) with ${link.supplier.of.path}`,
          )
        else kernel.devDbg(consumer, `Fixing up cyclic dependency with ${link.supplier.name}`)
      }
    }
  }
}
