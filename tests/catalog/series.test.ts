import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  KernelProfileError,
  loadKernelProfile,
  readKernelProfile,
  withConfig,
} from '../../src-main/catalog/kernel-profiles'
import { applySeries, initRemoved } from '../../src-main/catalog/series/apply-series'
import {
  findSeries,
  loadSeries,
  readSeriesFile,
  SeriesError,
} from '../../src-main/catalog/series/series-loader'
import { useTempDir } from '../store/helpers'

const tempDir = useTempDir()
const RESOURCES = join(__dirname, '..', '..', 'resources')
const SERIES = join(RESOURCES, 'series')
const kernel612 = () => loadKernelProfile(join(RESOURCES, 'kernels', 'debian-6.12-arm64'))
const kernel61 = () => loadKernelProfile(join(RESOURCES, 'kernels', 'debian-6.1-arm64'))
const series = (...names: string[]) => findSeries(SERIES, names)

describe('series files', () => {
  it('ships the upstream series users argue about, each with its source and merge state', () => {
    const all = loadSeries(SERIES)
    expect(all.map((s) => s.name)).toEqual([
      'lezcano-2025-timer-modules-scene',
      'manjarres-2019-modular-iommu',
      'mcvicker-2021-exynos-select',
      'mediatek-2023-timer-modules',
      'ripard-2026-dma-buf-heaps-modules',
      'stultz-2019-dma-buf-heaps-modules',
    ])
    const byName = new Map(all.map((s) => [s.name, s]))
    expect(byName.get('lezcano-2025-timer-modules-scene')?.merged).toMatchObject({
      status: 'merged',
      in: '6.18',
    })
    expect(byName.get('mediatek-2023-timer-modules')?.source.messageId).toBe(
      '20230517022557.24388-1-walter.chang@mediatek.com',
    )
    expect(byName.get('mediatek-2023-timer-modules')?.merged.status).toBe('not-merged')
  })

  it('refuses a malformed file, naming the file and the field', () => {
    const path = join(tempDir(), 'broken.json')
    const good = JSON.parse(
      JSON.stringify(readSeriesFile(join(SERIES, 'mediatek-2023-timer-modules.json'))),
    )
    writeFileSync(
      path,
      JSON.stringify({
        ...good,
        name: 'broken',
        changes: [{ kind: 'export', patch: 1, symbol: 'x' }],
      }),
    )
    expect(() => readSeriesFile(path)).toThrow(SeriesError)
    expect(() => readSeriesFile(path)).toThrow(`${path}: changes.0.gpl:`)
    writeFileSync(
      path,
      JSON.stringify({ ...good, name: 'broken', source: { ...good.source, date: 'May 2023' } }),
    )
    expect(() => readSeriesFile(path)).toThrow(`${path}: source.date: a date as YYYY-MM-DD`)
    writeFileSync(path, JSON.stringify(good))
    expect(() => readSeriesFile(path)).toThrow(
      `${path}: name: "mediatek-2023-timer-modules" but the file is broken.json`,
    )
    writeFileSync(path, '{ "name": ')
    expect(() => readSeriesFile(path)).toThrow(new RegExp(`^${path}: `))
  })

  it('refuses an unknown series name with the list of known ones', () => {
    expect(() => series('nope')).toThrow(
      /^unknown series "nope"; known: lezcano-2025-timer-modules-scene, manjarres-2019-modular-iommu, /,
    )
  })
})

describe('applySeries', () => {
  it('without the MediaTek series, CONFIG_MTK_TIMER=m is refused: the symbol is bool', () => {
    expect(() => withConfig(kernel612(), { CONFIG_MTK_TIMER: 'm' })).toThrow(KernelProfileError)
    expect(() => withConfig(kernel612(), { CONFIG_MTK_TIMER: 'm' })).toThrow(
      /CONFIG_MTK_TIMER is a bool symbol \(driver mtk_syst_init\) and cannot be m/,
    )
  })

  it('with it, MTK_TIMER=m builds timer_mediatek, a platform driver that loads late', () => {
    const patched = applySeries(kernel612(), series('mediatek-2023-timer-modules'))
    const modular = withConfig(patched, { CONFIG_MTK_TIMER: 'm' })
    const drivers = modular.drivers.filter((d) => d.module === 'timer_mediatek')
    // The SYST and GPT timers probe differently (their of_device_id data), and a driver definition
    // holds one probe: the converted driver is two definitions of one name, one per compatible.
    const converted = [
      'mediatek-timer',
      { kind: 'initcall', level: 'device' },
      'mtk_timer_driver_init',
      true,
    ]
    expect(drivers.map((d) => [d.name, d.registration, d.initcall, d.tristate])).toEqual([
      converted,
      converted,
    ])
    expect(drivers.flatMap((d) => d.compatible).sort()).toEqual([
      'mediatek,mt6577-timer',
      'mediatek,mt6765-timer',
    ])
    expect(modular.modules.find((m) => m.name === 'timer_mediatek')).toMatchObject({
      kconfig: 'CONFIG_MTK_TIMER',
      path: 'kernel/drivers/clocksource/timer-mediatek.ko',
      hasExit: true,
    })
    expect(modular.kconfig.CONFIG_MTK_TIMER?.type).toBe('tristate')
    expect(modular.exports.find((e) => e.name === 'sched_clock_register')).toEqual({
      name: 'sched_clock_register',
      gpl: true,
    })
    expect(initRemoved(modular, 'timer_of_init')).toBe(true)
    // Built in (`#ifndef MODULE`), the series keeps TIMER_OF_DECLARE.
    const builtIn = withConfig(modular, { CONFIG_MTK_TIMER: 'y' })
    expect(
      builtIn.drivers
        .filter((d) => d.module === 'timer_mediatek')
        .map((d) => [d.name, d.registration]),
    ).toEqual([
      ['mtk_syst_init', { kind: 'of_declare', table: 'timer' }],
      ['mtk_gpt_init', { kind: 'of_declare', table: 'timer' }],
    ])
  })

  it('is deterministic and records what each change did', () => {
    const kernel = kernel612()
    const list = series('lezcano-2025-timer-modules-scene', 'mediatek-2023-timer-modules')
    const a = applySeries(kernel, list)
    expect(applySeries(kernel, list)).toBe(a)
    expect(a.series?.map((s) => s.name)).toEqual([
      'lezcano-2025-timer-modules-scene',
      'mediatek-2023-timer-modules',
    ])
    const outcomes = a.series?.flatMap((s) => s.changes.map((c) => c.outcome))
    expect(outcomes).toContain('no module timer_sun5i in this kernel')
    // Lezcano's export came first: MediaTek's is then already there.
    expect(a.series?.[1]?.changes[1]).toMatchObject({
      change: { kind: 'export', symbol: 'sched_clock_register' },
      outcome: 'already exported',
    })
    // A fresh read of the same kernel gives the same variant, field for field.
    const fresh = applySeries(
      readKernelProfile(join(RESOURCES, 'kernels', 'debian-6.12-arm64')),
      list,
    )
    expect(JSON.stringify([fresh.drivers, fresh.modules, fresh.exports, fresh.series])).toBe(
      JSON.stringify([a.drivers, a.modules, a.exports, a.series]),
    )
    // The profile it came from is left as it was.
    expect(kernel.exports.some((e) => e.name === 'sched_clock_register')).toBe(false)
    expect(kernel.series).toBeUndefined()
  })

  it('refuses a series on a kernel it does not apply to, and one given twice', () => {
    expect(() => applySeries(kernel612(), series('manjarres-2019-modular-iommu'))).toThrow(
      /^series manjarres-2019-modular-iommu does not apply to kernel debian-6.12-arm64 \(6\.12\): it was written for the v5\.2/,
    )
    expect(() => applySeries(kernel61(), series('ripard-2026-dma-buf-heaps-modules'))).toThrow(
      'series ripard-2026-dma-buf-heaps-modules does not apply to kernel debian-6.1-arm64 (6.1): it applies to 6.12',
    )
    const once = applySeries(kernel612(), series('mediatek-2023-timer-modules'))
    expect(() => applySeries(once, series('mediatek-2023-timer-modules'))).toThrow(
      'series mediatek-2023-timer-modules is applied twice to kernel debian-6.12-arm64',
    )
  })

  it('makes the heaps tristate and permanent, with their namespaced exports', () => {
    expect(() => withConfig(kernel612(), { CONFIG_DMABUF_HEAPS_SYSTEM: 'm' })).toThrow(
      'CONFIG_DMABUF_HEAPS_SYSTEM is a bool symbol and cannot be m',
    )
    const patched = withConfig(
      applySeries(kernel612(), series('ripard-2026-dma-buf-heaps-modules')),
      {
        CONFIG_DMABUF_HEAPS: 'y',
        CONFIG_DMABUF_HEAPS_SYSTEM: 'm',
        CONFIG_DMABUF_HEAPS_CMA: 'm',
      },
    )
    expect(patched.modules.find((m) => m.name === 'cma_heap')).toMatchObject({
      hasExit: false,
      importNamespaces: ['DMA_BUF', 'DMA_BUF_HEAP'],
    })
    expect(patched.exports.find((e) => e.name === 'dma_heap_add')).toEqual({
      name: 'dma_heap_add',
      gpl: true,
      namespace: 'DMA_BUF_HEAP',
    })
  })

  it("drops ARCH_EXYNOS's selects and makes the Exynos SoC symbols tristate (McVicker)", () => {
    const before = kernel612().kconfig.CONFIG_PINCTRL_EXYNOS
    expect(before).toMatchObject({ type: 'bool', selectedBy: ['ARCH_EXYNOS'] })
    const patched = applySeries(kernel612(), series('mcvicker-2021-exynos-select'))
    expect(patched.kconfig.CONFIG_PINCTRL_EXYNOS).toMatchObject({
      type: 'tristate',
      selectedBy: [],
    })
    expect(patched.kconfig.CONFIG_EXYNOS_PM_DOMAINS?.selectedBy).toEqual([])
    // CLKSRC_EXYNOS_MCT is not part of it.
    expect(patched.kconfig.CONFIG_CLKSRC_EXYNOS_MCT?.selectedBy).toEqual(['ARCH_EXYNOS'])
    // Its modules are not described: m is refused naming the missing module.
    expect(() => withConfig(patched, { CONFIG_EXYNOS_PMU: 'm' })).toThrow(
      'CONFIG_EXYNOS_PMU=m but no module "exynos_pmu" describes driver exynos-pmu\'s .ko',
    )
  })
})
