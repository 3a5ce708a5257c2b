import type { DeviceTree, DtNode } from './devicetree'

import {
  align4,
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_HEADER_SIZE,
  FDT_MAGIC,
  FDT_PROP,
} from './fdt-format'

const VERSION = 17
const LAST_COMPATIBLE_VERSION = 16

/**
 * Writes a flattened devicetree (version 17): header, memory reservation block, structure block,
 * strings block, in the order and alignment dtc uses. Property names are stored once each.
 */
export function writeFdt(tree: DeviceTree): Uint8Array {
  const encoder = new TextEncoder()
  const strings: number[] = []
  const stringOffsets = new Map<string, number>()
  const nameOffset = (name: string) => {
    let offset = stringOffsets.get(name)
    if (offset === undefined) {
      offset = strings.length
      stringOffsets.set(name, offset)
      strings.push(...encoder.encode(name), 0)
    }
    return offset
  }

  const struct: number[] = []
  const word = (value: number) =>
    struct.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff)
  const pad = () => {
    while (struct.length % 4 !== 0) struct.push(0)
  }
  const writeNode = (node: DtNode) => {
    word(FDT_BEGIN_NODE)
    struct.push(...encoder.encode(node.name), 0)
    pad()
    for (const property of node.properties) {
      word(FDT_PROP)
      word(property.value.length)
      word(nameOffset(property.name))
      for (const byte of property.value) struct.push(byte)
      pad()
    }
    for (const child of node.children) writeNode(child)
    word(FDT_END_NODE)
  }
  writeNode(tree.root)
  word(FDT_END)

  const reservationOffset = align4(FDT_HEADER_SIZE)
  const reservationSize = (tree.memoryReservations.length + 1) * 16
  const structOffset = reservationOffset + reservationSize
  const stringsOffset = structOffset + struct.length
  const totalSize = stringsOffset + strings.length

  const bytes = new Uint8Array(totalSize)
  const view = new DataView(bytes.buffer)
  const header = [
    FDT_MAGIC,
    totalSize,
    structOffset,
    stringsOffset,
    reservationOffset,
    VERSION,
    LAST_COMPATIBLE_VERSION,
    tree.bootCpuId,
    strings.length,
    struct.length,
  ]
  header.forEach((value, index) => view.setUint32(index * 4, value))
  tree.memoryReservations.forEach(({ address, size }, index) => {
    view.setBigUint64(reservationOffset + index * 16, address)
    view.setBigUint64(reservationOffset + index * 16 + 8, size)
  })
  bytes.set(struct, structOffset)
  bytes.set(strings, stringsOffset)
  return bytes
}
