import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { kernelFile } from '../../../src-main/kernel/kernfs/kernel-files'
import { runBoot } from '../../../src-main/sessions/boot-runner'
import { runCapturing } from '../../hosts/cli/helpers'
import { useTempDir } from '../../store/helpers'
import { ROOT } from '../helpers'
import { expectScenario, socTranscript } from './soc-golden'

/**
 * Pixel 6 (gs101-oriole) on Debian 6.12, seed 0: the Exynos SoC drivers as the providers the
 * board's consumers wait for, built in because ARCH_EXYNOS selects them (arch/arm64/Kconfig.platforms:104),
 * against `golden/soc/<scenario>.txt`. A change is a reviewed diff:
 * `UPDATE_GOLDEN=1 npx vitest run tests/kernel/soc`.
 */
/** The Kconfig symbols of the Exynos SoC drivers (reference/upstream-6.12.md §4). */
const SOC = new Set([
  'CONFIG_COMMON_CLK_SAMSUNG',
  'CONFIG_EXYNOS_ARM64_COMMON_CLK',
  'CONFIG_PINCTRL_SAMSUNG',
  'CONFIG_PINCTRL_EXYNOS',
  'CONFIG_EXYNOS_PMU',
  'CONFIG_EXYNOS_PM_DOMAINS',
  'CONFIG_EXYNOS_CHIPID',
  'CONFIG_EXYNOS_USI',
  'CONFIG_EXYNOS_CLKOUT',
])
/** Their initcalls (found by the source scanner) and what their probes would print. */
const INITCALL =
  /(gs101_cmu_init|samsung_pinctrl_drv_register|exynos_pmu_init|exynos4_pm_init_power_domain|exynos_chipid_driver_init)\+/
const CHIPID = /Exynos: CPU\[/

const tempDir = useTempDir()

describe('Pixel 6: the Exynos SoC drivers on 6.12', () => {
  it('pixel6-builtin: forced built in by select, the providers bind before their consumers', () => {
    let chipid: string[] = []
    const { text: transcript } = socTranscript({
      profile: 'pixel6-oriole',
      about:
        "Debian's build: ARCH_EXYNOS selects COMMON_CLK_SAMSUNG, EXYNOS_PMU and PINCTRL_EXYNOS (bool); gs101's cmu_top and cmu_misc are CLK_OF_DECLARE (clk-gs101.c:1444, :3435), its other CMUs a core_initcall platform driver (:4420), pinctrl-samsung and exynos-pmu postcore_initcall (pinctrl-samsung.c:1523, exynos-pmu.c:413); the devices are created at arch_initcall_sync and each binds once its suppliers have. exynos-chipid registers its driver and binds nothing: 6.12's gs101.dtsi has no chipid node and exynos-chipid.c:40-64 no GS101 product ID, so no 'Exynos: CPU[...] Detected' line",
      kconfigs: SOC,
      script: [
        'grep -E "exynos|samsung|gs101" /lib/modules/6.12.117+deb12-arm64/modules.builtin',
        'ls /sys/bus/platform/drivers/exynos-chipid',
        'cat /sys/kernel/debug/devices_deferred',
      ].join('; '),
      initcalls: INITCALL,
      probes: 'all',
      title: 'Exynos SoC providers',
      extra: (_run, lines) => {
        chipid = lines.filter((line) => CHIPID.test(line))
        return `# dmesg | grep '${CHIPID.source}'\n${chipid.map((line) => `${line}\n`).join('')}`
      },
    })
    expect(transcript).toMatch(/probe of 10840000\.pinctrl returned 0/)
    expect(chipid).toEqual([])
    expectScenario('pixel6-builtin', transcript)
  })

  it('pixel6-whatif-chipid: modlab whatif --config CONFIG_EXYNOS_CHIPID=m, as the README shows it', async () => {
    const argv = ['whatif', '--profile', 'pixel6-oriole', '--kernel', '6.12']
    const result = await runCapturing([...argv, '--config', 'CONFIG_EXYNOS_CHIPID=m'], tempDir())
    expect(result.code).toBe(0)
    const transcript = `$ modlab ${argv.join(' ')} --config CONFIG_EXYNOS_CHIPID=m\n${result.stdout}`
    expectScenario('pixel6-whatif-chipid', transcript)
    // The README's per-family section shows the same transcript.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(readme).toContain(transcript)
  })

  it('exynos-clkout: coldplug loads clk_exynos_clkout, which binds the cell by name and fails on gs101’s PMU', () => {
    const run = runBoot({
      profile: 'pixel6-oriole',
      kernel: 'debian-6.12-arm64',
      resources: join(ROOT, 'resources'),
    })
    const kernel = run.kernel
    const clkout = kernel.core.devices.find((device) => device.name === 'exynos-clkout')
    // The PMU's node-less MFD cell (exynos-pmu.c:266), matched by the driver's name alone
    // (platform_match(), drivers/base/platform.c:1329).
    expect(clkout?.noNode).toBe(true)
    expect(clkout?.state).toBe('failed')
    expect(clkout?.errno).toBe(22)
    const modules = kernelFile(kernel, '/proc/modules')
    expect(modules?.kind === 'file' ? modules.read() : '').toMatch(/^clk_exynos_clkout /m)
    // exynos_clkout_match_parent_dev(): google,gs101-pmu is not in exynos_clkout_ids
    // (clk-exynos-clkout.c:100-104), then the driver core's line (drivers/base/dd.c:655).
    const lines = kernel.log.records
      .filter((record) => record.text.includes('exynos-clkout'))
      .map((record) => [record.level, record.text])
    expect(lines).toEqual([
      [3, 'exynos-clkout exynos-clkout: cannot match parent device'],
      [3, 'exynos-clkout exynos-clkout: probe with driver exynos-clkout failed with error -22'],
    ])
  })

  it('pixel6-whatif-every-soc-driver: every Exynos SoC driver a module, refused by Kconfig', async () => {
    const configs = [...SOC].filter((symbol) => symbol !== 'CONFIG_EXYNOS_CLKOUT')
    const argv = ['whatif', '--profile', 'pixel6-oriole', '--kernel', 'debian-6.12-arm64']
    for (const symbol of configs) argv.push('--config', `${symbol}=m`)
    const result = await runCapturing(argv, tempDir())
    expect(result.code).toBe(1)
    // The reasons (stderr), not the long list of GPL-only exports each module may use.
    expectScenario('pixel6-whatif-every-soc-driver', `$ modlab ${argv.join(' ')}\n${result.stderr}`)
  })
})
