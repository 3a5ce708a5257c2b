import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import type { ProbeEffect } from '../../src-main/catalog/probe-effects-schema'
import { bootKernel } from '../../src-main/kernel/boot'
import type { Kernel } from '../../src-main/kernel/kernel'
import { machineInputs } from '../../src-main/sessions/boot-runner'
import { compileDts, lacksTools } from '../support/tools'
import { GOLDEN_DIR, scenarioOf } from './golden-scenarios'
import { kernelDir } from './helpers'

const SCENARIO = 'mfd-cell-of-node-6.12'

/**
 * The MFD scenario with the node-less codec cell's driver checking which device added it, as
 * clk-exynos-clkout.c's exynos_clkout_match_parent_dev() does (of_match_device(table, dev->parent)).
 */
function bootWithParentCheck(compatibles: string[]): Kernel {
  const scenario = scenarioOf(SCENARIO)
  const base = loadKernelProfile(kernelDir('debian-6.12-arm64'))
  const check: ProbeEffect = {
    kind: 'fail_unless_parent_compatible',
    compatibles,
    errno: 'EINVAL',
    messages: [{ level: 'err', dev: true, text: 'cannot match parent device' }],
  }
  const drivers = scenario.drivers.map((driver) =>
    driver.name === 'acme-codec'
      ? { ...driver, probe: { ...driver.probe, effects: [check, ...driver.probe.effects] } }
      : driver,
  )
  return bootKernel(
    machineInputs(
      {
        ...base,
        config: { ...base.config, ...scenario.config },
        drivers: [...base.drivers, ...drivers],
      },
      compileDts(join(GOLDEN_DIR, `${SCENARIO}.dts`), GOLDEN_DIR),
      { cmdline: scenario.cmdline, seed: 0 },
    ),
  )
}

const codecLines = (kernel: Kernel) =>
  kernel.log.records.filter((record) => record.text.startsWith('acme-codec')).map((r) => r.text)

describe.skipIf(lacksTools('dtc'))('a probe that checks its parent device’s compatible', () => {
  it('passes when the MFD that added the node-less cell has one of them', () => {
    const kernel = bootWithParentCheck(['acme,pmic-z', 'acme,pmic-a'])
    const codec = kernel.core.devices.find((device) => device.name === 'acme-codec')
    expect(codec?.state).toBe('bound')
    expect(codecLines(kernel)).toEqual(['acme-codec acme-codec: codec ready'])
  })

  it('fails with the errno and its dev_err line when the parent has none of them', () => {
    const kernel = bootWithParentCheck(['acme,pmic-z'])
    const codec = kernel.core.devices.find((device) => device.name === 'acme-codec')
    expect(codec?.state).toBe('failed')
    expect(codec?.errno).toBe(22)
    expect(codecLines(kernel)).toEqual([
      'acme-codec acme-codec: cannot match parent device',
      'acme-codec acme-codec: probe with driver acme-codec failed with error -22',
    ])
  })
})
