import { boardRam } from './board-facts'
import { cells, findProperty, stringValue, type DeviceTree, type DtNode } from './devicetree'
import type { ProfileFile } from './profile-schema'

type Memory = NonNullable<ProfileFile['memory']>

/** RAM taken for a board whose tree leaves it to the bootloader and whose profile does not say. */
export const DEFAULT_MEMORY_MIB = 1024

/** The RAM a boot of this tree gets: the tree's own, the profile's, or a default, never none. */
export function memoryFor(
  tree: DeviceTree,
  memory?: Memory,
): { memory?: Memory; assumed: boolean } {
  if (boardRam(tree).size > 0n) return { memory, assumed: false }
  if (memory) return { memory, assumed: false }
  const node = tree.root.children.find((child) => stringValue(child, 'device_type') === 'memory')
  const unit = node?.name.split('@')[1]
  const start = unit && /^[0-9a-f]+$/i.test(unit) ? `0x${unit.toLowerCase()}` : '0x80000000'
  return { memory: { start, sizeMiB: DEFAULT_MEMORY_MIB }, assumed: true }
}

/**
 * The tree as the bootloader hands it over: a `/memory` node without a size gets the profile's
 * RAM, so that a copy of the tree (a clone) keeps it.
 */
export function withMemory(tree: DeviceTree, memory: Memory | undefined): DeviceTree {
  if (!memory || boardRam(tree).size > 0n) return tree
  const addressCells = cells(findProperty(tree.root, '#address-cells'))[0] ?? 2
  const sizeCells = cells(findProperty(tree.root, '#size-cells'))[0] ?? 1
  const reg = [
    ...toCells(BigInt(memory.start), addressCells),
    ...toCells(BigInt(memory.sizeMiB) * 1024n * 1024n, sizeCells),
  ]
  const value = new Uint8Array(reg.length * 4)
  reg.forEach((cell, index) => new DataView(value.buffer).setUint32(index * 4, cell))
  const existing = tree.root.children.find(
    (child) => stringValue(child, 'device_type') === 'memory',
  )
  const filled: DtNode = existing
    ? {
        ...existing,
        properties: [
          ...existing.properties.filter((property) => property.name !== 'reg'),
          { name: 'reg', value },
        ],
      }
    : {
        name: `memory@${BigInt(memory.start).toString(16)}`,
        properties: [
          { name: 'device_type', value: new TextEncoder().encode('memory\0') },
          { name: 'reg', value },
        ],
        children: [],
      }
  const children = existing
    ? tree.root.children.map((child) => (child === existing ? filled : child))
    : [...tree.root.children, filled]
  return { ...tree, root: { ...tree.root, children } }
}

function toCells(value: bigint, count: number): number[] {
  const result: number[] = []
  for (let index = count - 1; index >= 0; index--)
    result.push(Number((value >> BigInt(32 * index)) & 0xffffffffn))
  return result
}
