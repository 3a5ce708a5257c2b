import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  parseKbuild,
  parseKconfig,
  scanC,
  scanSource,
  type SourceScan,
} from '../../scripts/kernel-import/source-scan.mjs'
import { useTempDir } from '../store/helpers'

const tempDir = useTempDir()
const ROOT = join(__dirname, '..', '..')
const SCANNER = join(ROOT, 'scripts', 'kernel-import', 'source-scan.mjs')

describe('Kconfig parser', () => {
  it('joins depends from if/endif, menu and the entry, skips help text by indentation', () => {
    const symbols = parseKconfig(
      [
        'menu "Timers"',
        '\tdepends on GENERIC_CLOCKEVENTS',
        'if HAS_IOMEM',
        'config MTK_TIMER',
        '\tbool "Mediatek timer driver" if COMPILE_TEST',
        '\tdepends on ARM || ARM64',
        '\tselect TIMER_OF',
        '\tselect CLKSRC_MMIO if !ARM',
        '\thelp',
        '\t  Help text that looks like Kconfig:',
        '\t  config NOT_A_SYMBOL',
        '',
        '\t    bool "indented deeper still"',
        'endif',
        'config AFTER_IF',
        '\tdef_tristate m if MODULES',
        'endmenu',
        'config OUTSIDE',
        '\ttristate',
        '\tdefault y',
      ].join('\n'),
      'drivers/clocksource/Kconfig',
    )
    expect(Object.keys(symbols)).toEqual(['MTK_TIMER', 'AFTER_IF', 'OUTSIDE'])
    expect(symbols.MTK_TIMER).toMatchObject({
      type: 'bool',
      prompt: true,
      promptIf: 'COMPILE_TEST',
      depends: 'GENERIC_CLOCKEVENTS && HAS_IOMEM && (ARM || ARM64)',
      select: [{ symbol: 'TIMER_OF' }, { symbol: 'CLKSRC_MMIO', if: '!ARM' }],
      at: ['drivers/clocksource/Kconfig:4'],
    })
    expect(symbols.AFTER_IF).toMatchObject({
      type: 'tristate',
      prompt: false,
      depends: 'GENERIC_CLOCKEVENTS',
      default: [{ value: 'm', if: 'MODULES' }],
    })
    expect(symbols.OUTSIDE?.depends).toBeUndefined()
    expect(symbols.OUTSIDE?.default).toEqual([{ value: 'y' }])
  })

  it('follows source with SRCARCH, keeping the enclosing if, and records choices', () => {
    const files: Record<string, string> = {
      'arch/arm64/Kconfig':
        'choice\n\tprompt "Page size"\nconfig ARM64_4K_PAGES\n\tbool "4KB"\nendchoice\n',
    }
    const symbols = parseKconfig('if ARM64\nsource "arch/$(SRCARCH)/Kconfig"\nendif\n', 'Kconfig', {
      srcarch: 'arm64',
      onSource: (path) => (files[path] ? { text: files[path], file: path } : undefined),
    })
    expect(symbols.ARM64_4K_PAGES).toMatchObject({
      type: 'bool',
      depends: 'ARM64',
      choice: 'arch/arm64/Kconfig:1',
      at: ['arch/arm64/Kconfig:3'],
    })
  })
})

describe('Kbuild parser', () => {
  it('reads plain, guarded and composite objects, continuations and subdirectories', () => {
    const parsed = parseKbuild(
      [
        'obj-$(CONFIG_ARM_SMMU) += arm_smmu.o',
        'arm_smmu-objs += arm-smmu.o arm-smmu-impl.o \\',
        '\tarm-smmu-nvidia.o',
        'arm_smmu-$(CONFIG_ARM_SMMU_QCOM) += arm-smmu-qcom.o',
        'obj-y += arm/ amd/',
        'obj-$(subst m,y,$(CONFIG_HYPERV)) += hyperv/',
        'ccflags-y := -I $(src)',
        'helpers := a.o b.o',
        'obj-$(CONFIG_HELPERS) += $(addprefix lib/,$(helpers))',
      ].join('\n'),
      'drivers/iommu',
    )
    expect(parsed.objs).toEqual([
      { name: 'arm_smmu.o', config: 'ARM_SMMU' },
      { name: 'arm/' },
      { name: 'amd/' },
      { name: 'hyperv/', config: 'HYPERV', builtinIfM: true },
      { name: 'lib/a.o', config: 'HELPERS' },
      { name: 'lib/b.o', config: 'HELPERS' },
    ])
    expect(parsed.parts.arm_smmu).toEqual([
      { name: 'arm-smmu.o' },
      { name: 'arm-smmu-impl.o' },
      { name: 'arm-smmu-nvidia.o' },
      { name: 'arm-smmu-qcom.o', config: 'ARM_SMMU_QCOM' },
    ])
  })
})

describe('C scanner', () => {
  const source = `
// SPDX-License-Identifier: GPL-2.0
#define DRV_NAME "foo-timer"
#define FOO_COMPAT "vendor,foo-v3"

static const struct of_device_id foo_of_match[] = {
	{
		.compatible = "vendor,foo-v1",
		.data = &foo_v1,
	},
	{ .compatible = "vendor,"
			"foo-v2" },
	/* { .compatible = "vendor,commented-out" }, */
	{ .compatible = FOO_COMPAT, },
#ifdef CONFIG_FOO_LEGACY
	{ .compatible = "vendor,foo-legacy" },
#endif
	{ /* sentinel */ }
};
MODULE_DEVICE_TABLE(of, foo_of_match);

static struct platform_driver foo_driver = {
	.probe = foo_probe,
	.driver = {
		.name = DRV_NAME,
		.of_match_table = of_match_ptr(foo_of_match),
	},
};
module_platform_driver(foo_driver);

static const struct of_device_id bar_ids[] = { { .compatible = "vendor,bar" }, {} };
static struct i2c_driver bar_i2c = {
	.driver = { .name = KBUILD_MODNAME, .of_match_table = bar_ids },
};
static const struct amba_id baz_ids[] = {
	{ .id = 0x00041011, .mask = 0x000fffff },
	{ 0, 0 },
};
static struct amba_driver baz_driver = {
	.drv = { .name = "baz" },
	.id_table = baz_ids,
	.probe = baz_probe,
};
static int __init bar_init(void)
{
	int ret = i2c_add_driver(&bar_i2c);
	return ret ?: amba_driver_register(&baz_driver);
}
arch_initcall_sync(bar_init);

TIMER_OF_DECLARE(foo_t, "vendor,foo-timer", foo_timer_init);
IRQCHIP_PLATFORM_DRIVER_BEGIN(qux)
IRQCHIP_MATCH("vendor,qux-intc", qux_of_init)
IRQCHIP_PLATFORM_DRIVER_END(qux)
MODULE_LICENSE("GPL v2");
console_initcall(foo_console_init);
__initcall(foo_late_setup);
static const char hcd_name[] = "foo-hcd";
static struct platform_driver hcd_driver = {
	.driver = { .name = (char *) hcd_name, .of_match_table = foo_of_match },
};
`
  const scan = scanC(source, { modname: 'foo_mod' })

  it('reads multi-line, concatenated and #defined compatibles, not commented ones', () => {
    expect(scan.tables[0]).toMatchObject({
      name: 'foo_of_match',
      compatibles: ['vendor,foo-v1', 'vendor,foo-v2', 'vendor,foo-v3', 'vendor,foo-legacy'],
      if: { 'vendor,foo-legacy': 'defined(CONFIG_FOO_LEGACY)' },
      usedBy: ['foo_driver', 'hcd_driver'],
    })
    expect(scan.tables[0]?.skipped).toBeUndefined()
  })

  it('names drivers (#define, KBUILD_MODNAME, .drv, char arrays) and their buses and amba ids', () => {
    expect(scan.drivers.map(({ var: v, type, name, table }) => ({ v, type, name, table }))).toEqual(
      [
        { v: 'foo_driver', type: 'platform_driver', name: 'foo-timer', table: 'foo_of_match' },
        { v: 'bar_i2c', type: 'i2c_driver', name: 'foo_mod', table: 'bar_ids' },
        { v: 'baz_driver', type: 'amba_driver', name: 'baz', table: undefined },
        { v: 'qux_driver', type: 'platform_driver', name: 'qux', table: 'qux_irqchip_match_table' },
        { v: 'hcd_driver', type: 'platform_driver', name: 'foo-hcd', table: 'foo_of_match' },
      ],
    )
    expect(scan.drivers.find((d) => d.var === 'baz_driver')?.amba).toEqual([
      { id: '0x00041011', mask: '0x000fffff' },
    ])
  })

  it('finds registrations with their initcall function, level and drivers', () => {
    const inits = scan.inits.map(({ fn, level, via, registers, sync }) => ({
      fn,
      level,
      via,
      registers,
      sync,
    }))
    expect(inits).toEqual(
      expect.arrayContaining([
        {
          fn: 'foo_driver_init',
          level: 'device',
          via: 'module_platform_driver',
          registers: ['foo_driver'],
          sync: undefined,
        },
        {
          fn: 'bar_init',
          level: 'arch',
          via: 'arch_initcall_sync',
          registers: ['bar_i2c', 'baz_driver'],
          sync: true,
        },
        {
          fn: 'qux_driver_init',
          level: 'device',
          via: 'builtin_platform_driver',
          registers: ['qux_driver'],
          sync: undefined,
        },
      ]),
    )
    expect(scan.inits.slice(-2).map(({ fn, level }) => [fn, level])).toEqual([
      ['foo_console_init', 'console'],
      ['foo_late_setup', 'device'],
    ])
    expect(scan.exit).toBe(true)
    expect(scan.license).toBe('GPL v2')
    expect(scan.declares).toEqual([
      {
        macro: 'TIMER_OF_DECLARE',
        table: 'timer',
        name: 'foo_t',
        compatible: 'vendor,foo-timer',
        fn: 'foo_timer_init',
        line: 51,
      },
    ])
  })
})

describe('scanSource on a small tree', () => {
  it('joins drivers to their objects and the config, from the API and the CLI', () => {
    const root = tempDir()
    const files: Record<string, string> = {
      Kconfig: 'source "drivers/Kconfig"\n',
      Kbuild: 'obj-y += drivers/\n',
      'drivers/Kconfig': 'config FOO\n\ttristate "Foo"\n\tselect BAR\nconfig BAR\n\tbool\n',
      'drivers/Makefile':
        'obj-$(CONFIG_FOO) += foo/\nobj-$(CONFIG_BAR) += foo/\n' +
        'obj-$(subst m,y,$(CONFIG_FOO)) += foo_core.o\n' +
        'ifeq ($(CONFIG_FOO),y)\nobj-m += only_if_foo_y.o\nendif\n',
      'drivers/foo/Makefile': 'obj-$(CONFIG_FOO) += foo-drv.o\nfoo-drv-y := core.o hw.o\n',
      'drivers/foo/core.c':
        'static const struct of_device_id m[] = { { .compatible = "v,foo" }, {} };\n' +
        'static struct platform_driver d = { .driver = { .name = KBUILD_MODNAME, .of_match_table = m } };\n' +
        'module_platform_driver(d);\n',
      'drivers/foo/hw.c': 'int hw;\n',
      '.config': 'CONFIG_FOO=m\nCONFIG_BAR=y\n',
    }
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), text)
    }
    const result = scanSource(root, { config: files['.config'] })
    expect(result.objects['drivers/foo/foo-drv']).toEqual({
      module: 'foo_drv',
      config: 'FOO',
      via: ['FOO'],
      sources: ['drivers/foo/core.c', 'drivers/foo/hw.c'],
      value: 'm',
    })
    expect(result.objects['drivers/foo_core']).toMatchObject({ builtinIfM: true, value: 'y' })
    expect(result.objects['drivers/only_if_foo_y']).toMatchObject({
      config: 'm',
      cond: 'ifeq ($(CONFIG_FOO),y)',
      value: 'n',
    })
    expect(result.kconfig.FOO).toMatchObject({
      type: 'tristate',
      select: [{ symbol: 'BAR' }],
      value: 'm',
    })
    expect(result.drivers['drivers/foo/core.c']).toMatchObject({
      objects: ['drivers/foo/foo-drv'],
      drivers: [{ var: 'd', name: 'foo_drv', table: 'm' }],
      inits: [{ fn: 'd_init', level: 'device' }],
      exit: true,
    })
    expect(result.summary).toMatchObject({ tables: 1, tablesResolved: 1, compatibles: 1 })

    const out = join(root, 'out.json')
    const printed = execFileSync('node', [SCANNER, root, join(root, '.config'), out], {
      encoding: 'utf8',
    })
    expect(printed).toContain('resolved to a driver and its object: 1 (100.0%)')
    expect(JSON.parse(readFileSync(out, 'utf8')).objects).toEqual(result.objects)
  })
})

// Debian's linux-source-6.12 extracted to .cache/src/linux-source-6.12, and linux-image-6.12.*-arm64's
// config and modules tree in .cache/kernels/<release>/ (both by scripts/fetch-kernel-packages.sh
// 6.12 --source). CI must provide them: there the test fails instead of skipping.
const SRC = join(ROOT, '.cache', 'src', 'linux-source-6.12')
const KERNELS = join(ROOT, '.cache', 'kernels')
const IMG = existsSync(KERNELS)
  ? readdirSync(KERNELS)
      .filter((release) => /^6\.12\..*-arm64$/.test(release))
      .map((release) => join(KERNELS, release))[0]
  : undefined
const hasSource = existsSync(join(SRC, 'Kconfig')) && existsSync(join(SRC, 'drivers'))
const configFile = IMG && existsSync(join(IMG, 'config')) ? join(IMG, 'config') : undefined
const builtinFile = IMG
  ? readdirSync(join(IMG, 'lib', 'modules'))
      .map((release) => join(IMG, 'lib', 'modules', release, 'modules.builtin'))
      .find((file) => existsSync(file))
  : undefined
if (process.env.CI && (!configFile || !builtinFile))
  throw new Error(
    'CI must fetch the 6.12 image: bash scripts/fetch-kernel-packages.sh 6.12 --source',
  )

if (!hasSource && process.env.CI) {
  it('has Debian’s linux-source-6.12 in .cache/src/linux-source-6.12 (required on CI)', () => {
    expect.fail(`${SRC} is missing: CI must extract linux-source-6.12 there`)
  })
}

describe.skipIf(!hasSource)(
  `Debian’s linux-source-6.12${hasSource ? '' : ' (skipped: .cache/src/linux-source-6.12 is not extracted)'}`,
  () => {
    let scan: SourceScan
    beforeAll(() => {
      const config = configFile ? readFileSync(configFile, 'utf8') : undefined
      scan = scanSource(SRC, {
        ...(config ? { config } : {}),
        dirs: ['drivers/clocksource', 'drivers/iommu', 'drivers/dma-buf', 'drivers/tty/serial'],
      })
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

    it.skipIf(!configFile || !builtinFile)(
      'object paths and y/m values match Debian’s modules.builtin and modules.order exactly',
      () => {
        const list = (name: string) =>
          readFileSync(join(dirname(builtinFile ?? ''), name), 'utf8')
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
      },
    )
  },
)
