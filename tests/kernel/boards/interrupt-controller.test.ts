import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBoot } from '../../../src-main/sessions/boot-runner'
import { consoleLines, ROOT, stripTimestamp } from '../helpers'
import { boardConsole } from './helpers'

const between = (lines: string[], first: string, last: string) =>
  lines.slice(
    lines.findIndex((line) => line.startsWith(first)),
    lines.findIndex((line) => line.startsWith(last)),
  )

/**
 * init_IRQ() runs the irqchip the tree names: GICv2 (`arm,gic-400`) or GICv3 with the ITS its
 * node has; split EOI/Deactivate when the firmware left hyp mode to the kernel (EL2).
 */
describe('the interrupt controller of the tree', () => {
  it('rpi4b and hikey960 run GIC-400 as the real Raspberry Pi 4 log shows, without GICv3 lines', () => {
    for (const board of ['rpi4b', 'hikey960']) {
      const lines = boardConsole(board)
      expect(between(lines, 'NR_IRQS', 'rcu: srcu_init')).toEqual([
        'NR_IRQS: 64, nr_irqs: 64, preallocated irqs: 0',
        'Root IRQ handler: gic_handle_irq',
        'GIC: Using split EOI/Deactivate mode',
      ])
      expect(lines).not.toContain('CPU features: detected: GIC system register CPU interface')
    }
  })

  it('db845c has a disabled ITS node: no ITS, no LPIs, and no QEMU ITS address', () => {
    const lines = boardConsole('db845c')
    expect(lines).toContain('ITS: No ITS available, not enabling LPIs')
    expect(lines.some((line) => line.includes('0x08080000'))).toBe(false)
    expect(lines).not.toContain('GICv3: GIC: Using split EOI/Deactivate mode')
  })

  it('pixel6-oriole has no ITS node, and enters at EL2: split EOI, no ITS lines', () => {
    const lines = boardConsole('pixel6-oriole')
    expect(lines).toContain('GICv3: GIC: Using split EOI/Deactivate mode')
    expect(lines.some((line) => line.startsWith('ITS'))).toBe(false)
  })

  it('without an interrupt controller driver the arch timer gets no interrupt and the tick never starts', () => {
    const run = runBoot({
      profile: 'rpi4b',
      kernel: 'debian-6.12-arm64',
      resources: join(ROOT, 'resources'),
      config: { CONFIG_ARM_GIC: 'n' },
    })
    const lines = consoleLines(run.kernel).map(stripTimestamp)
    expect(lines).not.toContain('Root IRQ handler: gic_handle_irq')
    expect(lines).toContain('arch_timer: No interrupt available, giving up')
    expect(lines).toContain("Failed to initialize '/timer': -22")
    expect(lines).toContain('timer_probe: no matching timers found')
    expect(lines.at(-1)).toBe(
      'Calibrating delay loop (skipped), value calculated using timer frequency.. 108.00 BogoMIPS (lpj=216000)',
    )
    expect(run.kernel.outcome.kind).toBe('hung')
  })

  it("mt8183-pumpkin prints its PPI partitions as a real MT8183's log does", () => {
    expect(boardConsole('mt8183-pumpkin')).toContain(
      'GICv3: GIC: PPI partition interrupt-partition-1[1] { /cpus/cpu@100[4] /cpus/cpu@101[5] /cpus/cpu@102[6] /cpus/cpu@103[7] }',
    )
  })

  it("prints the SPI count and security state the profile records from the board's real log", () => {
    const lines = boardConsole('pixel6-oriole')
    expect(lines).toContain('GICv3: 960 SPIs implemented')
    expect(lines).toContain('GICv3: GICD_CTRL.DS=0, SCR_EL3.FIQ=1')
    expect(boardConsole('db845c')).toContain('GICv3: 768 SPIs implemented')
  })
})
