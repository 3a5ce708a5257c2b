import type { DeviceTree, DtNode } from './devicetree'

/** A value that reads as NUL-terminated printable strings, as dtc guesses it (no empty strings inside). */
function asStrings(value: Uint8Array): string[] | undefined {
  if (value.length === 0 || value[value.length - 1] !== 0) return undefined
  const strings: string[] = []
  let start = 0
  for (let at = 0; at < value.length; at++) {
    const byte = value[at] as number
    if (byte === 0) {
      if (at === start) return undefined
      strings.push(String.fromCharCode(...value.subarray(start, at)))
      start = at + 1
    } else if (byte < 0x20 || byte > 0x7e) {
      return undefined
    }
  }
  return strings
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`
}

/** A value as dtc writes it: strings when it reads as strings, cells when it has whole cells, else bytes. */
export function formatValue(value: Uint8Array): string {
  const strings = asStrings(value)
  if (strings) return strings.map(quote).join(', ')
  if (value.length % 4 === 0) {
    const view = new DataView(value.buffer, value.byteOffset, value.length)
    const cells: string[] = []
    for (let at = 0; at < value.length; at += 4) cells.push(hex(view.getUint32(at)))
    return `<${cells.join(' ')}>`
  }
  return `[${Array.from(value, (byte) => byte.toString(16).padStart(2, '0')).join(' ')}]`
}

function writeNode(node: DtNode, depth: number, out: string[]): void {
  const indent = '\t'.repeat(depth)
  const labels = (node.labels ?? []).map((label) => `${label}: `).join('')
  out.push(`${indent}${labels}${node.name || '/'} {`)
  for (const property of node.properties) {
    out.push(
      property.value.length === 0
        ? `${indent}\t${property.name};`
        : `${indent}\t${property.name} = ${formatValue(property.value)};`,
    )
  }
  for (const child of node.children) {
    out.push('')
    writeNode(child, depth + 1, out)
  }
  out.push(`${indent}};`)
}

/** Canonical devicetree source that dtc compiles back to the same tree. */
export function writeDts(tree: DeviceTree): string {
  const out = ['/dts-v1/;', '']
  for (const { address, size } of tree.memoryReservations) {
    out.push(`/memreserve/ 0x${address.toString(16)} 0x${size.toString(16)};`)
  }
  if (tree.memoryReservations.length > 0) out.push('')
  writeNode(tree.root, 0, out)
  return out.join('\n') + '\n'
}
