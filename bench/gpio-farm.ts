import { arm64Board, prop, str, u32s } from './synthetic-board'
import type { DtNode } from '../src-main/hardware/devicetree'
import { writeFdt } from '../src-main/hardware/fdt-writer'

const PCLK_PHANDLE = 0x8000

/**
 * A board of `count` PL061 GPIO controllers (AMBA primecells the Debian kernel drives), as a .dtb.
 * Each names its `apb_pclk`, as QEMU virt's do: amba_match() reads the peripheral ID with it.
 */
export function pl061Board(count: number): Uint8Array {
  const pclk: DtNode = {
    name: 'apb-pclk',
    properties: [
      prop('compatible', str('fixed-clock')),
      prop('#clock-cells', u32s(0)),
      prop('clock-frequency', u32s(24_000_000)),
      prop('clock-output-names', str('clk24mhz')),
      prop('phandle', u32s(PCLK_PHANDLE)),
    ],
    children: [],
  }
  const gpios: DtNode[] = Array.from({ length: count }, (_, i) => ({
    name: `pl061@${(0x10000000 + i * 0x1000).toString(16)}`,
    properties: [
      prop('compatible', str('arm,pl061', 'arm,primecell')),
      prop('reg', u32s(0, 0x10000000 + i * 0x1000, 0, 0x1000)),
      prop('clocks', u32s(PCLK_PHANDLE)),
      prop('clock-names', str('apb_pclk')),
    ],
    children: [],
  }))
  return writeFdt(arm64Board('modlab,gpio-farm', [pclk, ...gpios]))
}
