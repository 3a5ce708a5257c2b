import {
  isGpioProperty,
  isPlainPhandleProperty,
  PHANDLE_WITH_ARGS,
} from '../hardware/phandle-properties'
import { versionAtLeast } from '../linux/version'
import type { Device, DeviceLink } from './device'
import type { Kernel } from './kernel'
import { interruptParent, isAvailable, propertyCells, type OfNode, type OfTree } from './of-tree'

/** A supplier named by one of the consumer node's properties. */
export interface SupplierRef {
  supplier: OfNode
  property: string
}

export type FwDevlinkMode = 'off' | 'permissive' | 'on' | 'rpm'

/** of_get_compat_node(): the nearest node, itself or up, with a compatible; none if unavailable. */
function compatNode(of: OfNode | undefined): OfNode | undefined {
  for (let node = of; node; node = node.parent) {
    if (!isAvailable(node)) return undefined
    if (node.compatible.length > 0) return node
  }
  return undefined
}

function isAncestor(ancestor: OfNode, of: OfNode): boolean {
  for (let node = of.parent; node; node = node.parent) if (node === ancestor) return true
  return false
}

export function phandleArgs(tree: OfTree, values: number[], cellsName: string): OfNode[] {
  const targets: OfNode[] = []
  for (let at = 0; at < values.length;) {
    const target = tree.byPhandle.get(values[at] ?? 0)
    if (!target) {
      at += 1
      continue
    }
    targets.push(target)
    at += 1 + (propertyCells(target, cellsName)[0] ?? 0)
  }
  return targets
}

const PHANDLE_ARGS_BY_NAME = new Map(
  PHANDLE_WITH_ARGS.map(([property, cellsName, optional]) => [property, { cellsName, optional }]),
)

/**
 * The suppliers fw_devlink links a consumer node to (drivers/of/property.c of_supplier_bindings),
 * in property order as of_link_to_suppliers() walks them. Optional bindings (iommus, dmas) only
 * count when `strict`.
 */
export function supplierRefs(
  tree: OfTree,
  consumer: OfNode,
  strict: boolean,
  interruptParent?: OfNode,
): SupplierRef[] {
  const found: SupplierRef[] = []
  const add = (target: OfNode | undefined, property: string) => {
    const supplier = compatNode(target)
    // A child is never a functional dependency of its parent; a node never supplies itself.
    if (!supplier || supplier === consumer || isAncestor(consumer, supplier)) return
    if (!found.some((ref) => ref.supplier === supplier)) found.push({ supplier, property })
  }
  for (const { name } of consumer.node.properties) {
    const withArgs = PHANDLE_ARGS_BY_NAME.get(name)
    if (withArgs) {
      if (withArgs.optional && !strict) continue
      for (const target of phandleArgs(tree, propertyCells(consumer, name), withArgs.cellsName))
        add(target, name)
    } else if (isPlainPhandleProperty(name)) {
      for (const phandle of propertyCells(consumer, name)) add(tree.byPhandle.get(phandle), name)
    } else if (isGpioProperty(name)) {
      for (const target of phandleArgs(tree, propertyCells(consumer, name), '#gpio-cells'))
        add(target, name)
    } else if (name === 'interrupts' && interruptParent) {
      add(interruptParent, name)
    }
  }
  return found
}

/**
 * fw_devlink for new devices (of_link_to_suppliers + fw_devlink_link_device): a device link to
 * each supplier that has a device, a wait for each that has none yet; cycles relaxed.
 */
export function fwDevlinkLinkSuppliers(kernel: Kernel, devices: Device[]): void {
  if (kernel.cmdline.params.get('fw_devlink') === 'off') return
  const waiters = waitersOf(kernel)
  const link = (consumer: Device, supplier: Device, property: string) => {
    const made: DeviceLink = { supplier, consumer, property, relaxed: false }
    consumer.suppliers.push(made)
    supplier.consumers.push(made)
  }
  const touched = new Set(devices)
  // __fw_devlink_link_to_consumers(): devices that waited for these nodes now link to them.
  for (const supplier of devices) {
    for (const consumer of waiters.get(supplier.of) ?? []) {
      const at = consumer.waitingFor.findIndex((ref) => ref.supplier === supplier.of)
      if (at < 0) continue
      const [ref] = consumer.waitingFor.splice(at, 1)
      link(consumer, supplier, (ref as SupplierRef).property)
      consumedOf(kernel, consumer.of).add(supplier.of)
      touched.add(consumer)
    }
    waiters.delete(supplier.of)
  }
  // __fw_devlink_link_to_suppliers(): each new device's suppliers, or a wait for their node.
  for (const consumer of devices) {
    const consumed = consumedOf(kernel, consumer.of)
    for (const ref of fwnodeSuppliers(kernel, consumer.of)) {
      if (kernel.initializedNodes.has(ref.supplier) || consumed.has(ref.supplier)) continue
      const supplier = kernel.core.deviceOf(ref.supplier)
      if (supplier) {
        link(consumer, supplier, ref.property)
        consumed.add(ref.supplier)
        continue
      }
      // A node that will only appear once this consumer probed (its child, or its own consumer):
      // the link is marked a cycle and never blocks (FWLINK_FLAG_CYCLE).
      if (dependsOn(kernel, ref.supplier, consumer.of, new Set())) {
        reportCycle(kernel, consumer, ref.supplier, ref.supplier.node.name)
        continue
      }
      consumer.waitingFor.push(ref)
      const list = waiters.get(ref.supplier) ?? []
      list.push(consumer)
      waiters.set(ref.supplier, list)
    }
  }
  relaxCycles(kernel, [...touched])
}

/**
 * The cycle fix-up's line. 6.12 prints pr_info("%pfwf: Fixed dependency cycle(s) with %pfwf")
 * (drivers/base/core.c:2209); from 6.3 a dev_info() of the consumer said it [first release of
 * each unverified]; before, only dev_dbg "Fixing up cyclic dependency with %s".
 */
function reportCycle(kernel: Kernel, consumer: Device, supplier: OfNode, supplierName: string) {
  const version = kernel.inputs.profile.version
  if (versionAtLeast(version, 6, 12))
    kernel.printk('info', `${consumer.of.path}: Fixed dependency cycle(s) with ${supplier.path}`)
  else if (versionAtLeast(version, 6, 3))
    kernel.devPrintk('info', consumer, `Fixed dependency cycle(s) with ${supplier.path}`)
  else kernel.devDbg(consumer, `Fixing up cyclic dependency with ${supplierName}`)
}

/**
 * __fw_devlink_relax_cycles() for a supplier node that has no device yet: whether it depends,
 * through its own suppliers or the device above it, on the consumer (drivers/base/core.c:2055).
 */
function dependsOn(kernel: Kernel, from: OfNode, consumer: OfNode, visited: Set<OfNode>): boolean {
  if (from === consumer) return true
  if (visited.has(from)) return false
  visited.add(from)
  for (const ref of fwnodeSuppliers(kernel, from))
    if (dependsOn(kernel, ref.supplier, consumer, visited)) return true
  let parent = from.parent
  while (parent && parent.compatible.length === 0) parent = parent.parent
  return parent?.parent !== undefined && dependsOn(kernel, parent, consumer, visited)
}

const fwnodeLinks = new WeakMap<Kernel, Map<OfNode, SupplierRef[]>>()
/** A node's fwnode links to its suppliers (of_link_to_suppliers), worked out once. */
function fwnodeSuppliers(kernel: Kernel, node: OfNode): SupplierRef[] {
  let byNode = fwnodeLinks.get(kernel)
  if (!byNode) fwnodeLinks.set(kernel, (byNode = new Map()))
  let refs = byNode.get(node)
  if (!refs) {
    refs = supplierRefs(kernel.of, node, kernel.fwDevlinkStrict, interruptParent(kernel.of, node))
    byNode.set(node, refs)
  }
  return refs
}

/**
 * The fwnode links each consumer node gave up for a device link: __fw_devlink_link_to_suppliers()
 * deletes the fwnode link once its device link exists (drivers/base/core.c:2327, :2369), so a device
 * created again for the node (its parent rebound) links only to the suppliers it still waits for.
 */
const consumedLinks = new WeakMap<Kernel, Map<OfNode, Set<OfNode>>>()
function consumedOf(kernel: Kernel, consumer: OfNode): Set<OfNode> {
  let byNode = consumedLinks.get(kernel)
  if (!byNode) consumedLinks.set(kernel, (byNode = new Map()))
  let consumed = byNode.get(consumer)
  if (!consumed) byNode.set(consumer, (consumed = new Set()))
  return consumed
}

/**
 * device_links_purge() from device_del() (drivers/base/core.c:3967): the device's links go from
 * both ends. Its node keeps the fwnode links it still waits on, for a device created for it again.
 */
export function deviceLinksPurge(kernel: Kernel, device: Device): void {
  for (const link of device.suppliers) remove(link.supplier.consumers, link)
  for (const link of device.consumers) remove(link.consumer.suppliers, link)
  device.suppliers.length = 0
  device.consumers.length = 0
  const waiters = waitersOf(kernel)
  for (const ref of device.waitingFor) remove(waiters.get(ref.supplier), device)
  device.waitingFor.length = 0
}

function remove<T>(list: T[] | undefined, item: T): void {
  const at = list?.indexOf(item) ?? -1
  if (list && at >= 0) list.splice(at, 1)
}

/** The devices waiting for a node that has no device yet (fwnode links), per kernel. */
const fwnodeWaiters = new WeakMap<Kernel, Map<OfNode, Device[]>>()
function waitersOf(kernel: Kernel): Map<OfNode, Device[]> {
  let waiters = fwnodeWaiters.get(kernel)
  if (!waiters) fwnodeWaiters.set(kernel, (waiters = new Map()))
  return waiters
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
        reportCycle(kernel, consumer, link.supplier.of, link.supplier.name)
      }
    }
  }
}

/** device_links_check_suppliers(): the reason a consumer may not probe yet, if any. */
export function deviceLinksCheckSuppliers(device: Device, linksBlock: boolean): string | undefined {
  if (!linksBlock) return undefined
  const wait = device.waitingFor[0]
  if (wait) return `wait for supplier ${wait.supplier.path}`
  const link = device.suppliers.find((l) => !l.relaxed && l.supplier.state !== 'bound')
  return link ? `supplier ${link.supplier.name} not ready` : undefined
}

/** fw_devlink_drivers_done(): links to suppliers no driver can match stop blocking. */
export function fwDevlinkDriversDone(
  devices: readonly Device[],
  devDbg: (device: Device, text: string) => void,
): void {
  for (const device of devices) {
    for (const link of device.suppliers) {
      if (!link.relaxed && !link.supplier.canMatch) {
        link.relaxed = true
        devDbg(device, `Relaxing link with ${link.supplier.name}`)
      }
    }
  }
}
