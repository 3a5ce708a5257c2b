import {
  isGpioProperty,
  isPlainPhandleProperty,
  PHANDLE_WITH_ARGS,
} from '../hardware/phandle-properties'
import { versionAtLeast } from '../linux/version'
import type { Device, DeviceLink } from './driver-core'
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
