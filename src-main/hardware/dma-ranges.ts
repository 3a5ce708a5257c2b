import { cells, findProperty, stringValue, type DtNode } from './devicetree'

/** PHYS_ADDR_MAX: no bus in the tree limits DMA. */
export const PHYS_ADDR_MAX = (1n << 64n) - 1n

/**
 * of_dma_get_max_cpu_address(NULL) (drivers/of/address.c:962): the lowest of each bus's highest
 * `dma-ranges` CPU address, over every available node. A range's parent address is taken as the
 * CPU's (the buses of modlab's boards sit 1:1 under the root) [nested translation not simulated].
 */
export function dmaMaxCpuAddress(
  node: DtNode,
  addressCells = cellCount(node, '#address-cells', 2),
): bigint {
  let max = PHYS_ADDR_MAX
  const ranges = cells(findProperty(node, 'dma-ranges'))
  if (ranges.length > 0) {
    const childCells = cellCount(node, '#address-cells', 2)
    const sizeCells = cellCount(node, '#size-cells', 1)
    const entry = childCells + addressCells + sizeCells
    let end = 0n
    for (let at = 0; at + entry <= ranges.length; at += entry) {
      const cpu = combine(ranges.slice(at + childCells, at + childCells + addressCells))
      const size = combine(ranges.slice(at + childCells + addressCells, at + entry))
      if (cpu + size > end) end = cpu + size - 1n
    }
    if (end < max) max = end
  }
  const childAddressCells = cellCount(node, '#address-cells', 2)
  for (const child of node.children) {
    if (stringValue(child, 'status') === 'disabled') continue
    const below = dmaMaxCpuAddress(child, childAddressCells)
    if (below < max) max = below
  }
  return max
}

function cellCount(node: DtNode, name: string, fallback: number): number {
  return cells(findProperty(node, name))[0] ?? fallback
}

function combine(values: number[]): bigint {
  return values.reduce((sum, value) => (sum << 32n) | BigInt(value), 0n)
}
