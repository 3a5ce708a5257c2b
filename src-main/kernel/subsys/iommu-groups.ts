import type { Device } from '../driver-core'
import type { Kernel } from '../kernel'
import { propertyCells, type OfNode, type OfTree } from '../of-tree'

/**
 * IOMMU groups: ids from 0 in allocation order (iommu_group_alloc(), drivers/iommu/iommu.c:978
 * ida_alloc), and the streams each group holds. A device whose stream (IOMMU and specifier) is
 * already in a group joins it, as arm_smmu_device_group() reuses the group of a shared stream
 * map entry (arm-smmu.c:1532); any other device gets a new one.
 */
class IommuGroups {
  private nextId = 0
  private readonly byStream = new Map<string, number>()
  readonly groupOf = new Map<Device, number>()

  add(device: Device, streams: readonly string[]): number {
    let id = streams.map((stream) => this.byStream.get(stream)).find((at) => at !== undefined)
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
  for (const iommu of iommus)
    kernel.modules?.tryGet(kernel.core.deviceOf(iommu)?.driver?.def.module)
  const id = groups.add(device, streams)
  kernel.devPrintk('info', device, `Adding to iommu group ${id}`)
}
