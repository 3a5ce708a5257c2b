import type { DriverDefinition } from '../src-main/catalog/driver-schema'
import type { DeviceTree, DtNode, DtProperty } from '../src-main/hardware/devicetree'

const encoder = new TextEncoder()

export function u32s(...values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4)
  const view = new DataView(bytes.buffer)
  values.forEach((value, index) => view.setUint32(index * 4, value))
  return bytes
}

export function str(...values: string[]): Uint8Array {
  return encoder.encode(values.map((value) => `${value}\0`).join(''))
}

export function prop(name: string, value: Uint8Array): DtProperty {
  return { name, value }
}

/**
 * A board of `devices` devices under one simple-bus, served by `drivers` drivers. Devices form
 * supplier chains through `clocks`; every fifth one names a supplier that comes after it in the
 * tree, so its probe waits for deferred probing.
 */
export function syntheticBoard(
  devices: number,
  drivers: number,
): { tree: DeviceTree; drivers: DriverDefinition[] } {
  const children: DtNode[] = []
  for (let i = 0; i < devices; i++) {
    const properties = [
      prop('compatible', str(`bench,dev${i % drivers}`)),
      prop('reg', u32s(0x1000 * i, 0x1000)),
      prop('phandle', u32s(i + 10)),
      prop('#clock-cells', u32s(0)),
    ]
    let supplier = -1
    if (i % 5 === 0 && i + 3 < devices) supplier = i + 3
    else if (i % 2 === 1) supplier = i - 1 - (i % 11 === 0 ? 1 : 0)
    if (supplier >= 0) properties.push(prop('clocks', u32s(supplier + 10)))
    children.push({ name: `dev@${(0x1000 * i).toString(16)}`, properties, children: [] })
  }
  const soc: DtNode = {
    name: 'soc',
    properties: [
      prop('compatible', str('simple-bus')),
      prop('#address-cells', u32s(1)),
      prop('#size-cells', u32s(1)),
      prop('ranges', new Uint8Array()),
    ],
    children,
  }
  const tree = arm64Board('modlab,synthetic', [soc])
  const definitions: DriverDefinition[] = Array.from({ length: drivers }, (_, k) => ({
    name: `bench-${k}`,
    module: `bench_${k}`,
    kconfig: `CONFIG_BENCH_${k}`,
    tristate: true,
    license: 'GPL',
    bus: 'platform',
    compatible: [`bench,dev${k}`],
    registration: { kind: 'initcall', level: 'device' },
    initcall: `bench_${k}_init`,
    init: { us: 0, messages: [] },
    vars: {},
    probe: {
      us: 10,
      effects: [{ kind: 'print', level: 'info', text: 'probed at 0x{reg:hex}', dev: true }],
    },
  }))
  return { tree, drivers: definitions }
}

/** The least an arm64 board needs to boot: one CPU, RAM, a GICv3 and the architected timer, then `devices`. */
export function arm64Board(model: string, devices: DtNode[]): DeviceTree {
  const root: DtNode = {
    name: '',
    properties: [
      prop('model', str(model)),
      prop('compatible', str(model)),
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
        properties: [prop('device_type', str('memory')), prop('reg', u32s(0, 0x40000000, 1, 0))],
        children: [],
      },
      {
        name: 'intc@8000000',
        properties: [
          prop('compatible', str('arm,gic-v3')),
          prop('phandle', u32s(1)),
          prop('#interrupt-cells', u32s(3)),
          // of_irq_init() skips a node without it (drivers/of/irq.c).
          prop('interrupt-controller', new Uint8Array()),
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
      ...devices,
    ],
  }
  return { root, memoryReservations: [], bootCpuId: 0 }
}
