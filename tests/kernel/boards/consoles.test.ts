import { describe, expect, it } from 'vitest'
import { boardConsole } from './helpers'

/**
 * A serial port's line is its `serialN` alias (pl011_probe_dt_alias(), amba-pl011.c:2652); with no
 * `console=`, /chosen `stdout-path` picks the console (of_console_check(), drivers/of/base.c:1910).
 */
describe('serial aliases and stdout-path', () => {
  it('hikey960: its PL011s are ttyAMA3, 4 and 6 as its aliases say, and only serial6 is the console', () => {
    const lines = boardConsole('hikey960')
    expect(lines).toContain(
      'ffd74000.serial: ttyAMA3 at MMIO 0xffd74000 (irq = 56, base_baud = 0) is a PL011 rev1',
    )
    expect(lines).toContain(
      'fdf01000.serial: ttyAMA4 at MMIO 0xfdf01000 (irq = 57, base_baud = 0) is a PL011 rev1',
    )
    expect(lines).toContain(
      'fff32000.serial: ttyAMA6 at MMIO 0xfff32000 (irq = 58, base_baud = 0) is a PL011 rev1',
    )
    expect(lines.filter((line) => line.startsWith('printk: legacy console ['))).toEqual([
      'printk: legacy console [ttyAMA6] enabled',
    ])
  })

  it('console= still wins over stdout-path', () => {
    const lines = boardConsole('hikey960', 'console=ttyAMA3')
    expect(lines.filter((line) => line.startsWith('printk: legacy console ['))).toEqual([
      'printk: legacy console [ttyAMA3] enabled',
    ])
  })
})
