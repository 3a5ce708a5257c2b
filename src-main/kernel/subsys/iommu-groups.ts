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

/** `<iommu node>:<specifier cells>` for each entry of a `<property> = <&iommu args...>` list. */
export function iommuStreams(
  tree: OfTree,
  node: OfNode,
  property: string,
  cells: string,
): string[] {
  const values = propertyCells(node, property)
  const streams: string[] = []
  for (let at = 0; at < values.length;) {
    const target = tree.byPhandle.get(values[at] ?? 0)
    const count = target ? (propertyCells(target, cells)[0] ?? 0) : 0
    if (target) streams.push(`${target.path}:${values.slice(at + 1, at + 1 + count).join(',')}`)
    at += 1 + count
  }
  return streams
}

/**
 * iommu_probe_device() -> __iommu_probe_device(): a device already in a group stays there
 * (iommu.c:540, so a probe that defers later and is retried prints nothing more); otherwise it
 * joins one and dev_info() says so (iommu.c:1199) with its driver's name, or its bus's when no
 * driver is bound yet.
 */
export function iommuProbeDevice(kernel: Kernel, device: Device, streams: readonly string[]): void {
  const groups = iommuGroups(kernel)
  if (groups.groupOf.has(device)) return
  const id = groups.add(device, streams)
  kernel.devPrintk('info', device, `Adding to iommu group ${id}`)
}
