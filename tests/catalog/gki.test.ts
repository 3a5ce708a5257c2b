import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  gkiModule,
  gkiSource,
  inKmi,
  kmiListNames,
  kmiListsContaining,
  kmiRequiredBy,
  moduleName,
} from '../../src-main/catalog/gki'

const ROOT = join(__dirname, '..', '..')
const DATA = join(ROOT, 'resources', 'gki', 'android16-6.12')
const UPSTREAM = join(DATA, 'upstream')

function importLists(upstream: string, out: string): string {
  return execFileSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts/gki/import-gki-lists.ts'), upstream, out],
    { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' },
  )
}

describe('Android GKI data (android16-6.12)', () => {
  it('says where it was read: repository, branch and the commit of every file', () => {
    const source = gkiSource()
    expect(source.repository).toBe('maade93791/kernel_common-6.12')
    expect(source.branch).toBe('android16-6.12')
    expect(source.files.map((file) => file.path)).toEqual([
      ...kmiListNames().map((list) => `gki/aarch64/symbols/${list}`),
      'modules.bzl',
    ])
    for (const file of source.files) {
      expect(file.commit).toMatch(/^[0-9a-f]{40}$/)
      const text = readFileSync(join(UPSTREAM, file.path))
      expect(createHash('sha256').update(text).digest('hex')).toBe(file.sha256)
    }
    // every list under gki/aarch64/symbols/ that the index holds
    expect(source.notImported).toEqual([])
  })

  it('holds the lists with the counts the import recorded', () => {
    expect(kmiListNames()).toEqual([
      'amlogic',
      'bcmstb',
      'cix',
      'db845c',
      'exynos',
      'exynosauto',
      'imx',
      'moto',
      'mtk',
      'nvidia',
      'oplus',
      'pixel',
      'pixel_watch',
      'qcom',
      'rockchip',
      'rtktv',
      'telechips',
      'virtual_device',
      'vivo',
    ])
    const counts = Object.fromEntries(gkiSource().files.map((file) => [file.list, file.symbols]))
    expect(counts).toMatchObject({
      amlogic: 3063,
      cix: 2097,
      db845c: 2053,
      exynos: 2385,
      imx: 3093,
      mtk: 3879,
      nvidia: 4253,
      pixel: 3588,
      pixel_watch: 2403,
      qcom: 4124,
      rockchip: 2824,
      telechips: 1653,
      virtual_device: 1422,
      // rtktv names device_pm_wait_for_dev four times: a list is a set
      rtktv: 26,
    })
  })

  it('names the lists that hold a symbol', () => {
    const big = ['exynos', 'exynosauto', 'imx', 'mtk', 'pixel', 'pixel_watch', 'qcom', 'rockchip']
    expect(kmiListsContaining('timer_of_init')).toEqual(['imx', 'mtk'])
    expect(kmiListsContaining('clocksource_mmio_init')).toEqual(['imx'])
    expect(kmiListsContaining('clockevents_config_and_register')).toEqual([
      'cix',
      'exynos',
      'imx',
      'mtk',
      'pixel',
      'rockchip',
    ])
    expect(kmiListsContaining('__clocksource_register_scale')).toEqual(['cix', 'exynos', 'pixel'])
    expect(kmiListsContaining('cma_alloc')).toEqual(['amlogic', 'cix', ...big, 'telechips'])
    expect(kmiListsContaining('cma_release')).toEqual(['amlogic', 'cix', ...big, 'telechips'])
    expect(kmiListsContaining('dma_heap_get_drvdata')).toEqual([
      'amlogic',
      'cix',
      ...big,
      'telechips',
    ])
    expect(kmiListsContaining('dma_heap_add')).toEqual([
      'amlogic',
      'cix',
      'db845c',
      ...big,
      'telechips',
      'virtual_device',
    ])
    const iommu = ['amlogic', 'cix', 'db845c', 'exynos', 'exynosauto', 'imx', 'mtk', 'nvidia']
    expect(kmiListsContaining('iommu_device_register')).toEqual([
      ...iommu,
      'pixel',
      'pixel_watch',
      'qcom',
      'rockchip',
    ])
    expect(kmiListsContaining('iommu_device_sysfs_add')).toEqual([
      ...iommu,
      'pixel',
      'pixel_watch',
      'qcom',
      'rockchip',
    ])
    expect(kmiListsContaining('irq_of_parse_and_map')).toEqual([
      'amlogic',
      'bcmstb',
      'cix',
      'db845c',
      'exynos',
      'exynosauto',
      'imx',
      'mtk',
      'nvidia',
      'pixel',
      'pixel_watch',
      'qcom',
      'rockchip',
      'telechips',
    ])
    expect(kmiListsContaining('of_clk_get')).toEqual([
      'amlogic',
      'db845c',
      'imx',
      'mtk',
      'nvidia',
      'pixel',
      'rockchip',
      'telechips',
    ])
  })

  it('says no for symbols no imported list names', () => {
    for (const symbol of [
      'sched_clock_register',
      'of_iommu_configure',
      'arm_smmu_impl_init',
      'dev_get_cma_area',
      'exynos_get_pmu_regmap',
      // A static inline: the lists name what it calls, __clocksource_register_scale.
      'clocksource_register_hz',
      '',
    ])
      expect(inKmi(symbol), symbol).toBe(false)
    expect(inKmi('sched_clock')).toBe(true)
  })

  it("names the partner modules a list's `# required by` section gives a symbol to", () => {
    expect(kmiRequiredBy('iommu_device_register')).toEqual([
      { list: 'cix', module: 'arm_smmu_v3.ko' },
      { list: 'db845c', module: 'arm_smmu.ko' },
      { list: 'exynos', module: 'samsung_iommu_v9.ko' },
      { list: 'exynosauto', module: 'samsung_iommu_v9.ko' },
      { list: 'rockchip', module: 'rockchip_iommu.ko' },
    ])
    expect(kmiRequiredBy('clockevents_config_and_register')).toEqual([
      { list: 'cix', module: 'timer-sky1-gpt.ko' },
      { list: 'exynos', module: 'exynos_mct_v3.ko' },
      { list: 'rockchip', module: 'timer-rockchip.ko' },
    ])
    expect(kmiRequiredBy('dma_heap_get_drvdata')).toEqual([
      { list: 'exynos', module: 'samsung_dma_heap.ko' },
      { list: 'exynosauto', module: 'samsung_dma_heap.ko' },
      { list: 'rockchip', module: 'rk_cma_heap.ko' },
    ])
    // cix and telechips build the upstream cma_heap.ko as their own module
    expect(kmiRequiredBy('cma_alloc')).toEqual([
      { list: 'cix', module: 'cma_heap.ko' },
      { list: 'telechips', module: 'cma_heap.ko' },
    ])
    expect(kmiRequiredBy('__clocksource_register_scale')).toEqual([
      { list: 'cix', module: 'timer-sky1-gpt.ko' },
      { list: 'exynos', module: 'exynos_mct_v3.ko' },
    ])
    expect(kmiRequiredBy('dma_heap_add')).toEqual([
      { list: 'db845c', module: 'system_heap.ko' },
      { list: 'exynos', module: 'samsung_dma_heap.ko' },
      { list: 'exynosauto', module: 'samsung_dma_heap.ko' },
      { list: 'virtual_device', module: 'system_heap.ko' },
    ])
    // In imx's and mtk's lists, neither of which has sections.
    expect(kmiRequiredBy('timer_of_init')).toEqual([])
  })

  it('tells GKI modules (modules.bzl) from vendor modules, by path or by name', () => {
    expect(gkiModule('drivers/dma-buf/heaps/system_heap.ko')).toBe(false)
    expect(gkiModule('system_heap.ko')).toBe(false)
    expect(gkiModule('drivers/dma-buf/heaps/cma_heap.ko')).toBe(false)
    expect(gkiModule('cma_heap')).toBe(false)
    expect(gkiModule('drivers/block/zram/zram.ko')).toBe(true)
    expect(gkiModule('kernel/drivers/block/zram/zram.ko')).toBe(true)
    expect(gkiModule('zram')).toBe(true)
    expect(gkiModule('can-dev')).toBe(true)
    expect(gkiModule('can_dev')).toBe(true)
    // arm64's own list
    expect(gkiModule('arch/arm64/geniezone/gzvm.ko')).toBe(true)
    // commented out in modules.bzl, and the KUnit modules are not get_gki_modules_list's
    expect(gkiModule('crypto/sha1_generic.ko')).toBe(false)
    expect(gkiModule('drivers/android/binder/rust_binder.ko')).toBe(false)
    expect(gkiModule('lib/kunit/kunit.ko')).toBe(false)
    expect(gkiModule('  ')).toBe(false)
    expect(moduleName('drivers/net/can/dev/can-dev.ko')).toBe('can_dev')
  })
})

describe('scripts/gki/import-gki-lists.ts', () => {
  const made: string[] = []
  afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })))
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'modlab-gki-'))
    made.push(dir)
    return dir
  }

  it('reproduces the committed data from the upstream files', () => {
    const out = scratch()
    importLists(UPSTREAM, out)
    for (const name of ['kmi.json', 'provenance.json'])
      expect(readFileSync(join(out, name), 'utf8'), name).toBe(
        readFileSync(join(DATA, name), 'utf8'),
      )
  })

  it('refuses a copy that lost a line', () => {
    const dir = scratch()
    cpSync(UPSTREAM, join(dir, 'upstream'), { recursive: true })
    const list = join(dir, 'upstream', 'gki/aarch64/symbols/mtk')
    writeFileSync(list, readFileSync(list, 'utf8').replace('  timer_of_init\n', ''))
    expect(() => importLists(join(dir, 'upstream'), join(dir, 'out'))).toThrow(
      /gki\/aarch64\/symbols\/mtk: 90261 characters, the index holds 90277/,
    )
  })
})
