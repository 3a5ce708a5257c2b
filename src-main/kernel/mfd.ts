import type { DriverDefinition, MfdCells } from '../catalog/driver-schema'
import { unregisterDevices } from './device-del'
import type { Device } from './device'
import type { Kernel } from './kernel'
import { addDevices, newDevice } from './of-platform'
import { isAvailable, type OfNode } from './of-tree'

type MfdCell = MfdCells['sets'][number]['cells'][number]

/** PLATFORM_DEVID_NONE, PLATFORM_DEVID_AUTO (include/linux/platform_device.h). */
const DEVID_NONE = -1
const DEVID_AUTO = -2

/**
 * The cells of the match data of_match_device() picks: the driver's entry for the node's most
 * specific compatible (__of_match_node() scores earlier node compatibles higher, drivers/of/base.c).
 */
function cellsFor(def: DriverDefinition, parent: OfNode): MfdCell[] {
  const matched = parent.compatible.find((compatible) => def.compatible.includes(compatible))
  return (def.mfd?.sets ?? [])
    .filter((set) => !set.for || (matched !== undefined && set.for.includes(matched)))
    .flatMap((set) => set.cells)
}

/** The node of a cell's device: the parent's first available child of its of_compatible no other cell took. */
function cellNode(kernel: Kernel, parent: OfNode, cell: MfdCell): OfNode | 'disabled' | undefined {
  if (!cell.ofCompatible) return undefined
  let disabled = false
  for (const child of parent.children) {
    if (!child.compatible.includes(cell.ofCompatible)) continue
    // Skip 'disabled' devices (mfd-core.c:201).
    if (!isAvailable(child)) {
      disabled = true
      continue
    }
    // mfd_match_of_node_to_dev(): -EAGAIN for a node another cell took (mfd-core.c:120).
    if (kernel.mfdNodes.has(child)) continue
    return child
  }
  return disabled ? 'disabled' : undefined
}

/** A struct device with no firmware node: `of` is an empty node of its own, in no tree. */
function detachedNode(name: string): OfNode {
  return {
    node: { name, properties: [], children: [] },
    children: [],
    path: '',
    shortName: name,
    compatible: [],
  }
}

/**
 * mfd_add_devices() from a bound MFD's probe (drivers/mfd/mfd-core.c:154 mfd_add_device): a
 * platform device per cell, platform_device_alloc(cell->name, id) named `%s` for
 * PLATFORM_DEVID_NONE, `%s.%d` for a numbered id, `%s.%d.auto` for PLATFORM_DEVID_AUTO
 * (drivers/base/platform.c:667). A cell with an of_compatible takes the parent's first available
 * child node of it (mfd_match_of_node_to_dev(), :110); only a disabled one stops the cell (:221),
 * a missing one is warned about (:226) and the device is added without a node, as is a cell with
 * no of_compatible. It matches by its node's compatibles, else by name (platform_match()).
 */
export function mfdAddDevices(kernel: Kernel, parent: Device, def: DriverDefinition): () => void {
  const devid = def.mfd?.devid ?? 'none'
  const id = devid === 'none' ? DEVID_NONE : devid === 'auto' ? DEVID_AUTO : devid
  const created: Device[] = []
  const autoIds: number[] = []
  for (const cell of cellsFor(def, parent.of)) {
    const node = cellNode(kernel, parent.of, cell)
    if (node === 'disabled') continue
    // platform_id = id + cell->id, but PLATFORM_DEVID_AUTO stays (mfd-core.c:168).
    const platformId = id === DEVID_AUTO ? id : id + (cell.id ?? 0)
    if (cell.ofCompatible && !node)
      kernel.printk('warning', `${cell.name}: Failed to locate of_node [id: ${platformId}]`)
    if (node) {
      kernel.mfdNodes.add(node)
      kernel.populatedNodes.add(node)
    }
    let name = cell.name
    if (platformId === DEVID_AUTO) {
      const auto = kernel.idaAlloc('platform_devid')
      autoIds.push(auto)
      name = `${cell.name}.${auto}.auto`
    } else if (platformId !== DEVID_NONE) name = `${cell.name}.${platformId}`
    const device = newDevice(kernel, node ?? detachedNode(cell.name), 'platform', name)
    device.idName = cell.name
    device.parent = parent
    if (!node) device.noNode = true
    kernel.core.addDevice(device)
    kernel.uevents.add(device)
    created.push(device)
  }
  addDevices(kernel, created)
  // mfd_remove_devices() (mfd-core.c:402), from devm_mfd_add_devices()'s devres or the driver's
  // remove(): the cells in reverse, each node leaving mfd_of_node_list (:380); platform_device_del()
  // frees an automatic id (drivers/base/platform.c:753).
  return () => {
    for (const device of [...created].reverse()) {
      unregisterDevices(kernel, [device])
      kernel.mfdNodes.delete(device.of)
    }
    for (const auto of autoIds) kernel.idaFree('platform_devid', auto)
  }
}
