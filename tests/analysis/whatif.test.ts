import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runWhatIf, type WhatIfRequest } from '../../src-main/analysis/whatif'
import type { VerdictItem } from '../../src-main/analysis/whatif-types'
import { ROOT } from '../kernel/helpers'

const RESOURCES = join(ROOT, 'resources')
const KERNEL = 'debian-6.12-arm64'

const whatIf = (request: Omit<WhatIfRequest, 'resources' | 'kernel'>) =>
  runWhatIf({ ...request, kernel: KERNEL, resources: RESOURCES })

const codes = (items: readonly VerdictItem[]) =>
  items.map((item) => `${item.severity} ${item.code}`)

describe('the what-if on the seed questions, 6.12', () => {
  it('Exynos MCT as a module: bool, selected by ARCH_EXYNOS, TIMER_OF_DECLARE; no boot B', () => {
    const result = whatIf({
      profiles: ['pixel6-oriole'],
      changes: { CONFIG_CLKSRC_EXYNOS_MCT: 'm' },
    })
    const [verdict] = result.verdicts
    expect(verdict?.builds).toBe(false)
    // A real build keeping its TIMER_OF_DECLARE init code (resources/real-build/6.12.json).
    const symbols = (verdict?.items ?? []).filter((item) => item.area === 'symbols')
    expect(symbols.filter((item) => item.code === 'undefined').map((item) => item.subject)).toEqual(
      ['of_irq_count', 'sched_clock_register'],
    )
    expect(symbols.find((item) => item.code === 'init-reference')?.subject).toBe(
      'sched_clock_register',
    )
    expect(symbols.find((item) => item.code === 'modpost')?.message).toBe(
      'ERROR: modpost: missing MODULE_LICENSE() in drivers/clocksource/exynos_mct.o',
    )
    expect(
      result.memory.tables[0]?.table.boards.find((row) => row.board === 'pixel6-oriole')?.uses,
    ).toHaveLength(1)
    expect(codes(verdict?.items ?? [])).toEqual(
      expect.arrayContaining([
        'error kconfig-bool',
        'error kconfig-selected',
        'error of-declare',
        'warning unowned',
      ]),
    )
    const selected = verdict?.items.find((item) => item.code === 'kconfig-selected')
    expect(selected?.subject).toBe('ARCH_EXYNOS')
    expect(selected?.source).toMatch(/^arch\/arm64\/Kconfig\.platforms:\d+$/)
    expect(result.refused).toMatch(/CONFIG_CLKSRC_EXYNOS_MCT is a bool symbol/)
    expect(result.boards).toEqual([])
    expect(result.ok).toBe(false)
  })

  it('the MediaTek timer with its series: the select remains, the timer binds late and rmmod ends in an Oops', () => {
    const result = whatIf({
      profiles: ['mt8183-pumpkin'],
      changes: { CONFIG_MTK_TIMER: 'm' },
      series: ['mediatek-2023-timer-modules'],
    })
    const items = result.verdicts[0]?.items ?? []
    expect(codes(items)).toContain('error kconfig-selected')
    expect(codes(items)).not.toContain('error kconfig-bool')
    expect(codes(items)).not.toContain('error of-declare')
    // The series removes __init from what it exports: nothing left that a module cannot call.
    expect(codes(items)).not.toContain('error init-reference')
    expect(codes(items)).not.toContain('error undefined')
    // The series gives the module its MODULE_LICENSE("GPL v2").
    expect(codes(items)).not.toContain('error modpost')
    // Android: a vendor module, and one of its symbols is in no KMI list of android16-6.12.
    expect(codes(items)).toContain('info vendor-module')
    const notInKmi = items.filter((item) => item.code === 'not-in-kmi').map((item) => item.subject)
    expect(notInKmi).toEqual(['sched_clock_register'])
    // The real build's needs, with the series' exports: nothing undefined, nothing __init.
    expect(items.find((item) => item.code === 'no-build-record')).toBeUndefined()
    const [board] = result.boards
    expect(board?.diff.devices).toContainEqual({
      device: '10017000.timer',
      before: { state: 'no-driver', ofDeclared: true },
      after: { state: 'bound', driver: 'mediatek-timer' },
    })
    expect(board?.diff.modules.loaded).toEqual(['timer_mediatek'])
    expect(board?.unload[0]?.exitCode).toBe(0)
    expect(board?.unload[0]?.kernelLines.join('\n')).toMatch(/Internal error: Oops/)
  })

  it('without the series, the same change is refused by the registration and __init', () => {
    const result = whatIf({ profiles: ['mt8183-pumpkin'], changes: { CONFIG_MTK_TIMER: 'm' } })
    expect(codes(result.verdicts[0]?.items ?? [])).toEqual(
      expect.arrayContaining([
        'error kconfig-bool',
        'error of-declare',
        'error undefined',
        'error init-reference',
      ]),
    )
    expect(result.ok).toBe(false)
  })

  it('arm-smmu as a module on db845c: builds, the consumers wait for it, and their groups pin it', () => {
    const result = whatIf({ profiles: ['db845c'], changes: { CONFIG_ARM_SMMU: 'm' } })
    expect(result.verdicts[0]?.builds).toBe(true)
    // A real build: every one of its 88 undefined symbols is exported; its .ko's sizes.
    const items = result.verdicts[0]?.items ?? []
    expect(items.filter((item) => item.severity === 'error')).toEqual([])
    expect(items.filter((item) => item.code === 'gpl-only').length).toBeGreaterThan(40)
    const memory = result.memory.tables[0]?.table
    expect(memory?.sizes.source).toMatch(/arm_smmu\.ko of a real 6\.12 module build/)
    expect(memory?.boards.filter((row) => row.uses.length > 0).map((row) => row.board)).toEqual([
      'db845c',
    ])
    const [board] = result.boards
    expect(board?.outcome).toEqual({ before: 'running', after: 'running' })
    expect(board?.diff.modules.loaded).toEqual(['arm_smmu'])
    expect(board?.diff.probeOrder.map((move) => move.device)).toContain('15000000.iommu')
    expect(board?.diff.dmesg).toMatch(/^\+geni_se_qup 8c0000\.geniqup: Adding to iommu group \d+$/m)
    expect(board?.unload).toEqual([
      {
        module: 'arm_smmu',
        exitCode: 1,
        output: 'rmmod: ERROR: Module arm_smmu is in use\n',
        kernelLines: [],
      },
    ])
  })

  it('arm-smmu never loaded: its consumers probe without it after the deferred-probe timeout', () => {
    const result = whatIf({
      profiles: ['db845c'],
      changes: { CONFIG_ARM_SMMU: 'm' },
      load: { kind: 'never' },
    })
    const [board] = result.boards
    expect(board?.diff.modules.loaded).toEqual([])
    const geni = board?.diff.devices.find((change) => change.device === '8c0000.geniqup')
    expect(geni?.after).toEqual({ state: 'bound', driver: 'geni_se_qup', afterTimeout: true })
    const smmu = board?.diff.devices.find((change) => change.device === '15000000.iommu')
    expect(smmu?.after?.state).toBe('no-driver')
    expect(board?.diff.dmesg).toMatch(/^-Kernel command line: $/m)
    expect(board?.diff.dmesg).toMatch(/^\+Kernel command line: modprobe\.blacklist=arm_smmu$/m)
  })

  it('arm-smmu loaded at 20 s: udevd loads the modules of the devices that appear afterwards', () => {
    const result = whatIf({
      profiles: ['db845c'],
      changes: { CONFIG_ARM_SMMU: 'm' },
      load: { kind: 'at', seconds: 20 },
    })
    const [board] = result.boards
    expect(board?.diff.modules).toEqual({ loaded: ['arm_smmu'], unloaded: [] })
    // The geni serial engines' children (I2C, SPI) appear after coldplug and still get their driver.
    expect(board?.diff.devices.map((change) => change.device)).not.toContain('a88000.i2c')
  })

  it('is deterministic: the same what-if twice gives the same result', () => {
    const request = { profiles: ['db845c'], changes: { CONFIG_ARM_SMMU: 'm' as const } }
    expect(JSON.stringify(whatIf(request))).toBe(JSON.stringify(whatIf(request)))
  })
})
