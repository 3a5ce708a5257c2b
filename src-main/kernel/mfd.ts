import type { DriverDefinition, MfdCells } from '../catalog/driver-schema'
import type { Device } from './device'
import type { Kernel } from './kernel'
import { addDevices, newDevice } from './of-platform'
import { isAvailable, type OfNode } from './of-tree'

type MfdCell = MfdCells['sets'][number]['cells'][number]

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

/**
 * mfd_add_devices() from a bound MFD's probe (drivers/mfd/mfd-core.c:154 mfd_add_device): a
 * platform device per cell, named by the cell (`%s.%d` for a numbered id, `%s.%d.auto` for
 * PLATFORM_DEVID_AUTO, drivers/base/platform.c:669), given the parent's first available child
 * node of the cell's of_compatible that no other cell took (mfd_match_of_node_to_dev(), :110).
 * A platform device matches by that node's compatibles, then by its name (platform_match()).
 * A cell without a node has no struct device modlab can describe: it is left out.
 */
export function mfdAddDevices(kernel: Kernel, parent: Device, def: DriverDefinition): Device[] {
  const devid = def.mfd?.devid ?? 'none'
  const created: Device[] = []
  for (const cell of cellsFor(def, parent.of)) {
    if (!cell.ofCompatible) continue
    let disabled = false
    let node: OfNode | undefined
    for (const child of parent.of.children) {
      if (!child.compatible.includes(cell.ofCompatible)) continue
      // Skip 'disabled' devices (mfd-core.c:201).
      if (!isAvailable(child)) {
        disabled = true
        continue
      }
      if (kernel.mfdNodes.has(child)) continue
      node = child
      break
    }
    if (!node) {
      const id = devid === 'none' ? -1 : devid === 'auto' ? -2 : devid
      if (!disabled) kernel.printk('warning', `${cell.name}: Failed to locate of_node [id: ${id}]`)
      continue
    }
    kernel.mfdNodes.add(node)
    kernel.populatedNodes.add(node)
    const name =
      devid === 'none'
        ? cell.name
        : devid === 'auto'
          ? `${cell.name}.${kernel.idaAlloc('platform_devid')}.auto`
          : `${cell.name}.${devid}`
    const device = newDevice(kernel, node, 'platform', name)
    device.idName = cell.name
    kernel.core.addDevice(device)
    kernel.uevents.add(device)
    created.push(device)
  }
  addDevices(kernel, created)
  return created
}
