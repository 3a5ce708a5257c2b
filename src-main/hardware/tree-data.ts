import type { DeviceTree, DtNode } from './devicetree'

/**
 * A devicetree as plain JSON, for the API and the editor: property values as lowercase hex,
 * 64-bit reservation numbers as hex strings.
 */
export interface TreeNodeData {
  name: string
  labels?: string[]
  properties: { name: string; value: string }[]
  children: TreeNodeData[]
}

export interface TreeData {
  root: TreeNodeData
  memoryReservations: { address: string; size: string }[]
  bootCpuId: number
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

export function bytesToHex(bytes: Uint8Array): string {
  let out = ''
  for (const byte of bytes) out += HEX[byte]
  return out
}

export function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1)
  for (let at = 0; at < bytes.length; at++) bytes[at] = parseInt(hex.slice(at * 2, at * 2 + 2), 16)
  return bytes
}

function nodeToData(node: DtNode): TreeNodeData {
  const data: TreeNodeData = {
    name: node.name,
    properties: node.properties.map((property) => ({
      name: property.name,
      value: bytesToHex(property.value),
    })),
    children: node.children.map(nodeToData),
  }
  if (node.labels?.length) data.labels = [...node.labels]
  return data
}

function nodeFromData(data: TreeNodeData): DtNode {
  const node: DtNode = {
    name: data.name,
    properties: data.properties.map((property) => ({
      name: property.name,
      value: hexToBytes(property.value),
    })),
    children: data.children.map(nodeFromData),
  }
  if (data.labels?.length) node.labels = [...data.labels]
  return node
}

export function treeToData(tree: DeviceTree): TreeData {
  return {
    root: nodeToData(tree.root),
    memoryReservations: tree.memoryReservations.map(({ address, size }) => ({
      address: `0x${address.toString(16)}`,
      size: `0x${size.toString(16)}`,
    })),
    bootCpuId: tree.bootCpuId,
  }
}

export function treeFromData(data: TreeData): DeviceTree {
  return {
    root: nodeFromData(data.root),
    memoryReservations: data.memoryReservations.map(({ address, size }) => ({
      address: BigInt(address),
      size: BigInt(size),
    })),
    bootCpuId: data.bootCpuId,
  }
}
