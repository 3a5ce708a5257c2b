import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { withConfig } from '../../../src-main/catalog/kernel-profiles'
import { KernelRegistry } from '../../../src-main/catalog/kernel-registry'
import { runBoot, type BootRun } from '../../../src-main/sessions/boot-runner'
import { ROOT } from '../helpers'

/**
 * The proposal upstream answered the Exynos select thread with, which Linux does not have: built-in
 * drivers marked `free` (the kernel profile's `freeUnused`) are freed after free_initmem() when
 * nothing of them is in use (src-main/kernel/free-unused.ts). Each expectation below names what
 * the board does with the driver in the plain boot (tests/kernel/golden/soc, the board tables).
 */
const RESOURCES = join(ROOT, 'resources')
const KERNEL = 'debian-6.12-arm64'

const free = (...symbols: string[]) =>
  Object.fromEntries(symbols.map((symbol) => [`CONFIG_${symbol}`, 'free' as const]))

function boot(profile: string, config: ReturnType<typeof free>): BootRun {
  return runBoot({ profile, kernel: KERNEL, resources: RESOURCES, config })
}

const texts = (run: BootRun) => run.kernel.log.records.map((record) => record.text)

/** The debugfs listing as rows: symbol → [state, bytes, pages, reason]. */
function listing(run: BootRun): Map<string, string[]> {
  const [record] = run.shell.run('cat /sys/kernel/debug/free_unused_builtin')
  expect(record?.exitCode).toBe(0)
  const rows = (record?.stdout ?? '')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('\t'))
  return new Map(rows.map(([symbol, ...rest]) => [symbol as string, rest]))
}

describe('free_unused_builtin on Pixel 6 (the Exynos SoC drivers ARCH_EXYNOS selects)', () => {
  const run = boot(
    'pixel6-oriole',
    free(
      'EXYNOS_PMU',
      'EXYNOS_CHIPID',
      'PINCTRL_SAMSUNG',
      'PINCTRL_EXYNOS',
      'PINCTRL_EXYNOS_ARM64',
      'COMMON_CLK_SAMSUNG',
      'EXYNOS_ARM64_COMMON_CLK',
      'EXYNOS_PM_DOMAINS',
      'CLKSRC_EXYNOS_MCT',
      'ARM_SMMU_V3',
    ),
  )
  const rows = listing(run)

  it('still boots to /init, and says what it freed right after free_initmem(), labelled as a proposal', () => {
    expect(run.kernel.outcome.kind).toBe('running')
    const lines = texts(run)
    const initmem = lines.findIndex((text) => text.startsWith('Freeing unused kernel memory: '))
    expect(lines[initmem + 1]).toMatch(
      /^modlab: free_unused_builtin \(proposed upstream, not in Linux\): Freeing unused built-in driver memory: \d+K$/,
    )
    expect(lines[initmem + 2]).toMatch(/^modlab: free_unused_builtin: freed 3 of 10 symbols: /)
    expect(lines.findIndex((text) => text.startsWith('Run /init'))).toBeGreaterThan(initmem + 2)
  })

  it('keeps what bound, what an *_OF_DECLARE init ran, and the libraries kept code calls', () => {
    const state = (symbol: string) => rows.get(`CONFIG_${symbol}`)?.[0]
    const reason = (symbol: string) => rows.get(`CONFIG_${symbol}`)?.[3]
    expect(reason('EXYNOS_PMU')).toBe('exynos-pmu bound 17460000.system-controller')
    expect(reason('PINCTRL_SAMSUNG')).toMatch(/^samsung-pinctrl bound /)
    expect(reason('EXYNOS_ARM64_COMMON_CLK')).toMatch(/^gs101-cmu bound /)
    expect(reason('CLKSRC_EXYNOS_MCT')).toBe(
      'TIMER_OF_DECLARE mct_init_spi ran on /soc@0/timer@10050000',
    )
    // pinctrl-samsung calls pinctrl-exynos-arm64's tables, which call pinctrl-exynos (real build).
    expect(reason('PINCTRL_EXYNOS_ARM64')).toBe('called by CONFIG_PINCTRL_SAMSUNG, which is kept')
    expect(reason('PINCTRL_EXYNOS')).toBe('called by CONFIG_PINCTRL_EXYNOS_ARM64, which is kept')
    expect(reason('COMMON_CLK_SAMSUNG')).toBe(
      'called by CONFIG_EXYNOS_ARM64_COMMON_CLK, which is kept',
    )
    // gs101 has neither a chipid node exynos-chipid matches nor exynos-pd power domains.
    expect([...rows].filter(([, row]) => row[0] === 'freed').map(([symbol]) => symbol)).toEqual([
      'CONFIG_EXYNOS_CHIPID',
      'CONFIG_EXYNOS_PM_DOMAINS',
      'CONFIG_ARM_SMMU_V3',
    ])
    expect(state('EXYNOS_PMU')).toBe('kept')
  })

  it('reports the pages freed, the exact bytes and the alignment, and a size it cannot know', () => {
    const freed = [...rows.values()].filter((row) => row[0] === 'freed' && row[1] !== '-')
    const bytes = freed.reduce((sum, row) => sum + Number(row[1]), 0)
    const pages = freed.reduce((sum, row) => sum + Number(row[2]), 0)
    expect(pages % 4096).toBe(0)
    expect(pages).toBeGreaterThan(bytes)
    const lines = texts(run)
    expect(lines).toContain(
      `modlab: free_unused_builtin (proposed upstream, not in Linux): Freeing unused built-in driver memory: ${pages / 1024}K`,
    )
    const summary = lines.find((text) => text.startsWith('modlab: free_unused_builtin: freed'))
    expect(summary).toContain(
      `: ${bytes} bytes of sections, ${pages - bytes} bytes of page alignment`,
    )
    // No real build records arm-smmu-v3 and Debian builds no .ko of it.
    expect(rows.get('CONFIG_ARM_SMMU_V3')?.slice(0, 3)).toEqual(['freed', '-', '-'])
    expect(summary).toMatch(/; size unknown: CONFIG_ARM_SMMU_V3$/)
  })

  it('unregisters the freed drivers: a device that appears later finds none', () => {
    const [record] = run.shell.run('ls /sys/bus/platform/drivers')
    const drivers = (record?.stdout ?? '').split(/\s+/)
    expect(drivers).toContain('exynos-pmu')
    expect(drivers).not.toContain('exynos-chipid')
    expect(drivers).not.toContain('exynos-pd')
  })
})

describe('free_unused_builtin keeps what may still be called', () => {
  it('a library whose caller is built in and not freeable (db845c: pinctrl-exynos)', () => {
    const run = boot('db845c', free('PINCTRL_EXYNOS'))
    expect(listing(run).get('CONFIG_PINCTRL_EXYNOS')?.[3]).toBe(
      'called by CONFIG_PINCTRL_EXYNOS_ARM64, built in and not freeable',
    )
    expect(texts(run)).toContain(
      'modlab: free_unused_builtin (proposed upstream, not in Linux): Freeing unused built-in driver memory: 0K',
    )
  })

  it('a driver whose devices are still deferred, and a TIMER_OF_DECLARE that ran (mt8183-pumpkin)', () => {
    const run = boot('mt8183-pumpkin', free('MMC_MTK', 'MTK_TIMER'))
    const rows = listing(run)
    // The MMC hosts wait for the PMIC's regulators: a module may still bring them.
    expect(rows.get('CONFIG_MMC_MTK')?.[0]).toBe('kept')
    expect(rows.get('CONFIG_MMC_MTK')?.[3]).toMatch(
      /^11230000\.mmc is deferred and mtk-msdc may still bind it$/,
    )
    expect(rows.get('CONFIG_MTK_TIMER')?.[3]).toBe(
      'TIMER_OF_DECLARE mtk_syst_init ran on /soc/timer@10017000',
    )
    // Debian builds mtk-sd as a module: its .ko gives the sizes.
    expect(Number(rows.get('CONFIG_MMC_MTK')?.[1])).toBeGreaterThan(0)
    expect(texts(run).join('\n')).toMatch(/the 2 kept still hold \d+ bytes of alignment/)
  })
})

describe('free_unused_builtin and the AMBA bus', () => {
  it('keeps an AMBA driver while a device waits for its peripheral ID to be read', () => {
    // Without coldplug nothing loads clk_mt8183: the CPU debug blocks' apb_pclk never comes, and
    // amba_match() cannot tell which AMBA driver they are for (drivers/amba/bus.c).
    const run = runBoot({
      profile: 'mt8183-pumpkin',
      kernel: KERNEL,
      resources: RESOURCES,
      coldplug: 'none',
      config: free('SERIAL_AMBA_PL011'),
    })
    expect(listing(run).get('CONFIG_SERIAL_AMBA_PL011')?.[3]).toBe(
      "d410000.cpu-debug's peripheral ID is not read yet, and uart-pl011 may match it",
    )
  })
})

describe('the option in the kernel profile', () => {
  const registry = new KernelRegistry(join(RESOURCES, 'kernels'))
  const kernel = registry.find(KERNEL)
  if (!kernel) throw new Error(`no kernel ${KERNEL}`)

  it('free builds the symbol in and names it in freeUnused; y, m or n later takes it out', () => {
    const freed = withConfig(kernel, { CONFIG_EXYNOS_CLKOUT: 'free' })
    expect(freed.config.CONFIG_EXYNOS_CLKOUT).toBe('y')
    expect(freed.freeUnused).toEqual(['CONFIG_EXYNOS_CLKOUT'])
    expect(kernel.freeUnused).toBeUndefined()
    expect(withConfig(freed, { CONFIG_EXYNOS_CLKOUT: 'm' }).freeUnused).toBeUndefined()
  })

  it('an unknown symbol is refused by name', () => {
    expect(() => withConfig(kernel, { CONFIG_NO_SUCH_DRIVER: 'free' })).toThrow(
      /unknown Kconfig symbol CONFIG_NO_SUCH_DRIVER/,
    )
  })

  it('a boot without it prints nothing of it and has no debugfs file', () => {
    const run = runBoot({ profile: 'qemu-virt', kernel: KERNEL, resources: RESOURCES })
    expect(texts(run).some((text) => text.startsWith('modlab:'))).toBe(false)
    expect(run.shell.run('cat /sys/kernel/debug/free_unused_builtin')[0]?.exitCode).not.toBe(0)
  })
})
