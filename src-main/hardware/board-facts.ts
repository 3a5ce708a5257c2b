import {
  cells,
  countCpus,
  findChild,
  findProperty,
  stringList,
  stringValue,
  type DeviceTree,
  type DtNode,
} from './devicetree'
import { dmaMaxCpuAddress } from './dma-ranges'
import { primecellRegisters } from './primecell-ids'
import type { ProfileFile } from './profile-schema'

/** What the firmware set before the kernel ran (profile.json `firmware`). */
export type Firmware = NonNullable<ProfileFile['firmware']>

/** A `/cpus/cpu@N` node: its MPIDR affinity (`reg`) and core type (`compatible`). */
export interface CpuNode {
  mpidr: bigint
  compatible: string[]
}

export interface BoardFacts {
  /** of_flat_dt_get_machine_name(): `model`, else the first `compatible`. */
  model: string
  cpus: number
  /** The cpu nodes in tree order: logical CPU n is the n-th (the boot CPU is the first). */
  cpuNodes: CpuNode[]
  /** The first memory bank's start and the total of all banks. */
  memory: { start: bigint; size: bigint }
  /**
   * The CPUs' GICv3 system register interface is there and enabled (ID_AA64PFR0_EL1.GIC,
   * ICC_SRE): the tree's interrupt controller is a GICv3. A GICv2 board's firmware leaves it off.
   */
  gicCpuifSysregs: boolean
  /** of_dma_get_max_cpu_address(NULL): the highest address every bus can DMA to. */
  dmaMaxCpuAddress: bigint
  /** The tree has a /reserved-memory node. */
  reservedMemory: boolean
  firmware?: Firmware
  /**
   * What the PeriphID registers of each AMBA PrimeCell hold, by node path, for the nodes without
   * `arm,primecell-periphid` whose part modlab knows (hardware/primecell-ids.ts).
   */
  primecell?: Record<string, number>
}

/** The RAM the `memory` nodes describe, or `memory` when they describe none (memblock's view). */
export function boardRam(
  tree: DeviceTree,
  memory?: { start: string; sizeMiB: number },
): { start: bigint; size: bigint } {
  const root = tree.root
  const addressCells = cells(findProperty(root, '#address-cells'))[0] ?? 2
  const sizeCells = cells(findProperty(root, '#size-cells'))[0] ?? 1
  let start: bigint | undefined
  let size = 0n
  for (const node of root.children) {
    if (stringValue(node, 'device_type') !== 'memory') continue
    const reg = cells(findProperty(node, 'reg'))
    for (let at = 0; at + addressCells + sizeCells <= reg.length; at += addressCells + sizeCells) {
      const base = reg.slice(at, at + addressCells).reduce((sum, v) => (sum << 32n) | BigInt(v), 0n)
      start ??= base
      size += reg
        .slice(at + addressCells, at + addressCells + sizeCells)
        .reduce((sum, v) => (sum << 32n) | BigInt(v), 0n)
    }
  }
  return memory && size === 0n
    ? { start: BigInt(memory.start), size: BigInt(memory.sizeMiB) * 1024n * 1024n }
    : { start: start ?? 0n, size }
}

/** What the kernel reads off a board's tree before anything else; `memory` stands in for what it lacks. */
export function boardFacts(
  tree: DeviceTree,
  memory?: { start: string; sizeMiB: number },
  firmware?: Firmware,
): BoardFacts {
  const root = tree.root
  const model =
    stringValue(root, 'model') ?? stringList(findProperty(root, 'compatible'))[0] ?? '<unknown>'
  const ram = boardRam(tree, memory)
  return {
    model,
    cpus: Math.max(1, countCpus(tree)),
    cpuNodes: cpuNodes(tree),
    memory: ram,
    gicCpuifSysregs: hasGicV3(tree.root),
    dmaMaxCpuAddress: dmaMaxCpuAddress(tree.root),
    reservedMemory: findChild(root, 'reserved-memory') !== undefined,
    primecell: primecellRegisters(tree),
    ...(firmware ? { firmware } : {}),
  }
}

/** of_parse_and_init_cpus() (arch/arm64/kernel/smp.c): each cpu node's reg is its MPIDR. */
function cpuNodes(tree: DeviceTree): CpuNode[] {
  const cpus = findChild(tree.root, 'cpus')
  if (!cpus) return []
  const addressCells = cells(findProperty(cpus, '#address-cells'))[0] ?? 1
  return cpus.children
    .filter((node) => stringValue(node, 'device_type') === 'cpu')
    .map((node) => ({
      mpidr: cells(findProperty(node, 'reg'))
        .slice(0, addressCells)
        .reduce((sum, v) => (sum << 32n) | BigInt(v), 0n),
      compatible: stringList(findProperty(node, 'compatible')),
    }))
}

function hasGicV3(node: DtNode): boolean {
  const compatible = stringList(findProperty(node, 'compatible'))
  if (compatible.includes('arm,gic-v3') && stringValue(node, 'status') !== 'disabled') return true
  return node.children.some(hasGicV3)
}
