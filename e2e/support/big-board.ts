import type { DeviceTree, DtNode, DtProperty } from '../../src-main/hardware/devicetree'
import { writeFdt } from '../../src-main/hardware/fdt-writer'

const encoder = new TextEncoder()
const u32s = (...values: number[]) => {
  const bytes = new Uint8Array(values.length * 4)
  values.forEach((value, index) => new DataView(bytes.buffer).setUint32(index * 4, value))
  return bytes
}
const str = (...values: string[]) => encoder.encode(values.map((value) => `${value}\0`).join(''))
const prop = (name: string, value: Uint8Array): DtProperty => ({ name, value })

/** A board of `count` PL061 GPIO controllers (AMBA primecells the Debian kernel drives), as a .dtb. */
export function pl061Board(count: number): Uint8Array {
  const gpios: DtNode[] = Array.from({ length: count }, (_, i) => ({
    name: `pl061@${(0x10000000 + i * 0x1000).toString(16)}`,
    properties: [
      prop('compatible', str('arm,pl061', 'arm,primecell')),
      prop('reg', u32s(0, 0x10000000 + i * 0x1000, 0, 0x1000)),
    ],
    children: [],
  }))
  const root: DtNode = {
    name: '',
    properties: [
      prop('model', str('modlab,gpio-farm')),
      prop('compatible', str('modlab,gpio-farm')),
      prop('#address-cells', u32s(2)),
      prop('#size-cells', u32s(2)),
      prop('interrupt-parent', u32s(1)),
    ],
    children: [
      {
        name: 'cpus',
        properties: [],
        children: [{ name: 'cpu@0', properties: [prop('device_type', str('cpu'))], children: [] }],
      },
      {
        name: 'memory@40000000',
        properties: [
          prop('device_type', str('memory')),
          prop('reg', u32s(0, 0x40000000, 0, 0x40000000)),
        ],
        children: [],
      },
      {
        name: 'intc@8000000',
        properties: [
          prop('compatible', str('arm,gic-v3')),
          prop('phandle', u32s(1)),
          prop('#interrupt-cells', u32s(3)),
          prop('reg', u32s(0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000)),
        ],
        children: [],
      },
      {
        name: 'timer',
        properties: [
          prop('compatible', str('arm,armv8-timer')),
          prop('interrupts', u32s(1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4)),
        ],
        children: [],
      },
      ...gpios,
    ],
  }
  const tree: DeviceTree = { root, memoryReservations: [], bootCpuId: 0 }
  return writeFdt(tree)
}
