import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  isCoreInit,
  loadRealBuild,
  neededSymbols,
  realBuildOf,
  type RealBuildDriver,
  runningBuild,
} from '../../src-main/catalog/real-build'

const RESOURCES = join(__dirname, '..', '..', 'resources')

/** The driver's record, failing (not skipping) when the generated data lacks it. */
function driver(symbol: string): RealBuildDriver {
  const found = realBuildOf(RESOURCES, '6.12', symbol)
  if (!found) throw new Error(`resources/real-build/6.12.json has no ${symbol}`)
  return found
}

/** The needed symbols of a module once its code runs, by name. */
function needs(symbol: string, module: string) {
  const d = driver(symbol)
  return new Map(neededSymbols(d, runningBuild(d), module).map((s) => [s.symbol, s]))
}

const unexported = (symbol: string, module: string) =>
  [...needs(symbol, module).values()].filter((s) => !s.export).map((s) => s.symbol)

describe('real build of 6.12 drivers as modules', () => {
  it('loads with the provenance of the packages and the compiler', () => {
    const build = loadRealBuild(RESOURCES, '6.12')
    expect(build).toBeDefined()
    const { provenance } = build!
    expect(provenance.release).toBe('6.12.117+deb12-arm64')
    expect(provenance.packages.map((p) => p.name)).toEqual([
      'linux-headers-6.12.117+deb12-arm64',
      'linux-headers-6.12.117+deb12-common',
      'linux-kbuild-6.12.117+deb12',
      'linux-image-6.12.117+deb12-arm64-dbg',
      'linux-source-6.12',
    ])
    for (const p of provenance.packages) expect(p.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(provenance.toolchain.gcc).toMatch(/^aarch64-linux-gnu-gcc-12 .* 12\.2\.0$/)
    expect(realBuildOf(RESOURCES, '6.12', 'CONFIG_MTK_TIMER')?.kconfig).toBe('MTK_TIMER')
    expect(realBuildOf(RESOURCES, '9.9', 'MTK_TIMER')).toBeUndefined()
  })

  it('timer-mediatek: bool, selected by ARCH_MEDIATEK; a plain module build drops its init code', () => {
    const mtk = driver('MTK_TIMER')
    expect(mtk.kconfigFacts).toMatchObject({ type: 'bool', promptIf: 'COMPILE_TEST', value: 'y' })
    expect(mtk.kconfigFacts.selectedBy.map((s) => s.by)).toContain('ARCH_MEDIATEK')
    expect(mtk.registrations.map((r) => `${r.macro} ${r.arg}`)).toEqual([
      'TIMER_OF_DECLARE mtk_mt6577',
      'TIMER_OF_DECLARE mtk_mt6765',
    ])
    expect(mtk.asIs.modpost.join('\n')).toContain('missing MODULE_LICENSE()')
    const plain = mtk.builds.plain.modules.timer_mediatek!
    expect(plain.undefined).toEqual([])
    expect(plain.sections['.text']).toBe(0)
    expect(plain.hasInit).toBe(false)
    expect(mtk.builds.keep!.modules.timer_mediatek!.hasExit).toBe(false)
  })

  it('timer-mediatek needs timer_of_init, sched_clock_register and the mmio clocksource: __init, unexported', () => {
    const mtk = needs('MTK_TIMER', 'timer_mediatek')
    expect(unexported('MTK_TIMER', 'timer_mediatek')).toEqual([
      'clocksource_mmio_init',
      'clocksource_mmio_readl_up',
      'sched_clock_register',
      'timer_of_init',
    ])
    for (const name of ['timer_of_init', 'sched_clock_register', 'clocksource_mmio_init'])
      expect(isCoreInit(mtk.get(name)!)).toBe(true)
    expect(mtk.get('timer_of_init')!.definition).toEqual({
      at: expect.stringMatching(/^drivers\/clocksource\/timer-of\.c:\d+$/),
      marker: '__init',
    })
    expect(mtk.get('clockevents_config_and_register')!.export).toMatchObject({ gpl: true })
    const modpost = driver('MTK_TIMER').builds.keep!.modpost
    expect(modpost).toContain('WARNING: modpost: "timer_of_init" [$M/timer-mediatek.ko] undefined!')
  })

  it("timer-mediatek with MediaTek's series: nothing left missing", () => {
    const series = driver('MTK_TIMER').series.find((s) => s.name === 'mediatek-2023-timer-modules')
    expect(series?.stillMissing).toEqual([])
    expect(series?.modpost.filter((line) => line.includes('undefined!'))).toEqual([])
    expect(series?.initRemoved).toContain('timer_of_init')
  })

  it('exynos_mct: its TIMER_OF_DECLARE init code needs sched_clock_register (__init) and of_irq_count', () => {
    const mct = driver('CLKSRC_EXYNOS_MCT')
    expect(mct.kconfigFacts.selectedBy.map((s) => s.by)).toEqual(['ARCH_EXYNOS'])
    expect(mct.builds.plain.modules.exynos_mct!.undefined).toEqual([])
    const needed = needs('CLKSRC_EXYNOS_MCT', 'exynos_mct')
    expect(unexported('CLKSRC_EXYNOS_MCT', 'exynos_mct')).toEqual([
      'of_irq_count',
      'sched_clock_register',
    ])
    expect(isCoreInit(needed.get('sched_clock_register')!)).toBe(true)
    expect(isCoreInit(needed.get('of_irq_count')!)).toBe(false)
    // exporting sched_clock_register (MediaTek's series) still leaves of_irq_count
    const series = mct.series.find((s) => s.name === 'mediatek-2023-timer-modules')
    expect(series?.stillMissing).toEqual(['of_irq_count'])
  })

  it('keeping the tables agrees with -fkeep-static-functions on what the init code needs', () => {
    for (const symbol of ['MTK_TIMER', 'CLKSRC_EXYNOS_MCT', 'EXYNOS_ARM64_COMMON_CLK']) {
      const d = driver(symbol)
      for (const [name, keep] of Object.entries(d.builds.keep!.modules)) {
        const wide = d.builds['keep-static']!.modules[name]!
        for (const needed of keep!.undefined) expect(wide.undefined).toContain(needed)
      }
    }
  })

  it("agrees with Debian's own build on the modules Debian ships", () => {
    for (const [symbol, module] of [
      ['EXYNOS_CLKOUT', 'clk_exynos_clkout'],
      ['EXYNOS_USI', 'exynos_usi'],
    ] as const) {
      const d = driver(symbol)
      const debian = d.debianKo?.[module]
      expect(debian, `${symbol}: Debian's .ko`).toBeDefined()
      const ours = d.builds.plain.modules[module]!
      expect(ours.undefined).toEqual(debian!.undefined)
      expect([ours.hasInit, ours.hasExit]).toEqual([debian!.hasInit, debian!.hasExit])
      for (const section of ['.init.text', '.exit.text', '.data', '.rodata', '.bss'])
        expect(ours.sections[section], section).toBe(debian!.sections[section])
      // Debian compiled with gcc 12.2.0-14+deb12u1 (the headers' CONFIG_CC_VERSION_TEXT); the
      // cross compiler Debian offers is 12.2.0-14cross1: its .text comes out a few bytes apart
      const text = debian!.sections['.text']!
      expect(Math.abs(ours.sections['.text']! - text)).toBeLessThanOrEqual(text * 0.05)
    }
  })

  it("the source's __init markers agree with where the real System.map places each symbol", () => {
    let compared = 0
    for (const d of loadRealBuild(RESOURCES, '6.12')!.drivers)
      for (const symbol of d.symbols) {
        if (!symbol.vmlinux || !symbol.definition) continue
        compared++
        const marked = /^__init/.test(symbol.definition.marker ?? '')
        expect(symbol.vmlinux.section.startsWith('init.'), symbol.symbol).toBe(marked)
      }
    expect(compared).toBeGreaterThan(20)
  })

  it('arm-smmu: tristate, builds as a module with every symbol exported', () => {
    const smmu = driver('ARM_SMMU')
    expect(smmu.kconfigFacts.type).toBe('tristate')
    expect(smmu.builds.plain.modpost).toEqual([])
    expect(unexported('ARM_SMMU', 'arm_smmu')).toEqual([])
    expect(smmu.builds.plain.modules.arm_smmu).toMatchObject({ hasInit: true, hasExit: true })
  })

  it('the heaps: dma-heap.c exports nothing, the CMA area is not exported, dma_buf_export is in DMA_BUF', () => {
    expect(unexported('DMABUF_HEAPS_SYSTEM', 'system_heap')).toEqual([
      'dma_heap_add',
      'dma_heap_get_name',
    ])
    expect(unexported('DMABUF_HEAPS_CMA', 'cma_heap')).toEqual([
      'cma_alloc',
      'cma_get_name',
      'cma_release',
      'dma_contiguous_default_area',
      'dma_heap_add',
      'dma_heap_get_drvdata',
      'dma_heap_get_name',
    ])
    const cma = needs('DMABUF_HEAPS_CMA', 'cma_heap')
    // Debian's 6.12 has DMABUF_HEAPS off: dma-heap.c is not in its vmlinux at all
    expect(cma.get('dma_heap_add')!.vmlinux).toBeNull()
    expect(cma.get('cma_alloc')!.vmlinux?.section).toBe('text')
    expect(cma.get('dma_buf_export')!.export).toMatchObject({ gpl: true, namespace: 'DMA_BUF' })
    expect(driver('DMABUF_HEAPS_CMA').asIs.modpost).toContain(
      'ERROR: modpost: module cma_heap uses symbol dma_buf_export from namespace DMA_BUF, but does not import it.',
    )
  })

  it('the Exynos SoC drivers: bool and selected by ARCH_EXYNOS, except the tristate chipid', () => {
    for (const symbol of [
      'EXYNOS_PMU',
      'PINCTRL_EXYNOS',
      'COMMON_CLK_SAMSUNG',
      'CLKSRC_EXYNOS_MCT',
    ])
      expect(driver(symbol).kconfigFacts.selectedBy.map((s) => s.by)).toContain('ARCH_EXYNOS')
    expect(driver('EXYNOS_PM_DOMAINS').kconfigFacts.selectedBy).toEqual([
      expect.objectContaining({ by: 'ARCH_EXYNOS', if: 'PM_GENERIC_DOMAINS' }),
    ])
    const chipid = driver('EXYNOS_CHIPID')
    expect(chipid.kconfigFacts).toMatchObject({ type: 'tristate', selectedBy: [] })
    expect(chipid.asIs.modpost).toEqual([])
    expect(driver('EXYNOS_PMU').ownExports).toContain('exynos_get_pmu_regmap')
  })
})
