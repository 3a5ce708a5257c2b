import {
  cells,
  countCpus,
  findProperty,
  stringList,
  stringValue,
  type DeviceTree,
} from './devicetree'

export interface BoardFacts {
  /** of_flat_dt_get_machine_name(): `model`, else the first `compatible`. */
  model: string
  cpus: number
  /** The first memory bank's start and the total of all banks. */
  memory: { start: bigint; size: bigint }
}

/** What the kernel reads off a board's tree before anything else; `memory` stands in for what it lacks. */
export function boardFacts(
  tree: DeviceTree,
  memory?: { start: string; sizeMiB: number },
): BoardFacts {
  const root = tree.root
  const model =
    stringValue(root, 'model') ?? stringList(findProperty(root, 'compatible'))[0] ?? '<unknown>'
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
  const ram =
    memory && size === 0n
      ? { start: BigInt(memory.start), size: BigInt(memory.sizeMiB) * 1024n * 1024n }
      : { start: start ?? 0n, size }
  return { model, cpus: Math.max(1, countCpus(tree)), memory: ram }
}
