import type { DeviceTree, DtNode, MemoryReservation } from './devicetree'

import * as format from './fdt-format'

// Local copies: the structure loop reads them for every token.
const { align4, FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_MAGIC, FDT_NOP, FDT_PROP } = format
const HEADER_SIZE = format.FDT_HEADER_SIZE
const MAX_DEPTH = format.FDT_MAX_DEPTH

export class FdtError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FdtError'
  }
}

/** Reads a `.dtb`. Malformed input throws an FdtError that says what is wrong and where. */
export function readFdt(bytes: Uint8Array): DeviceTree {
  if (bytes.length < HEADER_SIZE) {
    throw new FdtError(
      `not a devicetree blob: ${bytes.length} bytes is shorter than the 40-byte header`,
    )
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  const field = (index: number) => view.getUint32(index * 4)
  const magic = field(0)
  if (magic !== FDT_MAGIC) {
    throw new FdtError(
      `not a devicetree blob: magic is 0x${magic.toString(16)}, expected 0xd00dfeed`,
    )
  }
  const header = {
    totalSize: field(1),
    structOffset: field(2),
    stringsOffset: field(3),
    reservationOffset: field(4),
    version: field(5),
    lastCompatibleVersion: field(6),
    bootCpuId: field(7),
    stringsSize: field(8),
    structSize: field(9),
  }
  if (header.version < 16 || header.lastCompatibleVersion > 17) {
    throw new FdtError(
      `unsupported devicetree blob version ${header.version} (last compatible ${header.lastCompatibleVersion}); versions 16 and 17 are read`,
    )
  }
  if (header.totalSize > bytes.length) {
    throw new FdtError(
      `truncated devicetree blob: header says ${header.totalSize} bytes, file has ${bytes.length}`,
    )
  }
  checkBlock('structure block', header.structOffset, header.structSize, header.totalSize)
  checkBlock('strings block', header.stringsOffset, header.stringsSize, header.totalSize)
  if (header.reservationOffset >= header.totalSize) {
    throw new FdtError(
      `memory reservation block offset ${header.reservationOffset} is outside the blob`,
    )
  }

  const strings = bytes.subarray(header.stringsOffset, header.stringsOffset + header.stringsSize)
  return {
    root: readStructure(bytes, view, header.structOffset, header.structSize, strings),
    memoryReservations: readReservations(view, header.reservationOffset, header.totalSize),
    bootCpuId: header.bootCpuId,
  }
}

function checkBlock(name: string, offset: number, size: number, totalSize: number) {
  if (offset + size > totalSize) {
    throw new FdtError(`${name} (offset ${offset}, ${size} bytes) runs past the end of the blob`)
  }
}

function readReservations(view: DataView, offset: number, limit: number): MemoryReservation[] {
  const reservations: MemoryReservation[] = []
  for (let at = offset; ; at += 16) {
    if (at + 16 > limit) {
      throw new FdtError(`memory reservation block at ${offset} has no terminating entry`)
    }
    const address = view.getBigUint64(at)
    const size = view.getBigUint64(at + 8)
    if (address === 0n && size === 0n) return reservations
    reservations.push({ address, size })
  }
}

function readStructure(
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  size: number,
  strings: Uint8Array,
): DtNode {
  const end = offset + size
  const decoder = new TextDecoder()
  const stack: DtNode[] = []
  let root: DtNode | undefined
  let at = offset

  const readToken = () => {
    if (at + 4 > end) throw new FdtError(`structure block ends at ${at} without FDT_END`)
    const token = view.getUint32(at)
    at += 4
    return token
  }
  const nulAfter = (source: Uint8Array, start: number, what: string) => {
    const stop = source.indexOf(0, start)
    if (stop < 0) throw new FdtError(`${what} at ${start} is not NUL-terminated`)
    return stop
  }

  for (;;) {
    const tokenAt = at
    const token = readToken()
    if (token === FDT_BEGIN_NODE) {
      const stop = nulAfter(bytes.subarray(0, end), at, 'node name')
      const name = decoder.decode(bytes.subarray(at, stop))
      at = align4(stop + 1)
      const node: DtNode = { name, properties: [], children: [] }
      const parent = stack.at(-1)
      if (parent) parent.children.push(node)
      else if (root) throw new FdtError(`second root node at offset ${tokenAt}`)
      else root = node
      if (stack.length >= MAX_DEPTH)
        throw new FdtError(`nodes nested deeper than ${MAX_DEPTH} at offset ${tokenAt}`)
      stack.push(node)
    } else if (token === FDT_END_NODE) {
      if (!stack.pop()) throw new FdtError(`FDT_END_NODE without an open node at offset ${tokenAt}`)
    } else if (token === FDT_PROP) {
      const node = stack.at(-1)
      if (!node) throw new FdtError(`property outside any node at offset ${tokenAt}`)
      if (at + 8 > end)
        throw new FdtError(`property header at ${tokenAt} runs past the structure block`)
      const length = view.getUint32(at)
      const nameOffset = view.getUint32(at + 4)
      at += 8
      if (at + length > end)
        throw new FdtError(
          `property value at ${at} (${length} bytes) runs past the structure block`,
        )
      if (nameOffset >= strings.length)
        throw new FdtError(`property name offset ${nameOffset} is outside the strings block`)
      node.properties.push({
        name: decoder.decode(
          strings.subarray(nameOffset, nulAfter(strings, nameOffset, 'property name')),
        ),
        value: bytes.slice(at, at + length),
      })
      at = align4(at + length)
    } else if (token === FDT_NOP) {
      continue
    } else if (token === FDT_END) {
      if (stack.length > 0)
        throw new FdtError(`FDT_END at offset ${tokenAt} while ${stack.length} node(s) are open`)
      if (!root) throw new FdtError('the structure block holds no root node')
      return root
    } else {
      throw new FdtError(`unknown structure token 0x${token.toString(16)} at offset ${tokenAt}`)
    }
  }
}
