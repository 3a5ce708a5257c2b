import { describe, expect, it } from 'vitest'
import { pcpuUnits } from '../../../src-main/kernel/smp'
import { boardConsole } from './helpers'

/**
 * CPUs come from /cpus: each cpu node's reg is the MPIDR printed, its compatible the core type
 * whose MIDR and I-cache policy are printed (or the MIDR the profile records where the compatible
 * does not tell the cores apart, as SDM845's `qcom,kryo385`). Expected lines are real logs' own.
 */
describe('the CPUs of /cpus', () => {
  it('db845c boots its Kryo 385 Silver and brings up the Gold cores at their MPIDRs', () => {
    const lines = boardConsole('db845c')
    expect(lines[0]).toBe('Booting Linux on physical CPU 0x0000000000 [0x517f803c]')
    expect(lines).toContain('Detected VIPT I-cache on CPU0')
    expect(lines).toContain('CPU1: Booted secondary processor 0x0000000100 [0x517f803c]')
    expect(lines).toContain('CPU4: Booted secondary processor 0x0000000400 [0x516f802d]')
    expect(lines).toContain('CPU7: Booted secondary processor 0x0000000700 [0x516f802d]')
    expect(lines).toContain('smp: Brought up 1 node, 8 CPUs')
  })

  it('pixel6-oriole brings up its A55, A76 and X1 cores, VIPT and PIPT as they report', () => {
    const lines = boardConsole('pixel6-oriole')
    expect(lines[0]).toBe('Booting Linux on physical CPU 0x0000000000 [0x412fd050]')
    expect(lines).toContain('CPU3: Booted secondary processor 0x0000000300 [0x412fd050]')
    expect(lines).toContain('Detected PIPT I-cache on CPU4')
    expect(lines).toContain('CPU4: Booted secondary processor 0x0000000400 [0x414fd0b0]')
    expect(lines).toContain('CPU7: Booted secondary processor 0x0000000700 [0x411fd440]')
  })

  it('rpi4b boots four Cortex-A72s', () => {
    const lines = boardConsole('rpi4b')
    expect(lines[0]).toBe('Booting Linux on physical CPU 0x0000000000 [0x410fd083]')
    expect(lines).toContain('CPU3: Booted secondary processor 0x0000000003 [0x410fd083]')
    expect(lines).toContain('smp: Brought up 1 node, 4 CPUs')
  })

  it('hikey960 and mt8183-pumpkin number their A73 cluster from MPIDR 0x100', () => {
    for (const board of ['hikey960', 'mt8183-pumpkin']) {
      const lines = boardConsole(board)
      expect(lines).toContain('Detected VIPT I-cache on CPU3')
      expect(lines).toContain('CPU3: Booted secondary processor 0x0000000003 [0x410fd034]')
      expect(lines).toContain('CPU4: Booted secondary processor 0x0000000100 [0x410fd092]')
    }
  })

  it('dumps the per-CPU allocator units of every CPU', () => {
    expect(pcpuUnits(4)).toBe('[0] 0 [0] 1 [0] 2 [0] 3 ')
    expect(pcpuUnits(8)).toBe('[0] 0 [0] 1 [0] 2 [0] 3 [0] 4 [0] 5 [0] 6 [0] 7 ')
  })

  it("prints the boot CPU's errata and Spectre lines by its core, as a real Pixel 6 boot CPU (A55) does", () => {
    const features = (board: string) =>
      boardConsole(board)
        .filter((line) => line.startsWith('CPU features: '))
        .slice(0, 4)
    expect(features('pixel6-oriole')).toEqual([
      'CPU features: detected: GIC system register CPU interface',
      'CPU features: kernel page table isolation forced ON by KASLR',
      'CPU features: detected: Kernel page table isolation (KPTI)',
      'CPU features: detected: ARM errata 1165522, 1319367, or 1530923',
    ])
    expect(boardConsole('rpi4b')).toContain('CPU features: detected: Spectre-v3a')
    expect(boardConsole('rpi4b')).not.toContain('CPU features: detected: ARM erratum 834220')
  })

  it('prints what a secondary CPU brings that no CPU before it had, before its I-cache line', () => {
    const smp = (board: string) => {
      const lines = boardConsole(board)
      return lines.slice(
        lines.indexOf('CPU3: Booted secondary processor 0x0000000300 [0x412fd050]') + 1,
        lines.indexOf('Detected PIPT I-cache on CPU4') + 1,
      )
    }
    expect(smp('pixel6-oriole')).toEqual([
      'CPU features: detected: Spectre-v4',
      'CPU features: detected: Spectre-BHB',
      'Detected PIPT I-cache on CPU4',
    ])
    expect(boardConsole('db845c')).toContain('CPU features: detected: Spectre-v2')
  })
})
