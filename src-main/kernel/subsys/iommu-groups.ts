import type { Device } from '../device'
import { dir, type FileNode } from '../kernfs/pseudo-file'
import type { Kernel } from '../kernel'
import { propertyCells, type OfNode, type OfTree } from '../of-tree'

/** How an IOMMU driver groups its devices (its iommu_ops.device_group, driver data). */
export type DeviceGroupRule = 'generic' | 'shared-stream'

/**
 * IOMMU groups: ids from 0 in allocation order (iommu_group_alloc(), drivers/iommu/iommu.c:978
 * ida_alloc), and the streams each group holds. With a `shared-stream` IOMMU a device whose stream
 * (IOMMU and specifier) is already in a group joins it; otherwise it gets a new one.
 */
class IommuGroups {
  private nextId = 0
  private readonly byStream = new Map<string, number>()
  readonly groupOf = new Map<Device, number>()

  add(device: Device, streams: readonly string[], rule: DeviceGroupRule): number {
    let id =
      rule === 'shared-stream'
        ? streams.map((stream) => this.byStream.get(stream)).find((at) => at !== undefined)
        : undefined
    id ??= this.nextId++
    for (const stream of streams) this.byStream.set(stream, id)
    this.groupOf.set(device, id)
    return id
  }
}

const GROUPS = new WeakMap<Kernel, IommuGroups>()

/** The kernel's IOMMU groups (one table per boot). */
export function iommuGroups(kernel: Kernel): IommuGroups {
  let groups = GROUPS.get(kernel)
  if (!groups) GROUPS.set(kernel, (groups = new IommuGroups()))
  return groups
}

/** The IOMMU nodes of a `<property> = <&iommu args...>` list, each with its specifier cells. */
function iommuSpecifiers(tree: OfTree, node: OfNode, property: string, cells: string) {
  const values = propertyCells(node, property)
  const specifiers: { iommu: OfNode; args: number[] }[] = []
  for (let at = 0; at < values.length;) {
    const target = tree.byPhandle.get(values[at] ?? 0)
    const count = target ? (propertyCells(target, cells)[0] ?? 0) : 0
    if (target) specifiers.push({ iommu: target, args: values.slice(at + 1, at + 1 + count) })
    at += 1 + count
  }
  return specifiers
}

/** `<iommu node>:<specifier cells>` for each entry of a `<property> = <&iommu args...>` list. */
export function iommuStreams(
  tree: OfTree,
  node: OfNode,
  property: string,
  cells: string,
): string[] {
  return iommuSpecifiers(tree, node, property, cells).map(
    ({ iommu, args }) => `${iommu.path}:${args.join(',')}`,
  )
}

/** The IOMMU nodes a device's list names, once each. */
export function iommuNodes(tree: OfTree, node: OfNode, property: string, cells: string): OfNode[] {
  return [...new Set(iommuSpecifiers(tree, node, property, cells).map(({ iommu }) => iommu))]
}

/**
 * iommu_probe_device() -> __iommu_probe_device(): a device already in a group stays there
 * (iommu.c:540, so a probe that defers later and is retried prints nothing more); otherwise it
 * joins one and dev_info() says so (iommu.c:1199) with its driver's name, or its bus's when no
 * driver is bound yet.
 */
export function iommuProbeDevice(
  kernel: Kernel,
  device: Device,
  streams: readonly string[],
  iommus: readonly OfNode[],
): void {
  const groups = iommuGroups(kernel)
  if (groups.groupOf.has(device)) return
  // iommu_init_device() holds the IOMMU driver's module for as long as the device is attached
  // (drivers/iommu/iommu.c:411): iommu_device_register() refuses modular ops without an owner
  // (iommu.c:256), so a modular IOMMU driver is always pinned by its devices.
  const drivers = iommus.map((iommu) => kernel.core.deviceOf(iommu)?.driver?.def)
  for (const driver of drivers) kernel.modules?.tryGet(driver?.module)
  // of_iommu_configure() takes the ops of the device's (first) IOMMU (iommu.c:427).
  const id = groups.add(device, streams, drivers[0]?.iommuDeviceGroup ?? 'generic')
  kernel.devPrintk('info', device, `Adding to iommu group ${id}`)
}

/**
 * /sys/kernel/iommu_groups: a directory per group, its `devices/` holding a link per member
 * (iommu_group_add_device(), drivers/iommu/iommu.c:1181 sysfs_create_link_nowarn). modlab shows the
 * members; `type` and `reserved_regions` it does not model.
 */
export function iommuGroupsFile(kernel: Kernel, path: string): FileNode | undefined {
  const match = /^\/sys\/kernel\/iommu_groups(?:\/(\d+)(?:\/(devices))?)?$/.exec(path)
  if (!match) return undefined
  const members = new Map<number, string[]>()
  for (const [device, id] of iommuGroups(kernel).groupOf)
    members.set(id, [...(members.get(id) ?? []), device.name])
  const [, id, devices] = match
  if (id === undefined) return dir(() => [...members.keys()].sort((a, b) => a - b).map(String))
  const names = members.get(Number(id))
  if (!names) return undefined
  return devices ? dir(() => [...names].sort()) : dir(() => ['devices'])
}
