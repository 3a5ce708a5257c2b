/** A devicetree as the kernel unflattens it: named nodes holding raw property values. */
export interface DtProperty {
  name: string
  value: Uint8Array
}

export interface DtNode {
  /** The node name with its unit address, e.g. `memory@40000000`; the root's is empty. */
  name: string
  properties: DtProperty[]
  children: DtNode[]
  /** Source labels (`uart9: serial@a84000`); a blob has none. */
  labels?: string[]
}

export interface MemoryReservation {
  address: bigint
  size: bigint
}

export interface DeviceTree {
  root: DtNode
  memoryReservations: MemoryReservation[]
  bootCpuId: number
}

export function findProperty(node: DtNode, name: string): DtProperty | undefined {
  return node.properties.find((property) => property.name === name)
}

export function findChild(node: DtNode, name: string): DtNode | undefined {
  return node.children.find((child) => child.name === name)
}

export function countNodes(node: DtNode): number {
  return node.children.reduce((sum, child) => sum + countNodes(child), 1)
}

/** A property as a list of NUL-terminated strings (`compatible`, `model`, `device_type`). */
export function stringList(property: DtProperty | undefined): string[] {
  if (!property || property.value.length === 0) return []
  const text = new TextDecoder().decode(property.value)
  return text.replace(/\0$/, '').split('\0')
}

export function stringValue(node: DtNode, name: string): string | undefined {
  return stringList(findProperty(node, name))[0]
}

/** A property as big-endian 32-bit cells. */
export function cells(property: DtProperty | undefined): number[] {
  if (!property) return []
  const view = new DataView(property.value.buffer, property.value.byteOffset, property.value.length)
  const result: number[] = []
  for (let offset = 0; offset + 4 <= view.byteLength; offset += 4)
    result.push(view.getUint32(offset))
  return result
}

function cellCount(node: DtNode, name: string, fallback: number): number {
  return cells(findProperty(node, name))[0] ?? fallback
}

function combineCells(values: number[]): bigint {
  return values.reduce((sum, value) => (sum << 32n) | BigInt(value), 0n)
}

/** The `cpu` nodes under `/cpus`. */
export function countCpus(tree: DeviceTree): number {
  const cpus = findChild(tree.root, 'cpus')
  if (!cpus) return 0
  return cpus.children.filter((node) => stringValue(node, 'device_type') === 'cpu').length
}

/** The total size of every `reg` range of the root's `device_type = "memory"` nodes. */
export function memorySize(tree: DeviceTree): bigint {
  // Defaults as in the devicetree specification: 2 address cells, 1 size cell.
  const addressCells = cellCount(tree.root, '#address-cells', 2)
  const sizeCells = cellCount(tree.root, '#size-cells', 1)
  const entry = addressCells + sizeCells
  let total = 0n
  for (const node of tree.root.children) {
    if (stringValue(node, 'device_type') !== 'memory') continue
    const reg = cells(findProperty(node, 'reg'))
    for (let at = 0; at + entry <= reg.length; at += entry) {
      total += combineCells(reg.slice(at + addressCells, at + entry))
    }
  }
  return total
}
