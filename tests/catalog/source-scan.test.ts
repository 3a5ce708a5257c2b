import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  controllerHelpers,
  parseKbuild,
  parseKconfig,
  scanC,
  scanSource,
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

  it('reads help text indented no deeper than its help line as help (lexer.l first_ts)', () => {
    // 6.12's drivers/hid/Kconfig:1277 and 6.1's aic7xxx: help lines at the `help` line's depth.
    const symbols = parseKconfig(
      [
        'config HID_XINMO',
        '\ttristate "Xin-Mo non-fully compliant devices"',
        '\thelp',
        '\tSupport for Xin-Mo devices. Say Y here',
        '\tif you have a Xin-Mo Dual Arcade controller.',
        '\tsource to the driver',
        '',
        'config HID_ZEROPLUS',
        '\ttristate "Zeroplus based game controller support"',
        '\thelp',
        'config AFTER',
        '\tbool',
      ].join('\n'),
      'drivers/hid/Kconfig',
      { onSource: () => expect.fail('help text read as a source line') },
    )
    expect(Object.keys(symbols)).toEqual(['HID_XINMO', 'HID_ZEROPLUS', 'AFTER'])
    expect(symbols.HID_ZEROPLUS?.depends).toBeUndefined()
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

describe('C scanner: amba_id tables', () => {
  const scan = scanC(`
#define PIDR2_JEDEC\t\t\tBIT(3)
#define PID_PIDR2_JEDEC\t\t\t(PIDR2_JEDEC << 16)
#define CS_AMBA_ID(pid)\t\t\\
\t{\t\t\t\\
\t\t.id\t= pid,\t\\
\t\t.mask\t= 0x000fffff,\t\\
\t}
#define __CS_AMBA_UCI_ID(pid, m, uci_ptr) { .id = pid, .mask = m, .data = (void *)uci_ptr }
#define CS_AMBA_UCI_ID(pid, uci)\t__CS_AMBA_UCI_ID(pid, 0x000fffff, uci)
#define CS_AMBA_MATCH_ALL_UCI(uci) __CS_AMBA_UCI_ID(PID_PIDR2_JEDEC, PID_PIDR2_JEDEC, uci)
#define MMCI_MASK 0xff0fffff
static const struct amba_id etm4_ids[] = {
\tCS_AMBA_ID(0x000bb95d),\t\t/* Cortex-A53 */
\tCS_AMBA_UCI_ID(0x000bb9da, uci_id_etm4),
\tCS_AMBA_MATCH_ALL_UCI(uci_id_etm4),
\t{},
\t{ .id = 0x1, .mask = 0x1 },
};
static struct amba_driver etm4x_amba_driver = {
\t.drv = { .name = "coresight-etm4x" },
\t.probe = etm4_probe,
\t.id_table = etm4_ids,
};
static const struct amba_id mmci_ids[] = {
\t{ 0x00041180, MMCI_MASK, &variant_arm },
\t{ .id = 0x00041181UL, .mask = GENMASK(19, 0), },
\t{ .id = UNKNOWN_ID, .mask = 0x000fffff },
\t{ 0, 0 },
};
static struct amba_driver mmci_driver = {
\t.drv = { .name = "mmci-pl18x" },
\t.probe = mmci_probe,
\t.id_table = mmci_ids,
};
module_amba_driver(mmci_driver);
`)
  const ids = (name: string) => scan.drivers.find((d) => d.name === name)

  it('expands the macros an entry is built with, up to the terminator (amba_lookup stops at mask 0)', () => {
    expect(ids('coresight-etm4x')?.amba).toEqual([
      { id: '0x000bb95d', mask: '0x000fffff' },
      { id: '0x000bb9da', mask: '0x000fffff' },
      { id: '0x00080000', mask: '0x00080000' },
    ])
    expect(ids('coresight-etm4x')?.ambaSkipped).toBeUndefined()
  })

  it('reads positional entries, #defined masks, suffixes and GENMASK; names what it cannot evaluate', () => {
    expect(ids('mmci-pl18x')?.amba).toEqual([
      { id: '0x00041180', mask: '0xff0fffff' },
      { id: '0x00041181', mask: '0x000fffff' },
    ])
    expect(ids('mmci-pl18x')?.ambaSkipped).toEqual(['{ .id = UNKNOWN_ID, .mask = 0x000fffff }'])
    expect(scan.inits).toContainEqual(
      expect.objectContaining({ via: 'module_amba_driver', registers: ['mmci_driver'] }),
    )
  })
})

describe('C scanner: what a probe creates', () => {
  // After drivers/mfd/mt6397-core.c, drivers/spmi/spmi-pmic-arb.c and mt6358-regulator.c.
  const mfd = scanC(`
static const struct mfd_cell mt6358_devs[] = {
\t{
\t\t.name = "mt6358-regulator",
\t\t.of_compatible = "mediatek,mt6358-regulator"
\t}, {
\t\t.name = "mt6358-rtc",
\t\t.num_resources = ARRAY_SIZE(mt6358_rtc_resources),
\t\t.of_compatible = "mediatek,mt6358-rtc",
\t},
};
static const struct mfd_cell mt6397_devs[] = {
\t{ .name = "mt6397-clk", .of_compatible = "mediatek,mt6397-clk", },
\t{ .name = "mt6397-codec", },
};
static const struct chip_data mt6358_core = {
\t.cid_addr = MT6358_SWCID,
\t.cells = mt6358_devs,
\t.cell_size = ARRAY_SIZE(mt6358_devs),
};
static const struct chip_data mt6397_core = { .cells = mt6397_devs, };
static int mt6397_probe(struct platform_device *pdev)
{
\tpmic_core = of_device_get_match_data(&pdev->dev);
\treturn devm_mfd_add_devices(&pdev->dev, PLATFORM_DEVID_NONE,
\t\t\t\t   pmic_core->cells, pmic_core->cell_size, NULL, 0, NULL);
}
static const struct of_device_id mt6397_of_match[] = {
\t{ .compatible = "mediatek,mt6358", .data = &mt6358_core, },
\t{ .compatible = "mediatek,mt6397", .data = &mt6397_core, },
\t{ }
};
static struct platform_driver mt6397_driver = {
\t.probe = mt6397_probe,
\t.driver = { .name = "mt6397", .of_match_table = mt6397_of_match },
};
module_platform_driver(mt6397_driver);
static const struct platform_device_id mt6358_platform_ids[] = {
\t{"mt6358-regulator", 0},
\t{ .name = "mt6366-regulator", },
\t{ /* sentinel */ },
};
static struct platform_driver mt6358_regulator_driver = {
\t.driver = { .name = "mt6358-regulator" },
\t.probe = mt6358_regulator_probe,
\t.id_table = mt6358_platform_ids,
};
static int spmi_pmic_arb_bus_init(struct platform_device *pdev)
{
\treturn devm_spmi_controller_add(dev, ctrl);
}
`)

  it('reads each MFD cell array, the arrays each match data names, and the id the cells get', () => {
    expect(mfd.mfd?.arrays).toEqual({
      mt6358_devs: [
        { name: 'mt6358-regulator', ofCompatible: 'mediatek,mt6358-regulator' },
        { name: 'mt6358-rtc', ofCompatible: 'mediatek,mt6358-rtc' },
      ],
      mt6397_devs: [
        { name: 'mt6397-clk', ofCompatible: 'mediatek,mt6397-clk' },
        { name: 'mt6397-codec' },
      ],
    })
    expect(mfd.mfd?.byData).toEqual({ mt6358_core: ['mt6358_devs'], mt6397_core: ['mt6397_devs'] })
    expect(mfd.mfd?.devid).toBe('PLATFORM_DEVID_NONE')
    // The call names no array itself: the cells come through the match data.
    expect(mfd.mfd?.added).toEqual([])
    expect(mfd.tables[0]?.data).toEqual({
      'mediatek,mt6358': 'mt6358_core',
      'mediatek,mt6397': 'mt6397_core',
    })
  })

  it("reads a platform driver's platform_device_id names and an SPMI controller registration", () => {
    const regulator = mfd.drivers.find((d) => d.var === 'mt6358_regulator_driver')
    expect(regulator?.ids).toEqual(['mt6358-regulator', 'mt6366-regulator'])
    expect(mfd.controller).toBe('spmi')
    expect(scanC('static int probe(void) { return 0; }').controller).toBeUndefined()
  })

  it("reads an I2C adapter registration and an I2C driver's i2c_device_id names, not the core's", () => {
    const i2c = scanC(`
static const struct i2c_device_id at24_ids[] = {
\t{ "24c08", AT24_CHIP_DATA(at24_data_24c08) },
\t{ }
};
static struct i2c_driver at24_driver = {
\t.driver = { .name = "at24" },
\t.probe = at24_probe,
\t.id_table = at24_ids,
};
static int mtk_i2c_probe(struct platform_device *pdev)
{
\treturn i2c_add_numbered_adapter(&i2c->adap);
}
`)
    expect(i2c.drivers[0]).toMatchObject({ type: 'i2c_driver', name: 'at24', ids: ['24c08'] })
    expect(i2c.controller).toBe('i2c')
    const core = scanC(`
int i2c_add_numbered_adapter(struct i2c_adapter *adap)
{
\treturn i2c_add_adapter(adap);
}
EXPORT_SYMBOL_GPL(i2c_add_adapter);
`)
    expect(core.controller).toBeUndefined()
  })

  it('follows a registration through helpers of the bus subsystem in other files, and I2C muxes', () => {
    const files: Record<string, string> = {
      'drivers/i2c/busses/dw-master.c': `
static int i2c_dw_init_master(struct dw_i2c_dev *dev) { return 0; }
int i2c_dw_probe_master(struct dw_i2c_dev *dev)
{
\ti2c_dw_init_master(dev);
\treturn i2c_add_numbered_adapter(&dev->adapter);
}
EXPORT_SYMBOL_GPL(i2c_dw_probe_master);
`,
      'drivers/i2c/busses/dw-common.c': `
int i2c_dw_probe(struct dw_i2c_dev *dev)
{
\treturn i2c_dw_probe_master(dev);
}
`,
      // A user of I2C outside drivers/i2c registers an adapter for itself: not a helper.
      'drivers/gpu/drm/dp-helper.c': `
int drm_dp_aux_register(struct drm_dp_aux *aux)
{
\treturn i2c_add_adapter(&aux->ddc);
}
`,
    }
    const kinds = controllerHelpers(Object.keys(files), (file) => Buffer.from(files[file] ?? ''))
    expect(kinds.get('i2c_dw_probe')).toBe('i2c')
    expect(kinds.has('i2c_dw_init_master')).toBe(false)
    expect(kinds.has('drm_dp_aux_register')).toBe(false)
    const platdrv = scanC(
      `static int dw_i2c_plat_probe(struct platform_device *pdev)\n{\n\treturn i2c_dw_probe(dev);\n}\n`,
      { controllerKinds: kinds },
    )
    expect(platdrv.controller).toBe('i2c')
    const bridge = scanC(
      `static int bridge_probe(struct platform_device *pdev)\n{\n\treturn drm_dp_aux_register(&aux);\n}\n`,
      { controllerKinds: kinds },
    )
    expect(bridge.controller).toBeUndefined()
    const mux = scanC(
      `static int mux_probe(struct platform_device *pdev)\n{\n\treturn i2c_mux_add_adapter(muxc, 0, i);\n}\n`,
    )
    expect(mux.controller).toBe('i2c-mux')
  })

  it("reads an MFD cell's own id", () => {
    const scan = scanC(`
static const struct mfd_cell ldo_devs[] = {
\t{ .name = "wm8994-ldo", .id = 0 },
\t{ .name = "wm8994-ldo", .id = 1 },
};
static int probe(struct device *dev)
{
\treturn devm_mfd_add_devices(dev, 0, ldo_devs, ARRAY_SIZE(ldo_devs), NULL, 0, NULL);
}
`)
    expect(scan.mfd?.arrays.ldo_devs).toEqual([
      { name: 'wm8994-ldo' },
      { name: 'wm8994-ldo', id: 1 },
    ])
  })

  it('tells a devres-managed or depopulated population from one left behind', () => {
    const devm = scanC(
      `static int p(struct device *dev)\n{\n\treturn devm_of_platform_populate(dev);\n}\n`,
    )
    expect(devm).toMatchObject({ populates: true, depopulates: true })
    const plain = scanC(
      `static int p(struct device *dev)\n{\n\treturn of_platform_populate(np, NULL, NULL, dev);\n}\n`,
    )
    expect(plain.populates).toBe(true)
    expect(plain.depopulates).toBeUndefined()
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
