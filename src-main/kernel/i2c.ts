import { findProperty } from '../hardware/devicetree'
import type { Device } from './device'
import type { Kernel } from './kernel'
import { aliasId } from './of-alias'
import { unregisterDevices } from './device-del'
import { addDevices, newDevice } from './of-platform'
import { isAvailable, propertyCells, type OfNode } from './of-tree'

/** include/dt-bindings/i2c/i2c.h: flags in a child's `reg`. */
const I2C_TEN_BIT_ADDRESS = 0x8000_0000
const I2C_OWN_SLAVE_ADDRESS = 0x4000_0000
/** drivers/i2c/i2c-core-base.c:51: what i2c_encode_flags_to_addr() adds to the name's address. */
const I2C_ADDR_OFFSET_TEN_BIT = 0xa000
const I2C_ADDR_OFFSET_SLAVE = 0x1000

/** The bus numbers taken so far, per kernel (i2c_adapter_idr). */
const adapterIds = new WeakMap<Kernel, Set<number>>()

/**
 * i2c_add_adapter() (drivers/i2c/i2c-core-base.c:1658): the `i2cN` alias's number, else the lowest
 * free one from __i2c_first_dynamic_bus_num, one past the highest alias (i2c_init(), :2111).
 */
function adapterNumber(kernel: Kernel, node: OfNode): number {
  const taken = adapterIds.get(kernel) ?? new Set<number>()
  adapterIds.set(kernel, taken)
  let nr = aliasId(kernel.of, node, 'i2c')
  if (nr === undefined) {
    let highest = -1
    for (const other of kernel.of.all)
      highest = Math.max(highest, aliasId(kernel.of, other, 'i2c') ?? -1)
    for (nr = highest + 1; taken.has(nr); nr++);
  }
  taken.add(nr)
  return nr
}

/** The adapters registered so far, by their node (i2c_adapter_idr, looked up by of_node). */
const adaptersByNode = new WeakMap<Kernel, Map<OfNode, number>>()

/** of_find_i2c_adapter_by_node(): the number of the adapter registered for a node, if any. */
export function adapterOfNode(kernel: Kernel, node: OfNode): number | undefined {
  return adaptersByNode.get(kernel)?.get(node)
}

/** i2c_add_adapter() from a bound controller's probe: its node (or its `i2c-bus` child) is the adapter's. */
export function i2cAddAdapter(kernel: Kernel, controller: Device): () => void {
  const node =
    controller.of.children.find((child) => child.node.name === 'i2c-bus') ?? controller.of
  return i2cRegisterAdapter(kernel, controller, node).remove
}

/**
 * i2c_register_adapter() (drivers/i2c/i2c-core-base.c:1509) of an adapter whose node is `node`,
 * owned by `owner`'s driver, then of_i2c_register_devices() (drivers/i2c/i2c-core-of.c:85): a
 * client per available child not yet populated, typed by its first compatible without the vendor
 * (of_alias_from_compatible()) and named `<bus>-<addr %04x>` (i2c_dev_set_name(),
 * i2c-core-base.c:873). Clients match I2C drivers by compatible, then by that type against id
 * tables, and uevent with the OF modalias.
 */
export function i2cRegisterAdapter(
  kernel: Kernel,
  owner: Device,
  node: OfNode,
): { nr: number; remove: () => void } {
  const nr = adapterNumber(kernel, node)
  const adap = { bus: 'i2c', name: `i2c-${nr}`, parent: owner }
  kernel.busControllers.push(adap)
  const byNode = adaptersByNode.get(kernel) ?? new Map<OfNode, number>()
  adaptersByNode.set(kernel, byNode)
  byNode.set(node, nr)
  // dev_err(&adap->dev): the adapter's own device, which no driver binds (i2c-core-of.c:31, :105).
  const refuse = (child: OfNode, why: string) => {
    kernel.printk('err', `i2c i2c-${nr}: of_i2c: ${why} on ${child.path}`)
    kernel.printk('err', `i2c i2c-${nr}: Failed to create I2C device for ${child.path}`)
  }
  const created: Device[] = []
  for (const child of node.children) {
    if (!isAvailable(child) || kernel.populatedNodes.has(child)) continue
    const compatible = child.compatible[0]
    if (compatible === undefined) {
      refuse(child, 'modalias failure')
      continue
    }
    if (!findProperty(child.node, 'reg') || propertyCells(child, 'reg').length === 0) {
      refuse(child, 'invalid reg')
      continue
    }
    const reg = (propertyCells(child, 'reg')[0] as number) >>> 0
    let addr = reg & ~(I2C_TEN_BIT_ADDRESS | I2C_OWN_SLAVE_ADDRESS) & 0xffff
    if (reg & I2C_TEN_BIT_ADDRESS) addr |= I2C_ADDR_OFFSET_TEN_BIT
    if (reg & I2C_OWN_SLAVE_ADDRESS) addr |= I2C_ADDR_OFFSET_SLAVE
    kernel.populatedNodes.add(child)
    const device = newDevice(kernel, child, 'i2c', `${nr}-${addr.toString(16).padStart(4, '0')}`)
    device.idName = compatible.slice(compatible.indexOf(',') + 1)
    kernel.core.addDevice(device)
    kernel.uevents.add(device)
    created.push(device)
  }
  addDevices(kernel, created)
  // i2c_del_adapter() (i2c-core-base.c:1793), from devm or the driver's remove(): the clients in
  // order (i2c_deregister_clients(), :1781; i2c_unregister_device() clears OF_POPULATED, :1056),
  // the adapter's device, then its number is free again (idr_remove(), :1840).
  const remove = () => {
    unregisterDevices(kernel, created)
    kernel.busControllers.splice(kernel.busControllers.indexOf(adap), 1)
    adapterIds.get(kernel)?.delete(nr)
    byNode.delete(node)
  }
  return { nr, remove }
}
