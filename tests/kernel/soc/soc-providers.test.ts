import { describe, expect, it } from 'vitest'
import { boundBeforeProvider, expectScenario, providerModules, socTranscript } from './soc-golden'

/**
 * The SoC providers of db845c, hikey960, mt8183-pumpkin and the Raspberry Pi 4 on Debian's 6.12
 * (Pixel 6's Exynos drivers: pixel6-exynos.test.ts): their initcalls at their real levels, the
 * order they bind in before their consumers, what stays deferred, which are built in
 * (modules.builtin) and which udev's coldplug loads (lsmod), against
 * `golden/soc/<board>-providers.txt`. Boards whose trees other work changes (db845c's PMIC
 * children, pumpkin's MT6397 cells) are regenerated with `UPDATE_GOLDEN=1 npx vitest run tests/kernel/soc`.
 */
const BUILTIN = '/lib/modules/6.12.117+deb12-arm64/modules.builtin'

interface Board {
  profile: string
  title: string
  about: string
  kconfigs: string[]
  /** What the golden must show, whatever else changes in the board's boot. */
  shows: RegExp[]
}

const BOARDS: Board[] = [
  {
    profile: 'db845c',
    title: 'Qualcomm SDM845 providers',
    about:
      "Debian's build: ARCH_QCOM (bool, arch/arm64/Kconfig.platforms:265) selects only GPIOLIB and PINCTRL; the providers are tristate and Debian's config decides: built in are gcc-sdm845 and clk-rpmh (core_initcall, drivers/clk/qcom/gcc-sdm845.c:4029, clk-rpmh.c:930), rpmh-rsc, cmd-db and rpmhpd (core_initcall, drivers/soc/qcom/rpmh-rsc.c:1171, cmd-db.c:391, drivers/pmdomain/qcom/rpmhpd.c:968), pinctrl-sdm845 (arch_initcall, drivers/pinctrl/qcom/pinctrl-sdm845.c:1361), the SDM845 NoCs, reset-qcom-aoss and qcom_aoss (module_platform_driver, a device_initcall built in: drivers/interconnect/qcom/sdm845.c:1812, drivers/reset/reset-qcom-aoss.c:129, drivers/soc/qcom/qcom_aoss.c:669); modules are the display, GPU, video and camera clock controllers (drivers/clk/qcom/dispcc-sdm845.c:877, gpucc-sdm845.c:206, videocc-sdm845.c:343, camcc-sdm845.c:1749), reset-qcom-pdc (reset-qcom-pdc.c:159) and the OSM L3 interconnect (drivers/interconnect/qcom/osm-l3.c:300), whose consumers defer until udev's coldplug loads them. The UFS PHY takes the controller's reset only at phy_init (drivers/phy/qualcomm/phy-qcom-qmp-ufs.c:1645), so the two bind despite their cycle. gcc's power domain (rpmhpd) is a child of rsc@179c0000, created when rpmh-rsc's probe populates it, after gcc was created: gcc defers, and deferred devices are retried only from deferred_probe_initcall (late_initcall, drivers/base/dd.c:343)",
    kconfigs: [
      'CONFIG_SDM_GCC_845',
      'CONFIG_QCOM_CLK_RPMH',
      'CONFIG_SDM_DISPCC_845',
      'CONFIG_SDM_GPUCC_845',
      'CONFIG_SDM_VIDEOCC_845',
      'CONFIG_SDM_CAMCC_845',
      'CONFIG_SDM_LPASSCC_845',
      'CONFIG_PINCTRL_SDM845',
      'CONFIG_QCOM_COMMAND_DB',
      'CONFIG_QCOM_RPMH',
      'CONFIG_QCOM_RPMHPD',
      'CONFIG_QCOM_AOSS_QMP',
      'CONFIG_RESET_QCOM_AOSS',
      'CONFIG_RESET_QCOM_PDC',
      'CONFIG_INTERCONNECT_QCOM_SDM845',
      'CONFIG_INTERCONNECT_QCOM_OSM_L3',
    ],
    shows: [
      // qmp-ufs takes the UFS controller's reset at phy_init, not in its probe (probe-facts.json).
      /probe of 1d84000\.ufshc returned 0 /,
      /^ae00000\.display-subsystem\tclock,power-domain\taf00000\.clock-controller \(dispcc_sdm845\)\t5\.\d+\t5\.\d+\t5\.\d+$/m,
    ],
  },
  {
    profile: 'hikey960',
    title: 'HiSilicon Hi3660 providers',
    about:
      "Debian's build: COMMON_CLK_HI3660 and STUB_CLK_HI3660 are bool (drivers/clk/hisilicon/Kconfig:26, :70); the crgctrl is CLK_OF_DECLARE_DRIVER (drivers/clk/hisilicon/clk-hi3660.c:557), whose early init registers the fixed-rate clocks at of_clk_init and leaves the node a device, which the hi3660-clk platform driver (core_initcall, clk-hi3660.c:637) finishes as it does pctrl, pmuctrl, sctrl and iomcu; the stub clock subsys_initcall (clk-hi3660-stub.c:178) over the hi3660 mailbox (core_initcall, drivers/mailbox/hi3660-mailbox.c:288); hi3660-reset arch_initcall (drivers/reset/hisilicon/reset-hi3660.c:123); pinctrl-single (drivers/pinctrl/pinctrl-single.c:1998) and the PL061 GPIO banks (an AMBA driver) are tristate, built in, device_initcall. No power-domain or interconnect provider in 6.12's hi3660.dtsi; the hi6421v530 PMIC (MFD_HI6421_PMIC) is not set in Debian's config",
    kconfigs: [
      'CONFIG_COMMON_CLK_HI3660',
      'CONFIG_STUB_CLK_HI3660',
      'CONFIG_HI3660_MBOX',
      'CONFIG_COMMON_RESET_HI3660',
      'CONFIG_PINCTRL_SINGLE',
      'CONFIG_GPIO_PL061',
    ],
    // CLK_OF_DECLARE_DRIVER left the crgctrl a device, for the hi3660-clk driver.
    shows: [/^fff35000\.crg_ctrl\tbound\thi3660-clk\tCONFIG_COMMON_CLK_HI3660=y\t\d+ clock$/m],
  },
  {
    profile: 'mt8183-pumpkin',
    title: 'MediaTek MT8183 providers',
    about:
      "Debian's build: COMMON_CLK_MT8183 is tristate (drivers/clk/mediatek/Kconfig:524) and a module, so are its subsystem clock controllers: topckgen, infracfg, pericfg and mcucfg (clk-mt8183.c:908) and apmixedsys (builtin_platform_driver, clk-mt8183-apmixedsys.c:194, module_init in a module) come from udev's coldplug, and every consumer of their clocks defers until then: the UARTs, I2C, MMC, the display, and scpsys, whose probe takes each domain node's clocks (drivers/pmdomain/mediatek/mtk-pm-domains.c:452, :699), and with it every consumer of a power domain. PINCTRL_MT8183 is bool (drivers/pinctrl/mediatek/Kconfig:204), arch_initcall (pinctrl-mt8183.c:588); MTK_SCPSYS_PM_DOMAINS bool (drivers/pmdomain/mediatek/Kconfig:17), builtin_platform_driver (mtk-pm-domains.c:742); the watchdog's reset (mtk_wdt.c:522) and mmsys (drivers/soc/mediatek/mtk-mmsys.c:492) modules",
    kconfigs: [
      'CONFIG_COMMON_CLK_MT8183',
      'CONFIG_COMMON_CLK_MT8183_AUDIOSYS',
      'CONFIG_COMMON_CLK_MT8183_CAMSYS',
      'CONFIG_COMMON_CLK_MT8183_IMGSYS',
      'CONFIG_COMMON_CLK_MT8183_IPU_CORE0',
      'CONFIG_COMMON_CLK_MT8183_IPU_CORE1',
      'CONFIG_COMMON_CLK_MT8183_IPU_ADL',
      'CONFIG_COMMON_CLK_MT8183_IPU_CONN',
      'CONFIG_COMMON_CLK_MT8183_MFGCFG',
      'CONFIG_COMMON_CLK_MT8183_MMSYS',
      'CONFIG_COMMON_CLK_MT8183_VDECSYS',
      'CONFIG_COMMON_CLK_MT8183_VENCSYS',
      'CONFIG_PINCTRL_MT8183',
      'CONFIG_MTK_SCPSYS_PM_DOMAINS',
      'CONFIG_MEDIATEK_WATCHDOG',
      'CONFIG_MTK_MMSYS',
    ],
    // scpsys defers for its domains' clocks until clk_mt8183 is loaded (probe-facts.json).
    shows: [
      /^10006000\.syscon:power-controller\tclock\t10000000\.syscon \(clk_mt8183\)\t2\.\d+\t5\.\d+\t5\.\d+$/m,
    ],
  },
  {
    profile: 'rpi4b',
    title: 'Broadcom BCM2711 providers',
    about:
      "Debian's build: ARCH_BCM2835 (bool) selects PINCTRL_BCM2835 (arch/arm64/Kconfig.platforms:54), tristate and built in, module_platform_driver (drivers/pinctrl/bcm/pinctrl-bcm2835.c:1449); CLK_BCM2835 is bool (drivers/clk/bcm/Kconfig:14), cprman and aux builtin_platform_driver (clk-bcm2835.c:2349, clk-bcm2835-aux.c:68); the firmware (drivers/firmware/raspberrypi.c:411) waits for the mailbox (drivers/mailbox/bcm2835-mailbox.c:196), registered after it, so it binds at deferred_probe_initcall, and its children, whose probes return -EPROBE_DEFER until devm_rpi_firmware_get() finds it bound (clk-raspberrypi.c:413, gpio-raspberrypi-exp.c:214, reset-raspberrypi.c:88, raspberrypi-power.c:190), right after it: raspberrypi-clk (clk-raspberrypi.c:465), the expander GPIO (drivers/gpio/gpio-raspberrypi-exp.c:250) built in, raspberrypi-power bool (drivers/pmdomain/bcm/raspberrypi-power.c:248); the PM block (bcm2835-pm, drivers/mfd/bcm2835-pm.c:122, under ARCH_BCM2835) gives the V3D power domain and resets; RESET_RASPBERRYPI is a module (reset-raspberrypi.c:118) whose one consumer, the VL805 USB controller, is a PCI device",
    kconfigs: [
      'CONFIG_CLK_BCM2835',
      'CONFIG_CLK_RASPBERRYPI',
      'CONFIG_CLK_BCM2711_DVP',
      'CONFIG_PINCTRL_BCM2835',
      'CONFIG_GPIO_RASPBERRYPI_EXP',
      'CONFIG_RASPBERRYPI_POWER',
      'CONFIG_ARCH_BCM2835',
      'CONFIG_RESET_RASPBERRYPI',
      'CONFIG_RASPBERRYPI_FIRMWARE',
      'CONFIG_BCM2835_MBOX',
    ],
    shows: [
      // The firmware's children take its driver data (probe-facts.json): they bind after it.
      /probe of soc:firmware returned 0 .*\n.*probe of soc:firmware:gpio returned 0 /,
      /^soc:firmware:clocks\tbound\traspberrypi-clk\tCONFIG_CLK_RASPBERRYPI=y\t\d+ clock$/m,
    ],
  },
]

describe('SoC providers on Debian 6.12', () => {
  for (const board of BOARDS) {
    it(`${board.profile}-providers: initcall levels, binds before consumers, coldplugged modules`, () => {
      const kconfigs = new Set(board.kconfigs)
      // The module names come from the catalog; the commands are the ones a user would type.
      const modules = providerModules(kconfigs)
      const files = modules.map((name) => name.replace(/_/g, '[-_]')).join('|')
      const { text, run, lines } = socTranscript({
        profile: board.profile,
        about: board.about,
        kconfigs,
        title: board.title,
        probes: 'binds',
        script: [
          `grep -E "/(${files})\\.ko$" ${BUILTIN}`,
          `lsmod | grep -E "^(${modules.join('|')}) "`,
          'cat /sys/kernel/debug/devices_deferred',
        ].join('; '),
      })
      expect(boundBeforeProvider(run.run.kernel, lines)).toEqual([])
      for (const shown of board.shows) expect(text).toMatch(shown)
      expectScenario(`${board.profile}-providers`, text)
    })
  }
})
