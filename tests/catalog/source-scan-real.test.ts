import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { scanSource, type SourceScan } from '../../scripts/kernel-import/source-scan.mjs'

const ROOT = join(__dirname, '..', '..')
const KERNELS = join(ROOT, '.cache', 'kernels')
const DIRS = [
  'drivers/clocksource',
  'drivers/iommu',
  'drivers/dma-buf',
  'drivers/tty/serial',
  'drivers/hwtracing/coresight',
]

/**
 * Debian's linux-source-<series> extracted to .cache/src/linux-source-<series>, and
 * linux-image-<series>.*-arm64's config and modules tree in .cache/kernels/<release>/ (both by
 * scripts/fetch-kernel-packages.sh <series> --source). CI must provide them: there the tests fail
 * instead of skipping.
 */
function realSource(series: string) {
  const src = join(ROOT, '.cache', 'src', `linux-source-${series}`)
  const pattern = new RegExp(`^${series.replace('.', '\\.')}\\..*-arm64$`)
  const img = existsSync(KERNELS)
    ? readdirSync(KERNELS)
        .filter((release) => pattern.test(release))
        .map((release) => join(KERNELS, release))[0]
    : undefined
  const hasSource = existsSync(join(src, 'Kconfig')) && existsSync(join(src, 'drivers'))
  const configFile = img && existsSync(join(img, 'config')) ? join(img, 'config') : undefined
  const builtinFile = img
    ? readdirSync(join(img, 'lib', 'modules'))
        .map((release) => join(img, 'lib', 'modules', release, 'modules.builtin'))
        .find((file) => existsSync(file))
    : undefined
  if (process.env.CI && (!hasSource || !configFile || !builtinFile))
    throw new Error(
      `CI must fetch the ${series} packages: bash scripts/fetch-kernel-packages.sh ${series} --source`,
    )
  const scan = (): SourceScan => {
    const config = configFile ? readFileSync(configFile, 'utf8') : undefined
    return scanSource(src, { ...(config ? { config } : {}), dirs: DIRS })
  }
  const skipped = hasSource ? '' : ` (skipped: .cache/src/linux-source-${series} is not extracted)`
  return {
    hasSource,
    configFile,
    builtinFile,
    scan,
    title: `Debian’s linux-source-${series}${skipped}`,
  }
}

/** Every object kbuild builds, y or m, against the package's modules.builtin and modules.order. */
function expectPackageLists(scan: SourceScan, builtinFile: string) {
  const list = (name: string) =>
    readFileSync(join(dirname(builtinFile), name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replace(/^kernel\//, '').replace(/\.ko$/, ''))
  const builtin = list('modules.builtin')
  const modules = list('modules.order')
  expect(builtin).toContain('drivers/iommu/arm/arm-smmu/arm_smmu')
  expect(builtin).toContain('drivers/tty/serial/amba-pl011')
  expect(builtin.filter((path) => scan.objects[path]?.value !== 'y')).toEqual([])
  expect(modules.filter((path) => scan.objects[path]?.value !== 'm')).toEqual([])
  const asModules = Object.entries(scan.objects).filter(([, o]) => o.value === 'm')
  expect(asModules.map(([path]) => path).sort()).toEqual([...modules].sort())
}

const v612 = realSource('6.12')
describe.skipIf(!v612.hasSource)(v612.title, () => {
  let scan: SourceScan
  beforeAll(() => {
    scan = v612.scan()
  }, 300_000)

  it('timer-mediatek: two TIMER_OF_DECLAREs, built in by the bool MTK_TIMER', () => {
    const file = scan.drivers['drivers/clocksource/timer-mediatek.c']
    expect(
      file?.declares?.map(({ macro, table, compatible, fn }) => [macro, table, compatible, fn]),
    ).toEqual([
      ['TIMER_OF_DECLARE', 'timer', 'mediatek,mt6577-timer', 'mtk_gpt_init'],
      ['TIMER_OF_DECLARE', 'timer', 'mediatek,mt6765-timer', 'mtk_syst_init'],
    ])
    expect(file?.objects).toEqual(['drivers/clocksource/timer-mediatek'])
    expect(file?.exit).toBe(false)
    expect(scan.objects['drivers/clocksource/timer-mediatek']).toMatchObject({
      module: 'timer_mediatek',
      config: 'MTK_TIMER',
    })
    expect(scan.kconfig.MTK_TIMER).toMatchObject({
      type: 'bool',
      prompt: true,
      promptIf: 'COMPILE_TEST',
      select: [{ symbol: 'TIMER_OF' }, { symbol: 'CLKSRC_MMIO' }],
    })
  })

  it('exynos_mct: TIMER_OF_DECLAREs for exynos4210 and exynos4412, bool CLKSRC_EXYNOS_MCT', () => {
    const file = scan.drivers['drivers/clocksource/exynos_mct.c']
    expect(file?.declares?.map((d) => [d.compatible, d.fn])).toEqual([
      ['samsung,exynos4210-mct', 'mct_init_spi'],
      ['samsung,exynos4412-mct', 'mct_init_ppi'],
    ])
    expect(scan.objects['drivers/clocksource/exynos_mct']?.config).toBe('CLKSRC_EXYNOS_MCT')
    expect(scan.kconfig.CLKSRC_EXYNOS_MCT?.type).toBe('bool')
  })

  it('arm-smmu: platform driver "arm-smmu" in module arm_smmu, tristate ARM_SMMU', () => {
    const file = scan.drivers['drivers/iommu/arm/arm-smmu/arm-smmu.c']
    expect(file?.tables?.[0]?.compatibles).toContain('arm,mmu-500')
    expect(file?.drivers).toEqual([
      expect.objectContaining({
        var: 'arm_smmu_driver',
        type: 'platform_driver',
        name: 'arm-smmu',
        table: 'arm_smmu_of_match',
      }),
    ])
    expect(file?.inits).toEqual([
      expect.objectContaining({
        fn: 'arm_smmu_init',
        level: 'device',
        via: 'module_init',
        registers: ['arm_smmu_driver'],
      }),
    ])
    expect(file?.exit).toBe(true)
    expect(file?.license).toBe('GPL v2')
    expect(file?.objects).toEqual(['drivers/iommu/arm/arm-smmu/arm_smmu'])
    const object = scan.objects['drivers/iommu/arm/arm-smmu/arm_smmu']
    expect(object).toMatchObject({ module: 'arm_smmu', config: 'ARM_SMMU' })
    expect(object?.sources).toContain('drivers/iommu/arm/arm-smmu/arm-smmu-impl.c')
    expect(scan.kconfig.ARM_SMMU?.type).toBe('tristate')
  })

  it('system_heap: module_init with no module_exit', () => {
    const file = scan.drivers['drivers/dma-buf/heaps/system_heap.c']
    expect(file?.inits).toEqual([
      expect.objectContaining({ fn: 'system_heap_create', level: 'device', via: 'module_init' }),
    ])
    expect(file?.exit).toBe(false)
    expect(scan.objects['drivers/dma-buf/heaps/system_heap']).toMatchObject({
      config: 'DMABUF_HEAPS_SYSTEM',
      via: ['DMA_SHARED_BUFFER', 'DMABUF_HEAPS'],
    })
    expect(scan.kconfig.DMABUF_HEAPS_SYSTEM?.type).toBe('bool')
  })

  it('amba-pl011: amba driver uart-pl011 with its peripheral ids, registered at arch_initcall', () => {
    const file = scan.drivers['drivers/tty/serial/amba-pl011.c']
    const pl011 = file?.drivers?.find((d) => d.var === 'pl011_driver')
    expect(pl011).toMatchObject({ type: 'amba_driver', name: 'uart-pl011' })
    expect(pl011?.amba).toContainEqual({ id: '0x00041011', mask: '0x000fffff' })
    expect(file?.inits).toEqual([
      expect.objectContaining({
        fn: 'pl011_init',
        level: 'arch',
        registers: ['arm_sbsa_uart_platform_driver', 'pl011_driver'],
      }),
    ])
    expect(file?.exit).toBe(true)
    expect(scan.objects['drivers/tty/serial/amba-pl011']?.module).toBe('amba_pl011')
    expect(scan.kconfig.SERIAL_AMBA_PL011?.type).toBe('tristate')
  })

  it('coresight: every amba_id table evaluates, CS_AMBA_* macros from headers of headers', () => {
    const etm4x = scan.drivers['drivers/hwtracing/coresight/coresight-etm4x-core.c']?.drivers?.find(
      (d) => d.type === 'amba_driver',
    )
    // CS_AMBA_MATCH_ALL_UCI(): PIDR2.JEDEC alone (coresight-priv.h:213), via coresight-etm4x.h.
    expect(etm4x?.amba?.at(-1)).toEqual({ id: '0x00080000', mask: '0x00080000' })
    expect(etm4x?.amba).toHaveLength(20)
    const amba = Object.values(scan.drivers).flatMap((file) =>
      (file.drivers ?? []).filter((d) => d.type === 'amba_driver'),
    )
    expect(amba.filter((d) => d.ambaSkipped)).toEqual([])
    expect(amba.filter((d) => !d.amba?.length).map((d) => d.name)).toEqual([])
  })

  it('resolves nearly every of_device_id table in the scanned folders to a driver and object', () => {
    const { tables, tablesResolved, unresolved } = scan.summary
    expect(tables).toBeGreaterThan(100)
    // Tables a function matches by hand (of_match_node in arch_timer_needs_of_probing()) have
    // no driver struct by design; every other table must resolve.
    const inCode = unresolved['matched in code (of_match_node etc.), no driver struct'] ?? 0
    expect(tablesResolved / (tables - inCode)).toBeGreaterThan(0.97)
  })

  it('reads tables declared `__maybe_unused` (used through of_match_ptr)', () => {
    const file = scan.drivers['drivers/iommu/arm/arm-smmu/arm-smmu-qcom.c']
    expect(file?.tables?.map((table) => table.name)).toContain('qcom_smmu_impl_of_match')
  })

  it.skipIf(!v612.builtinFile)(
    'object paths and y/m values match Debian’s modules.builtin and modules.order exactly',
    () => expectPackageLists(scan, v612.builtinFile as string),
  )
})

const v61 = realSource('6.1')
describe.skipIf(!v61.hasSource)(v61.title, () => {
  let scan: SourceScan
  beforeAll(() => {
    scan = v61.scan()
  }, 300_000)

  it('6.1’s own registrations: three MediaTek timers, arm-smmu by module_platform_driver', () => {
    const mediatek = scan.drivers['drivers/clocksource/timer-mediatek.c']
    expect(mediatek?.declares?.map((d) => [d.compatible, d.fn])).toEqual([
      ['mediatek,mt6577-timer', 'mtk_gpt_init'],
      ['mediatek,mt6765-timer', 'mtk_syst_init'],
      ['mediatek,mt6795-systimer', 'mtk_cpux_init'],
    ])
    expect(scan.drivers['drivers/iommu/arm/arm-smmu/arm-smmu.c']?.inits).toEqual([
      expect.objectContaining({
        fn: 'arm_smmu_driver_init',
        via: 'module_platform_driver',
        registers: ['arm_smmu_driver'],
      }),
    ])
    // Debian's 6.1 builds no DMA-BUF system heap.
    expect(scan.objects['drivers/dma-buf/heaps/system_heap']?.value).toBe('n')
    expect(scan.summary.kconfigMissing).toEqual([])
  })

  it.skipIf(!v61.builtinFile)(
    'object paths and y/m values match Debian’s modules.builtin and modules.order exactly',
    () => expectPackageLists(scan, v61.builtinFile as string),
  )
})
