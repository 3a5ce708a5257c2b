import { hasProperty, propertyCells, type OfNode, type OfTree } from '../hardware/tree-index'

export { hasProperty, indexTree, isAvailable, propertyCells } from '../hardware/tree-index'
export type { OfNode, OfTree } from '../hardware/tree-index'

function cellCount(of: OfNode | undefined, name: string, fallback: number): number {
  return (of && propertyCells(of, name)[0]) ?? fallback
}

function combine(values: number[]): bigint {
  return values.reduce((sum, value) => (sum << 32n) | BigInt(value), 0n)
}

/** The CPU address of the node's reg entry `index`, or undefined where a bus cannot translate it. */
export function translatedReg(of: OfNode, index = 0): bigint | undefined {
  const parent = of.parent
  if (!parent) return undefined
  const na = cellCount(parent, '#address-cells', 2)
  const ns = cellCount(parent, '#size-cells', 1)
  const reg = propertyCells(of, 'reg')
  const at = index * (na + ns)
  if (reg.length < at + na || na === 0) return undefined
  let address = combine(reg.slice(at, at + na))
  // Up through every bus: an absent `ranges` cannot be crossed, an empty one is 1:1.
  for (let bus = parent; bus.parent; bus = bus.parent) {
    if (!hasProperty(bus, 'ranges')) return undefined
    const ranges = propertyCells(bus, 'ranges')
    if (ranges.length === 0) continue
    const childCells = cellCount(bus, '#address-cells', 2)
    const parentCells = cellCount(bus.parent, '#address-cells', 2)
    const sizeCells = cellCount(bus, '#size-cells', 1)
    const entry = childCells + parentCells + sizeCells
    let translated: bigint | undefined
    for (let i = 0; i + entry <= ranges.length; i += entry) {
      const childBase = combine(ranges.slice(i, i + childCells))
      const parentBase = combine(ranges.slice(i + childCells, i + childCells + parentCells))
      const size = combine(ranges.slice(i + childCells + parentCells, i + entry))
      if (address >= childBase && address < childBase + size) {
        translated = parentBase + (address - childBase)
        break
      }
    }
    if (translated === undefined) return undefined
    address = translated
  }
  return address
}

/** of_device_make_bus_id(): `9000000.pl011`, or node names joined up to the first translatable one. */
export function busId(of: OfNode): string {
  let name: string | undefined
  for (let node: OfNode | undefined = of; node?.parent; node = node.parent) {
    const address = translatedReg(node)
    if (address !== undefined) {
      const here = `${address.toString(16)}.${node.shortName}`
      return name ? `${here}:${name}` : here
    }
    name = name ? `${node.node.name}:${name}` : node.node.name
  }
  return name ?? of.node.name
}

/** The interrupt parent: `interrupt-parent` here or on the nearest ancestor. */
export function interruptParent(tree: OfTree, of: OfNode): OfNode | undefined {
  for (let node: OfNode | undefined = of; node; node = node.parent) {
    const phandle = propertyCells(node, 'interrupt-parent')[0]
    if (phandle !== undefined) return tree.byPhandle.get(phandle)
  }
  return undefined
}

/** How many interrupts the node describes (`interrupts` or `interrupts-extended`). */
export function interruptCount(tree: OfTree, of: OfNode): number {
  const extended = propertyCells(of, 'interrupts-extended')
  if (extended.length > 0) {
    let count = 0
    for (let at = 0; at < extended.length; count++) {
      const controller = tree.byPhandle.get(extended[at] ?? 0)
      at += 1 + (controller ? cellCount(controller, '#interrupt-cells', 1) : 1)
    }
    return count
  }
  const interrupts = propertyCells(of, 'interrupts')
  if (interrupts.length === 0) return 0
  const perEntry = cellCount(interruptParent(tree, of), '#interrupt-cells', 1)
  return Math.floor(interrupts.length / Math.max(1, perEntry))
}
