import { arm64Board, prop, str, u32s } from '../../bench/synthetic-board'
import type { DtNode } from '../../src-main/hardware/devicetree'
import { writeFdt } from '../../src-main/hardware/fdt-writer'

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
  return writeFdt(arm64Board('modlab,gpio-farm', gpios))
}
