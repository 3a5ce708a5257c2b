import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatText } from '../../../src-main/kernel/dmesg-format'
import type { Kernel } from '../../../src-main/kernel/kernel'
import { runScriptAt } from '../../../src-main/sessions/commands-at'
import { formatTranscript } from '../../../src-main/userspace/transcript'
import { runCapturing } from '../../hosts/cli/helpers'
import { useTempDir } from '../../store/helpers'
import { expectGolden } from '../../support/golden'
import { ROOT } from '../helpers'

/**
 * Pixel 6 (gs101-oriole) on Debian 6.12, seed 0: the Exynos SoC drivers as the providers the
 * board's consumers wait for, built in because ARCH_EXYNOS selects them (arch/arm64/Kconfig.platforms:104),
 * against `golden/soc/<scenario>.txt`. A change is a reviewed diff:
 * `UPDATE_GOLDEN=1 npx vitest run tests/kernel/soc`.
 */
const DIR = join(__dirname, '..', 'golden', 'soc')
const PIXEL6 = { profile: 'pixel6-oriole', kernel: 'debian-6.12-arm64' }
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

/** Each provider device of an Exynos SoC driver, and what the other devices took from it. */
function providers(kernel: Kernel): string {
  const devices = kernel.core.devices
  return devices
    .filter((device) => device.driver && SOC.has(device.driver.def.kconfig ?? ''))
    .map((device) => {
      const taken = new Map<string, number>()
      for (const consumer of devices)
        for (const use of consumer.resources ?? [])
          if (
            use.state === 'taken' &&
            consumer !== device &&
            (use.provider === device.of.path || use.provider.startsWith(`${device.of.path}/`))
          )
            taken.set(use.kind, (taken.get(use.kind) ?? 0) + 1)
      const uses = [...taken].map(([kind, count]) => `${count} ${kind}`).join(', ') || '-'
      return `${device.name}\t${device.state}\t${device.driver?.def.name}\t${device.driver?.def.kconfig}\t${uses}\n`
    })
    .join('')
}

/**
 * The providers no device stands for (initialised by a `*_OF_DECLARE` table at boot: gs101's
 * cmu_top and cmu_misc, the fixed clocks), and what the devices took from each.
 */
function declaredProviders(kernel: Kernel): string {
  const devices = new Set(kernel.core.devices.map((device) => device.of.path))
  // A sub-node without a compatible (a GPIO bank) is its device's provider, not a declared one.
  const compatible = new Set(
    kernel.of.all.filter((n) => n.compatible.length > 0).map((n) => n.path),
  )
  const taken = new Map<string, Map<string, number>>()
  for (const consumer of kernel.core.devices)
    for (const use of consumer.resources ?? []) {
      if (use.state !== 'taken' || use.kind === 'interrupt') continue
      if (devices.has(use.provider) || !compatible.has(use.provider)) continue
      const kinds = taken.get(use.provider) ?? new Map<string, number>()
      kinds.set(use.kind, (kinds.get(use.kind) ?? 0) + 1)
      taken.set(use.provider, kinds)
    }
  return [...taken]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, kinds]) => {
      const uses = [...kinds].map(([kind, count]) => `${count} ${kind}`).join(', ')
      return `${path}\t${uses}\n`
    })
    .join('')
}

function bootTranscript(about: string, script: string): { text: string; chipid: string[] } {
  const request = { ...PIXEL6, cmdline: 'initcall_debug', resources: join(ROOT, 'resources') }
  const { run, records, where } = runScriptAt(request, script, undefined)
  const lines = run.kernel.log.records.map(formatText)
  const initcalls = lines.filter((line) => INITCALL.test(line))
  const probes = lines.filter((line) => / probe of \S+ returned /.test(line))
  const chipid = lines.filter((line) => CHIPID.test(line))
  const text = [
    `## ${about}\n`,
    `## commands ran ${where}\n${formatTranscript(records)}`,
    `# dmesg | grep -E '${INITCALL.source}'\n${initcalls.join('\n')}\n`,
    `# dmesg | grep -E ' probe of \\S+ returned '\n${probes.join('\n')}\n`,
    `# dmesg | grep '${CHIPID.source}'\n${chipid.map((line) => `${line}\n`).join('')}`,
    `# Exynos SoC providers: device, state, driver, Kconfig, what the consumers took\n${providers(run.kernel)}`,
    `# providers without a device (*_OF_DECLARE at boot), what the consumers took\n${declaredProviders(run.kernel)}`,
  ].join('')
  return { text, chipid }
}

const tempDir = useTempDir()

function expectScenario(name: string, actual: string) {
  const file = join(DIR, `${name}.txt`)
  // A missing golden fails here too (expectGolden would write it outside CI).
  if (!process.env.UPDATE_GOLDEN) expect(existsSync(file), `${file} is missing`).toBe(true)
  expectGolden(actual, file)
}

describe('Pixel 6: the Exynos SoC drivers on 6.12', () => {
  it('pixel6-builtin: forced built in by select, the providers bind before their consumers', () => {
    const { text: transcript, chipid } = bootTranscript(
      "Debian's build: ARCH_EXYNOS selects COMMON_CLK_SAMSUNG, EXYNOS_PMU and PINCTRL_EXYNOS (bool); gs101's cmu_top and cmu_misc are CLK_OF_DECLARE (clk-gs101.c:1444, :3435), its other CMUs a core_initcall platform driver (:4420), pinctrl-samsung and exynos-pmu postcore_initcall (pinctrl-samsung.c:1523, exynos-pmu.c:413); the devices are created at arch_initcall_sync and each binds once its suppliers have. exynos-chipid registers its driver and binds nothing: 6.12's gs101.dtsi has no chipid node and exynos-chipid.c:40-64 no GS101 product ID, so no 'Exynos: CPU[...] Detected' line",
      [
        'grep -E "exynos|samsung|gs101" /lib/modules/6.12.117+deb12-arm64/modules.builtin',
        'ls /sys/bus/platform/drivers/exynos-chipid',
        'cat /sys/kernel/debug/devices_deferred',
      ].join('; '),
    )
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
